#!/usr/bin/env python3
"""The module graph of Gazette's own targets, read from Package.swift through `swift package dump-package`.

Prints a Mermaid `graph TD` block and a plain list, both sorted, of every library, executable and system-library
target (test targets left out) with its dependencies on the others; the external products a module uses are listed on
its line. `--update` writes the same text into docs/ARCHITECTURE.md between the module-graph markers; `--check` exits
with 1 when that section differs. tests/python/test_architecture.py checks the section and every module's imports.

dump-package reads the manifest only (no resolution, no network), so this runs offline in well under a second.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN = "<!-- module-graph:begin -->"
END = "<!-- module-graph:end -->"

KINDS = {"regular": "library", "executable": "executable", "system": "system library"}


def dump_package(root: pathlib.Path = ROOT) -> dict:
    """The manifest as JSON; a failure names the command and its error."""
    command = ["swift", "package", "--package-path", str(root), "dump-package"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"module-graph: `{' '.join(command)}` failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def modules(package: dict) -> dict[str, dict]:
    """Each non-test target: its kind, its path, the targets it depends on and the external products it uses."""
    graph: dict[str, dict] = {}
    for target in package["targets"]:
        kind = KINDS.get(target["type"])
        if kind is None:  # test targets (and plugins, macros, which Gazette has none of)
            continue
        targets, products = set(), set()
        for dependency in target["dependencies"]:
            if "byName" in dependency:
                targets.add(dependency["byName"][0])
            elif "target" in dependency:
                targets.add(dependency["target"][0])
            elif "product" in dependency:
                products.add(dependency["product"][0])
            else:
                raise SystemExit(f"module-graph: unknown dependency form in {target['name']}: {dependency}")
        path = target.get("path") or f"Sources/{target['name']}"
        if path.startswith("Tests/"):  # GazetteTestSupport, GazetteStorageTesting: shared by tests and benchmarks
            kind = "test support"
        graph[target["name"]] = {
            "kind": kind,
            "path": path,
            "targets": sorted(targets),
            "products": sorted(products),
        }
    for name, module in graph.items():
        unknown = [t for t in module["targets"] if t not in graph]
        if unknown:
            raise SystemExit(f"module-graph: {name} depends on {', '.join(unknown)}, not a library of this package")
    return graph


def node_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def render(graph: dict[str, dict]) -> str:
    """The Mermaid block and the plain list (executables as stadiums, system libraries as cylinders)."""
    shapes = {"library": '["{}"]', "test support": '[/"{}"/]', "executable": '(["{}"])', "system library": '[("{}")]'}
    lines = ["```mermaid", "graph TD"]
    for name in sorted(graph):
        lines.append(f"  {node_id(name)}{shapes[graph[name]['kind']].format(name)}")
    for name in sorted(graph):
        for dependency in graph[name]["targets"]:
            lines.append(f"  {node_id(name)} --> {node_id(dependency)}")
    lines += ["```", ""]
    for name in sorted(graph):
        module = graph[name]
        line = f"- `{name}` ({module['kind']}) → {', '.join(module['targets']) or 'nothing of Gazette'}"
        if module["products"]:
            line += f"; uses {', '.join(module['products'])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def section(text: str) -> tuple[int, int]:
    """Where the generated text sits in the doc (the offsets between the markers)."""
    begin, end = text.find(BEGIN), text.find(END)
    if begin < 0 or end < begin or text.count(BEGIN) != 1 or text.count(END) != 1:
        raise SystemExit(f"module-graph: {DOC.relative_to(ROOT)} needs exactly one {BEGIN} … {END} pair")
    return begin + len(BEGIN) + 1, end


def documented(text: str) -> str:
    start, stop = section(text)
    return text[start:stop]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="rewrite the section of docs/ARCHITECTURE.md")
    mode.add_argument("--check", action="store_true", help="exit 1 when docs/ARCHITECTURE.md's section differs")
    parser.add_argument("--json", action="store_true", help="print the graph as JSON (for tests)")
    arguments = parser.parse_args()

    graph = modules(dump_package())
    if arguments.json:
        print(json.dumps(graph, indent=2, sort_keys=True))
        return 0
    output = render(graph)
    if not (arguments.update or arguments.check):
        sys.stdout.write(output)
        return 0
    text = DOC.read_text(encoding="utf-8")
    if arguments.check:
        if documented(text) != output:
            print(f"{DOC.relative_to(ROOT)}: the module graph is out of date: run scripts/module-graph.py --update",
                  file=sys.stderr)
            return 1
        return 0
    start, stop = section(text)
    DOC.write_text(text[:start] + output + text[stop:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
