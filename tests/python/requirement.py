"""One rule for every test that needs something outside the repository (a server, a library, a tool, the binary),
the same as the Swift tests' `TestRequirement`: without it a plain pytest run skips the test and says why; `make test`
sets GAZETTE_TEST_REQUIRE_<NAME>=1 for every requirement, and then a missing one fails the test instead. Nothing is
skipped silently under `make test`."""
from __future__ import annotations

import os

import pytest


def required(name: str) -> bool:
    return os.environ.get(f"GAZETTE_TEST_REQUIRE_{name}") == "1"


def require(name: str, present: bool, what: str) -> None:
    """Skips (or, when required, fails) the calling test unless `present`; `what` says what is missing and how to get it."""
    if present:
        return
    variable = f"GAZETTE_TEST_REQUIRE_{name}"
    if required(name):
        pytest.fail(f"{what} ({variable}=1)")
    pytest.skip(f"{what}; `make test` sets {variable}=1 and then fails instead")


def mark(name: str, present: bool, what: str) -> pytest.MarkDecorator:
    """The same rule as a decorator: skip unless present or required (a required but missing one then fails in the test)."""
    return pytest.mark.skipif(not present and not required(name), reason=f"{what}; `make test` sets GAZETTE_TEST_REQUIRE_{name}=1")
