"""Fuzzing the readers with hostile BibTeX, RIS, CSL-YAML and HTML text (issue 12).

Properties, for every generated input:
- `load()` returns (a `ReadResult` with `Problem`s); the only exception it may raise is
  the documented `ReaderError`, and every problem has a message and a line in the input;
- memory is bounded: tracemalloc's peak stays under a fixed bound for these small inputs;
- work is bounded by design, checked by counting, not by the clock: BibTeX inheritance
  merges each entry at most once, YAML aliases add at most `yaml_alias_nodes` to the
  items read, and libxml2 never sees an element with more than `html_attributes`;
- nothing is injected: no control character and no < or > in the items that the input
  did not hold, apart from CSL's own rich-text tags.

The CI profile runs a few dozen examples per format (seconds). The long profile:

    CITEKIT_FUZZ_EXAMPLES=5000 python -m pytest -q tests/test_fuzz_readers.py

(see benchmarks/fuzz_readers.py, which runs it for a given number of minutes).
"""

from __future__ import annotations

import os
import re
import tracemalloc
from contextlib import contextmanager

import lxml.html
from hypothesis import HealthCheck, given, settings

from citekit.readers import Limits, Problem, ReaderError, load
from citekit.readers import bibtex as bibtex_reader
from citekit.readers.html import _cap_attributes
from reader_strategies import bibtex_text, html_text, ris_text, yaml_text

EXAMPLES = int(os.environ.get("CITEKIT_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MEMORY_BOUND = 48 * 1024 * 1024  # bytes, for inputs of at most a few tens of kilobytes
LIMITS = Limits()

# CSL rich text the readers write on purpose (from LaTeX, Markdown); anything else
# tag-like in an item must come from the input itself.
_RICH_TAGS = {"<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>", "</span>",
              '<span class="nocase">', '<span style="font-variant:small-caps;">'}
_TAG = re.compile(r"<[^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|&#(\d+);?|&#[xX]([0-9a-fA-F]+);?")
_YAML_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "e": "\x1b", "f": "\x0c", "v": "\x0b",
                 "N": "\x85"}


def _written_controls(text: str) -> set[str]:
    """Control characters the input holds, raw or as an escape (YAML, JSON, HTML entities)."""
    found = set(_CONTROL.findall(text))
    for m in _ESCAPE.finditer(text):
        hex_digits = m.group(1) or m.group(2) or m.group(3) or m.group(5)
        code = int(hex_digits, 16) if hex_digits else int(m.group(4))
        if code < 0x110000:
            found.add(chr(code))
    found.update(ch for letter, ch in _YAML_ESCAPES.items() if "\\" + letter in text)
    return found


def _written_angles(text: str) -> int:
    """How many < and > the input holds, raw or escaped."""
    low = text.lower()
    return (text.count("<") + text.count(">") + sum(low.count(e) for e in (
        "&lt", "&gt", "&#60", "&#62", "&#x3c", "&#x3e", "\\x3c", "\\x3e", "\\u003c", "\\u003e")))


def _strings(value, budget: list[int]):
    """Every string in an item, aliases expanded (the walk is bounded by `budget`)."""
    stack = [value]
    while stack:
        budget[0] -= 1
        assert budget[0] >= 0, "an item is larger than its input and the alias limit allow"
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            stack.extend(current.keys())
            stack.extend(current.values())
        elif isinstance(current, (list, tuple)):
            stack.extend(current)


def _check(text: str, fmt: str) -> None:
    tracemalloc.start()
    try:
        try:
            result = load(text, fmt)
        except ReaderError as exc:  # documented: nothing could be read at all
            assert str(exc)
            return
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{peak:,} bytes for {len(text):,} characters of {fmt}"
    lines = len(text.splitlines()) + 2  # a lone \r ends a line too (RIS reads old Mac files)
    for problem in result.problems:
        assert isinstance(problem, Problem) and problem.message and str(problem)
        assert problem.line is None or 1 <= problem.line <= lines
    assert len(result.references) == len(result.items)
    budget = [4 * (len(text) + 100) + 2 * LIMITS.yaml_alias_nodes]
    written = _written_controls(text)
    angles = _written_angles(text)
    for item in result.items:
        for value in _strings(item, budget):
            for ch in _CONTROL.findall(value):
                assert ch in written, f"{ch!r} injected into {value!r}"
            # Markup: apart from CSL's rich-text tags, no < or > the input did not hold
            # (fields may be joined, so a tag-like run of text is fine if its brackets are the input's).
            bare = _TAG.sub(lambda m: "" if m.group(0) in _RICH_TAGS else m.group(0), value)
            assert bare.count("<") + bare.count(">") <= angles, f"markup injected into {value!r}"


@contextmanager
def _counting_merges():
    calls: list[str] = []
    original = bibtex_reader._Inheritance._merge

    def counting(self, key, parents):
        calls.append(key)
        return original(self, key, parents)

    bibtex_reader._Inheritance._merge = counting
    try:
        yield calls
    finally:
        bibtex_reader._Inheritance._merge = original


@FUZZ
@given(bibtex_text())
def test_fuzz_bibtex(text):
    with _counting_merges() as merges:
        _check(text, "bibtex")
    assert len(merges) == len(set(merges)), "an entry's inheritance was merged twice"


@FUZZ
@given(ris_text())
def test_fuzz_ris(text):
    _check(text, "ris")


@FUZZ
@given(yaml_text())
def test_fuzz_yaml(text):
    _check(text, "yaml")


@FUZZ
@given(html_text())
def test_fuzz_html(text):
    _check(text, "html")
    # libxml2 never sees an element with more attributes than the limit.
    capped, _ = _cap_attributes(text.encode("utf-8", "surrogatepass"), LIMITS.html_attributes)
    if capped.strip():
        root = lxml.html.document_fromstring(capped, parser=lxml.html.HTMLParser(encoding="utf-8"))
        assert max(len(el.attrib) for el in root.iter()) <= LIMITS.html_attributes
