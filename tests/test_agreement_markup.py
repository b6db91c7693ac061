"""Markup, spacing and HTML as citeproc-js prints them (agreement findings of issue 10).

Every expected string below is citeproc-js 2.4.63's output for the same style and item.
"""

from __future__ import annotations

from citekit.csl.engine import process
from citekit.csl.style import parse_style


def minimal(layout: str, bib_layout: str | None = None, *, locale: str = "en-US", attrs: str = "") -> str:
    bib = f'<bibliography><layout>{bib_layout}</layout></bibliography>' if bib_layout else ""
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" '
            f'default-locale="{locale}"><info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated>'
            f'</info><citation{attrs}><layout>{layout}</layout></citation>{bib}</style>')


def run(layout, items, *, bib_layout=None, fmt="text", **kw):
    style = parse_style(minimal(layout, bib_layout, **kw))
    return process(style, items, [[{"id": it["id"]}] for it in items], format=fmt)


BOOK = {"id": "b1", "type": "book", "title": "Les outils", "author": [{"family": "Leroi", "given": "André"}],
        "publisher": "CNRS", "issued": {"date-parts": [[1964]]}}


def test_a_block_that_opens_an_entry_starts_with_a_line_break_in_text():
    result = run('<text variable="title"/>', [BOOK],
                 bib_layout='<group display="block"><names variable="author"/></group>'
                            '<group display="block"><text variable="title"/></group>')
    assert [e.text for e in result.bibliography] == ["\nAndré Leroi\nLes outils"]
