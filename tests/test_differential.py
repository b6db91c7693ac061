"""The engine's shortcuts print exactly what the plain walk prints (issue 14).

Each shortcut can be switched off; with it off, the engine does the work in full. Every
fixture of the CSL test suite and the agreement corpus (45 official styles, text and HTML)
must print the same both ways, errors included:

- item shapes (csl/shapes.py): the style's tree specialised per item type and variables,
  against the style's own tree;
- sort keys made when a comparison needs them (csl/sort.py, LATER), against every key made
  for every item;
- groups whose terms, values and labels wait for a variable skipped when the item lacks
  every variable that counts in them (csl/evaluate.py, SKIP_WAITING_GROUPS), against
  walking them to find them empty;
- branches of terms that need the variables their conditions test (SKIP_UNTAKEN_BRANCHES),
  against walking the groups around them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import citekit
from citekit.csl import StyleError, engine, evaluate, parse_style, shapes, sort
from citekit.registry import Registry
from csl_suite import fixture_paths, read_fixture, run_fixture, suite_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "agreement"))

import regenerate  # noqa: E402

SUITE = suite_dir()


def _unshaped(monkeypatch):
    monkeypatch.setattr(shapes, "ENABLED", False)


def _every_key_made(monkeypatch):
    monkeypatch.setattr(engine, "INVARIANT", sort.EAGER)
    monkeypatch.setattr(engine, "AFTER_FIRST", sort.EAGER)


def _terms_not_neutral(monkeypatch):
    monkeypatch.setattr(evaluate, "SKIP_WAITING_GROUPS", False)


def _branches_walked(monkeypatch):
    monkeypatch.setattr(evaluate, "SKIP_UNTAKEN_BRANCHES", False)


PLAIN = {"unshaped": _unshaped, "every sort key made": _every_key_made,
         "groups with terms walked": _terms_not_neutral, "untaken branches walked": _branches_walked}


def _fixture_output(fx) -> str:
    def render(style_xml, items, clusters, fmt):
        return citekit.render(parse_style(style_xml), items, clusters, format=fmt)
    try:
        return run_fixture(fx, render)
    except Exception as exc:  # noqa: BLE001  (a fixture that fails must fail the same way)
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.skipif(SUITE is None, reason="CSL test suite not found (../shared/csl-test-suite or "
                    "$CITEKIT_CSL_TEST_SUITE)")
@pytest.mark.parametrize("plain", sorted(PLAIN))
def test_every_test_suite_fixture_prints_the_same_with_the_shortcut_and_without(plain, monkeypatch):
    fixtures = [read_fixture(path) for path in fixture_paths(SUITE)]
    fast = [_fixture_output(fx) for fx in fixtures]
    with monkeypatch.context() as m:
        PLAIN[plain](m)
        slow = [_fixture_output(fx) for fx in fixtures]
    differ = [(fx["name"], a, b) for fx, a, b in zip(fixtures, slow, fast) if a != b]
    assert not differ, differ[:3]
    assert len(fixtures) > 800


def _corpus_outputs(style, items, clusters) -> dict:
    out = {}
    for fmt in ("text", "html"):
        try:
            result = citekit.render(style, items, clusters, format=fmt)
        except StyleError as exc:
            out[fmt] = str(exc)
            continue
        out[fmt] = (list(result.citations), [(e.id, e.text) for e in result.bibliography], list(result.warnings))
    return out


@pytest.mark.parametrize("plain", sorted(PLAIN))
def test_agreement_corpus_prints_the_same_with_the_shortcut_and_without(plain, monkeypatch):
    items, clusters, _ = regenerate.agreement.load_corpus()
    # (each its own registry: a style parsed apart, keeping nothing the other run made in it)
    fast_styles, slow_styles = Registry(cache_dir=None), Registry(cache_dir=None)
    checked = 0
    for sid in regenerate.agreement.TEST_STYLES:
        fast = _corpus_outputs(fast_styles.resolve(sid), items, clusters)
        with monkeypatch.context() as m:
            PLAIN[plain](m)
            slow_style = slow_styles.resolve(sid)
            assert slow_style is not fast_styles.resolve(sid)
            slow = _corpus_outputs(slow_style, items, clusters)
        assert fast == slow, (plain, sid)
        checked += 1
    assert checked >= 40
