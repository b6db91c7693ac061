"""Fuzzing the engine with hostile styles and items (issue 12).

Each property feeds generated input (tests/strategies.py) to citekit and asserts:
- only citekit's documented errors (StyleError, CSLError, CitekitError) are raised;
- bounded work: the elements visited by every render stay within the style's work
  budget, and the number of renders within a fixed multiple of the cites and entries
  (counted, never timed);
- bounded memory: the peak traced by tracemalloc stays under a fixed bound;
- no injection: no control characters in any output, and HTML output holds no markup
  but the renderer's own.

This file is the short profile that runs with the test suite; the long profile runs
the same properties for as long as asked: `python benchmarks/fuzz.py --minutes 30`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tracemalloc

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import citekit
from citekit.csl import FORMATS, CSLError, StyleError, evaluate, parse_style, process
from citekit.csl.limits import LIMITS
from citekit.csl.output import RENDERERS
from citekit.errors import CitekitError

from strategies import csl_clusters, csl_item, csl_items, csl_style, hostile_numbers, hostile_text

# The short profile: a few dozen examples per property, well under a minute in all.
# benchmarks/fuzz.py sets these variables for the long profile (more examples, no
# shrinking while it hunts, a fresh random seed each round).
FUZZ = settings(
    max_examples=int(os.environ.get("CITEKIT_FUZZ_EXAMPLES", "6")),
    deadline=None,  # bounded work is checked by counting, never by the clock
    suppress_health_check=list(HealthCheck),
    phases=list(Phase) if os.environ.get("CITEKIT_FUZZ_SHRINK", "1") == "1" else
    [Phase.explicit, Phase.reuse, Phase.generate],
    database=None if os.environ.get("CITEKIT_FUZZ_NO_DATABASE") else settings.default.database,
)

DOCUMENTED = (StyleError, CSLError, CitekitError)
# tracemalloc's peak for one example, whatever the input: a base, and a share of the
# work budget (each element visited, each 64 characters of text, may stay in the result)
BASE_PEAK_BYTES = 24_000_000
PEAK_BYTES_PER_WORK = 6_000
STYLES = ("apa", "modern-language-association", "chicago-fullnote-bibliography", "ieee")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# everything the HTML renderer itself writes; any other "<" would be injected markup
_HTML_OWN = sorted({m.strip() for pair in [*RENDERERS["html"].markup.values(),
                                          *RENDERERS["html"].display_markup.values()]
                    for m in pair} | {'<div class="csl-bib-body">', '<div class="csl-entry">', "</div>"},
                   key=len, reverse=True)

STATS = {"examples": 0, "renders": 0, "max_work": 0, "max_peak": 0, "documented_errors": 0}


class Watch:
    """Counts the renders (frames) and the elements each visits, and traces memory."""

    def __init__(self):
        self.frames = []

    @contextlib.contextmanager
    def running(self):
        original = evaluate.Frame.__init__
        frames = self.frames

        def counting_init(frame, *args, **kwargs):
            original(frame, *args, **kwargs)
            frames.append(frame)

        evaluate.Frame.__init__ = counting_init
        tracemalloc.start()
        try:
            yield self
        finally:
            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            evaluate.Frame.__init__ = original

    def check(self, budget: int, units: int) -> None:
        STATS["examples"] += 1
        STATS["renders"] += len(self.frames)
        most = max((f.work for f in self.frames), default=0)
        STATS["max_work"] = max(STATS["max_work"], most)
        STATS["max_peak"] = max(STATS["max_peak"], self.peak)
        # per render: the budget (work is counted before it is done: a render stops at the budget)
        assert most <= budget, (most, budget)
        # renders: disambiguation, sorting and collapsing re-render a bounded number of times
        assert len(self.frames) <= 60 * units + 60, (len(self.frames), units)
        assert self.peak <= BASE_PEAK_BYTES + PEAK_BYTES_PER_WORK * budget, (self.peak, budget)


def check_output(texts: list[str], fmt: str) -> None:
    for text in texts:
        assert not _CONTROLS.search(text), repr(text[:200])
        text.encode("utf-8")  # no lone surrogate
        if fmt == "html":
            rest = text
            for markup in _HTML_OWN:
                rest = rest.replace(markup, "")
            assert "<" not in rest and ">" not in rest, rest[:300]


def render_checked(style, items, clusters, fmt):
    watch = Watch()
    result = None
    try:
        with watch.running():
            result = citekit.render(style, items, clusters, format=fmt)
    except DOCUMENTED:
        STATS["documented_errors"] += 1
    try:
        budget = citekit.resolve_style(style).work_budget()
    except DOCUMENTED:
        budget = LIMITS.min_work_budget
    units = len(items) + sum(len(c) if isinstance(c, list) else len(c.get("citationItems", [])) for c in clusters)
    watch.check(budget, units)
    if result is not None:
        check_output([*result.citations, *(e.text for e in result.bibliography), result.bibliography_block()],
                     fmt if fmt == "html" else "text")
        check_output(result.warnings, "text")
    return result


@FUZZ
@given(data=st.data(), style=st.sampled_from(STYLES), fmt=st.sampled_from(FORMATS))
def test_fuzz_hostile_items_in_official_styles(data, style, fmt):
    items = data.draw(csl_items())
    clusters = data.draw(csl_clusters([i["id"] for i in items]))
    render_checked(style, items, clusters, fmt)


@FUZZ
@given(data=st.data(), xml=csl_style(), fmt=st.sampled_from(FORMATS))
def test_fuzz_random_styles_with_hostile_items(data, xml, fmt):
    items = data.draw(csl_items(max_items=3))
    clusters = data.draw(csl_clusters([i["id"] for i in items]))
    render_checked(xml, items, clusters, fmt)


@FUZZ
@given(xml=csl_style())
def test_fuzz_random_styles_parse_or_fail_cleanly(xml):
    watch = Watch()
    try:
        with watch.running():
            style = parse_style(xml)
            style.expanded_size("citation")
            style.expanded_size("bibliography")
            process(style, [{"id": "a", "type": "book", "title": "T", "volume": "2", "issued": {"date-parts": [[2001]]},
                             "author": [{"family": "Doe", "given": "J"}]}], [["a"]])
    except DOCUMENTED:
        STATS["documented_errors"] += 1
    watch.check(budget_of(xml), 2)


def budget_of(xml: str) -> int:
    try:
        return parse_style(xml).work_budget()
    except DOCUMENTED:
        return LIMITS.min_work_budget


# Items that pass validation more often: one hostile field in an ordinary book.
_MILD_ITEMS = st.builds(lambda title, volume, note: {"id": "m", "type": "book", "title": title or "T",
                                                     "volume": volume, "note": note},
                        hostile_text(), hostile_numbers(), hostile_text(6))


@FUZZ
@given(item=st.one_of(csl_item(), _MILD_ITEMS), style=st.sampled_from(STYLES), fmt=st.sampled_from(FORMATS))
def test_fuzz_validated_items_through_cite(item, style, fmt):
    """cite() validates: an ItemError names the field, or the text is clean."""
    watch = Watch()
    text = None
    try:
        with watch.running():
            text = citekit.cite(item, style=style, format=fmt)
    except DOCUMENTED:
        STATS["documented_errors"] += 1
    watch.check(citekit.resolve_style(style).work_budget(), 2)
    if text is not None:
        check_output([text], fmt if fmt == "html" else "text")


@FUZZ
@given(data=st.data(), style=st.sampled_from(STYLES), fmt=st.sampled_from(FORMATS))
def test_fuzz_incremental_document(data, style, fmt):
    """Document: hostile items and clusters inserted one at a time, then edited."""
    items = data.draw(csl_items(max_items=3))
    clusters = data.draw(csl_clusters([i["id"] for i in items]))
    watch = Watch()
    doc = None
    try:
        with watch.running():
            doc = citekit.Document(style, items, format=fmt)
            for cluster in clusters:
                doc.insert_cluster(cluster)
            if doc.cluster_ids:
                doc.edit_cluster(doc.cluster_ids[0], clusters[-1])
            doc.add_items(items[:1])
    except DOCUMENTED:
        STATS["documented_errors"] += 1
    watch.check(citekit.resolve_style(style).work_budget(), (len(items) + len(clusters) + 2) * (len(clusters) + 2))
    if doc is not None:
        check_output([*doc.citations, *(e.text for e in doc.bibliography())], fmt if fmt == "html" else "text")
        check_output(doc.warnings, "text")
