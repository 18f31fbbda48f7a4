#!/usr/bin/env python3
"""Writes split.tsv: which stories of posts.json Gazette tunes on and which it only validates on (issue 25).

Decided before any tuning, by story and deterministically:
- a unit is a story together with the stories it shares a BAD pair with (so every labelled pair stays in one part);
- units holding a story that issue 25 quotes (the two photo contests, the Klintsy square and iconostasis, the party
  discussing and having expelled deputies, the OSCE observers and the Petrovskoye disengagement, the weekend
  paraphrase) are tuning: tests are written on them;
- every other unit is validation when the first byte of SHA-256 of its smallest story id is divisible by 3.
"""
import hashlib, json, os

here = os.path.dirname(os.path.abspath(__file__))
posts = json.load(open(os.path.join(here, "posts.json")))["posts"]
story_of = {f"{p['channel']}/{p['id']}": p["story"] for p in posts}
stories = sorted({p["story"] for p in posts})
parent = {s: s for s in stories}

def find(s):
    while parent[s] != s:
        s = parent[s]
    return s

for line in open(os.path.join(here, "labelled_pairs.tsv")).read().splitlines()[1:]:
    a, b, label = line.split("\t")[:3]
    ra, rb = find(story_of[a]), find(story_of[b])
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)

quoted = {"solo-ru-021", "ru-040", "solo-ru-034", "ru-077", "solo-ru-028", "ru-078"}
quoted_units = {find(s) for s in quoted}
with open(os.path.join(here, "split.tsv"), "w") as out:
    out.write("story\tpart\n")
    for s in stories:
        unit = find(s)
        if unit in quoted_units:
            part = "tuning"
        else:
            part = "validation" if hashlib.sha256(unit.encode()).digest()[0] % 3 == 0 else "tuning"
        out.write(f"{s}\t{part}\n")
