"""docs/ARCHITECTURE.md's module graph is Package.swift's, and every module imports only what it declares.

The graph comes from scripts/module-graph.py (`swift package dump-package`: the manifest only, no network, under a
second). The import check reads every Swift file of each non-test target: a module that imports a Gazette module or a
package's product it does not list among its dependencies fails, which is what makes each module's "must not import"
in docs/ARCHITECTURE.md a rule rather than a wish.
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from requirement import require

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "module-graph.py"
DOC = ROOT / "docs" / "ARCHITECTURE.md"

# Modules of the toolchain and the platform: importable without a dependency in Package.swift.
PLATFORM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationInternationalization", "Glibc", "Musl",
    "Darwin", "Dispatch", "Synchronization", "_Concurrency", "Observation", "RegexBuilder",
}

# Imports Package.swift does not declare that the check tolerates (each would compile only because the module comes
# in with another dependency). The ones found when this test was written were declared in Package.swift instead.
KNOWN: set[tuple[str, str, str]] = set()

# `import X`, `@testable import X`, `public import X`, `@preconcurrency import X`, `import struct X.Y`, …
IMPORT = re.compile(
    r"^[ \t]*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?([A-Za-z_]\w*)",
    re.MULTILINE,
)


def run_script(*arguments: str) -> subprocess.CompletedProcess[str]:
    require("SWIFT", shutil.which("swift") is not None,
            "swift is not on PATH (scripts/module-graph.py reads Package.swift through `swift package dump-package`)")
    return subprocess.run([sys.executable, str(SCRIPT), *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def graph() -> dict[str, dict]:
    result = run_script("--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def documented_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    begin, end = "<!-- module-graph:begin -->\n", "<!-- module-graph:end -->"
    assert text.count(begin) == 1 and text.count(end) == 1, f"{DOC.name} needs exactly one module-graph marker pair"
    return text[text.index(begin) + len(begin):text.index(end)]


def test_the_documented_graph_is_package_swifts() -> None:
    result = run_script()
    assert result.returncode == 0, result.stderr
    assert documented_section() == result.stdout, (
        "docs/ARCHITECTURE.md's module graph differs from Package.swift: run scripts/module-graph.py --update")


def test_the_graph_holds_the_package_s_own_targets_without_tests(graph: dict[str, dict]) -> None:
    manifest = (ROOT / "Package.swift").read_text(encoding="utf-8")
    declared = set(re.findall(r'\.(?:target|executableTarget|systemLibrary)\(name: "([^"]+)"', manifest))
    tests = set(re.findall(r'\.testTarget\(name: "([^"]+)"', manifest))
    assert declared and tests
    assert set(graph) == declared
    assert not set(graph) & tests
    # Spot checks against the manifest's text, so a script that dropped edges would not pass unnoticed.
    assert "GazetteCore" in graph["GazetteStorage"]["targets"] and "GRDB" in graph["GazetteStorage"]["products"]
    assert graph["GazetteMarkdown"]["targets"] == ["CCmarkGFM"]
    assert graph["CCmarkGFM"]["kind"] == "system library" and graph["gazette"]["kind"] == "executable"


def test_the_graph_has_no_cycle(graph: dict[str, dict]) -> None:
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", f"dependency cycle: {' → '.join(trail + [name])}"
        state[name] = "open"
        for dependency in graph[name]["targets"]:
            visit(dependency, trail + [name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_no_shipped_module_depends_on_test_support(graph: dict[str, dict]) -> None:
    support = {name for name, module in graph.items() if module["kind"] == "test support"}
    assert support == {"GazetteTestSupport", "GazetteStorageTesting"}
    users = {name for name, module in graph.items() if set(module["targets"]) & support} - support
    assert users == {"gazette-bench"}, f"test support is for tests and gazette-bench only, not {sorted(users)}"


def undeclared_imports(graph: dict[str, dict]) -> set[tuple[str, str, str]]:
    found = set()
    for name, module in graph.items():
        allowed = set(module["targets"]) | set(module["products"]) | PLATFORM | {name}
        for path in sorted((ROOT / module["path"]).rglob("*.swift")):
            for imported in IMPORT.findall(path.read_text(encoding="utf-8")):
                if imported not in allowed:
                    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    found.add((name, str(shown), imported))
    return found


def test_no_module_imports_what_it_does_not_declare(graph: dict[str, dict]) -> None:
    found = undeclared_imports(graph)
    assert sum(1 for _ in (ROOT / "Sources").rglob("*.swift")) > 100  # the walk did read the sources
    new = sorted(found - KNOWN)
    assert not new, "imports not declared in Package.swift (declare the dependency or drop the import):\n" + "\n".join(
        f"  {path}: {name} imports {imported}" for name, path, imported in new)
    fixed = sorted(KNOWN - found)
    assert not fixed, "no longer found; take them out of KNOWN in this test:\n" + "\n".join(map(str, fixed))


def test_the_import_check_sees_an_undeclared_import(graph: dict[str, dict], tmp_path: pathlib.Path) -> None:
    """The check itself can fail: a file in GazetteCore that imports GazetteStorage is caught."""
    core = dict(graph["GazetteCore"])
    (tmp_path / "Bad.swift").write_text("import Foundation\n@testable import GazetteStorage\nimport struct GRDB.Row\n")
    core["path"] = str(tmp_path)
    found = undeclared_imports({"GazetteCore": core})
    assert {imported for _, _, imported in found} == {"GazetteStorage", "GRDB"}
