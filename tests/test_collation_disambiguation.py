"""Sorting with the locale's collation, and disambiguation in realistic documents, against
citeproc-js. Every expected string below is citeproc-js 2.4.63's output for the same style,
items and clusters (run with node and citeproc-py's locale files)."""

from __future__ import annotations

import citekit
from citekit.csl import Document


def _book(iid, family, given, year, title, publisher="Press", **extra):
    return {"id": iid, "type": "book", "title": title, "publisher": publisher,
            "author": [{"family": family, "given": given}], "issued": {"date-parts": [[year]]}, **extra}


# -- sorting with the locale's collation ---------------------------------------------------

MIXED_SCRIPTS = [
    _book("a", "Adams", "John", 2001, "Zoology", "X"),
    _book("b", "Иванов", "Пётр", 2005, "Физика", "Наука"),
    _book("c", "Ёлкин", "Иван", 2003, "Химия", "Наука"),
    _book("d", "Smith", "Jane", 1999, "Biology", "Y"),
]


def _bib(style, items, locale=None):
    return [e.text.strip() for e in citekit.render(style, items, None, locale=locale).bibliography]


def test_russian_style_sorts_cyrillic_before_latin():
    # the style's own locale (ru-RU) decides the order, and with it every citation number
    result = citekit.render("gost-r-7-0-5-2008-numeric-alphabetical", MIXED_SCRIPTS,
                            [[{"id": "a"}], [{"id": "b"}], [{"id": "c"}], [{"id": "d"}]])
    assert result.citations == ["[3]", "[2]", "[1]", "[4]"]
    assert [e.text.strip() for e in result.bibliography] == [
        "1. Ёлкин И. Химия / И. Ёлкин, Наука, 2003.",
        "2. Иванов П. Физика / П. Иванов, Наука, 2005.",
        "3. Adams J. Zoology / J. Adams, X, 2001.",
        "4. Smith J. Biology / J. Smith, Y, 1999.",
    ]


def test_requested_locale_decides_the_collation():
    assert _bib("harvard-cite-them-right", MIXED_SCRIPTS, locale="ru-RU") == [
        "Ёлкин, И. (2003) Химия. Наука.",
        "Иванов, П. (2005) Физика. Наука.",
        "Adams, J. (2001) Zoology. X.",
        "Smith, J. (1999) Biology. Y.",
    ]
    assert _bib("harvard-cite-them-right", MIXED_SCRIPTS) == [
        "Adams, J. (2001) Zoology. X.",
        "Smith, J. (1999) Biology. Y.",
        "Ёлкин, И. (2003) Химия. Наука.",
        "Иванов, П. (2005) Физика. Наука.",
    ]
