#!/usr/bin/env python3
"""WeasyPrint side of the PDF benchmark (markdown -> HTML -> WeasyPrint; A4, 2 cm margins, 12 pt).

Creates its own virtual environment (bench/.venv-weasyprint) on first use, then measures, on the same
markdown file Gazette renders:
  * warm: per-document median over N renders in one process (after one warm-up render),
  * cold: wall time and peak RSS of a fresh process rendering one document (median of K runs),
  * peak RSS of the warm process.
Prints one JSON object on stdout. Usage:
  python3 bench/pdf/weasyprint_bench.py FILE.md [--runs 10] [--cold-runs 3]
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(os.path.dirname(HERE), ".venv-weasyprint")
PYTHON = os.path.join(VENV, "bin", "python")

CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
body { font-family: 'DejaVu Sans', 'Noto Color Emoji', sans-serif; font-size: 12pt; line-height: 1.2; }
table { border-collapse: collapse; } th, td { padding: 3pt 5pt; border-bottom: 0.4pt solid #bbb; }
th { background: #eef0f4; } code, pre { font-family: 'DejaVu Sans Mono', monospace; }
pre { background: #f4f4f5; padding: 5pt; white-space: pre-wrap; }
blockquote { border-left: 2pt solid #c7ccd9; margin-left: 0; padding-left: 10pt; }
a { color: #1a55b0; text-decoration: none; }
"""


def ensure_venv():
    if os.path.exists(PYTHON):
        probe = subprocess.run([PYTHON, "-c", "import weasyprint, markdown"], capture_output=True)
        if probe.returncode == 0:
            return
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "weasyprint", "markdown"], check=True)


def render_loop(path, runs, out):
    """Runs inside the venv: renders `runs` times and prints timings as JSON."""
    import resource
    started = time.perf_counter()
    import markdown
    import weasyprint
    import_seconds = time.perf_counter() - started
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    times = []
    pages = 0
    for _ in range(runs):
        begin = time.perf_counter()
        body = markdown.markdown(source, extensions=["tables", "fenced_code"])
        html = ("<!doctype html><html><head><meta charset='utf-8'><title>Digest</title>"
                "<meta name='author' content='Gazette'></head><body>" + body + "</body></html>")
        document = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=CSS)])
        data = document.write_pdf()
        times.append((time.perf_counter() - begin) * 1000)
        pages = len(document.pages)
    if out:
        with open(out, "wb") as handle:
            handle.write(data)
    print(json.dumps({
        "times_ms": times, "pages": pages, "bytes": len(data), "import_ms": import_seconds * 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "weasyprint_version": weasyprint.__version__,
    }))


def timed_process(arguments):
    """Wall seconds and peak RSS (MB) of one child process, measured with /usr/bin/time."""
    begin = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + arguments, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - begin
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return wall, peak_kb / 1024, result.stdout


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--render-loop":
        render_loop(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 10
    cold_runs = int(sys.argv[sys.argv.index("--cold-runs") + 1]) if "--cold-runs" in sys.argv else 3
    ensure_venv()
    script = os.path.abspath(__file__)
    # Warm: one warm-up render, then `runs` measured renders in the same process.
    _, warm_rss, output = timed_process([PYTHON, script, "--render-loop", path, str(runs + 1)])
    warm = json.loads(output)
    measured = warm["times_ms"][1:]
    colds = [timed_process([PYTHON, script, "--render-loop", path, "1"]) for _ in range(cold_runs)]
    print(json.dumps({
        "engine": "weasyprint " + warm["weasyprint_version"],
        "warm_median_ms": statistics.median(measured),
        "warm_min_ms": min(measured),
        "first_render_ms": warm["times_ms"][0],
        "runs": runs,
        "cold_process_s": statistics.median(wall for wall, _, _ in colds),
        "cold_peak_rss_mb": statistics.median(rss for _, rss, _ in colds),
        "warm_peak_rss_mb": warm_rss,
        "pages": warm["pages"],
        "pdf_bytes": warm["bytes"],
    }, indent=2))


if __name__ == "__main__":
    main()
