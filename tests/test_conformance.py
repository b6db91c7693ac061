"""The official CSL test suite, run through citekit.render.

Every fixture must pass unless it is in csl_known_failures.txt, and a listed fixture
that passes fails the run (xfail strict) until it is taken off the list, so the list
can only shrink. The suite is read from ../shared/csl-test-suite or
$CITEKIT_CSL_TEST_SUITE; where neither exists the tests are skipped with a message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import citekit
from citekit import registry
from citekit.csl import Document
from csl_suite import fixture_paths, read_fixture, run_fixture, suite_dir

SUITE = suite_dir()
KNOWN = Path(__file__).with_name("csl_known_failures.txt")


def _known_failures() -> dict[str, str]:
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition("#")
        out[name.strip()] = reason.strip()
    return out


KNOWN_FAILURES = _known_failures()
PATHS = fixture_paths(SUITE) if SUITE else []
RESULTS: dict[str, bool] = {}


def _render(style, items, clusters, fmt):
    return citekit.render(style, items, clusters, format=fmt)


def _document(style, fmt):
    return Document(registry.resolve(style), format=fmt)


def test_known_failures_have_reasons_and_exist():
    assert all(KNOWN_FAILURES.values()), "every known failure needs a one-line reason"
    if SUITE:
        names = {p.stem for p in PATHS}
        stale = sorted(set(KNOWN_FAILURES) - names)
        assert not stale, f"known failures that are not fixtures: {stale}"


@pytest.mark.skipif(SUITE is None, reason="CSL test suite not found: put it at ../shared/csl-test-suite "
                                         "or set CITEKIT_CSL_TEST_SUITE")
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture(path, request):
    fx = read_fixture(path)
    if path.stem in KNOWN_FAILURES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_FAILURES[path.stem], strict=True))
    try:
        got = run_fixture(fx, _render, _document)
    except Exception:
        RESULTS[path.stem] = False
        raise
    ok = got.strip() == fx["result"].strip()
    RESULTS[path.stem] = ok
    assert got.strip() == fx["result"].strip()


if not PATHS:
    def test_suite_missing():
        pytest.skip("CSL test suite not found: put it at ../shared/csl-test-suite or set CITEKIT_CSL_TEST_SUITE")
