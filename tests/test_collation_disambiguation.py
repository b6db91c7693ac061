"""Sorting with the locale's collation, and disambiguation in realistic documents, against
citeproc-js. Every expected string below is citeproc-js 2.4.63's output for the same style,
items and clusters (run with node and citeproc-py's locale files)."""

from __future__ import annotations

import citekit
from citekit import registry
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


# -- disambiguation in realistic documents --------------------------------------------------

GOODIN = {"family": "Goodin", "given": "Robert E."}
HANDBOOK = "The Oxford Handbook of Political Science"
DOCUMENT = [
    {"id": "ed", "type": "book", "title": HANDBOOK, "editor": [GOODIN], "issued": {"date-parts": [[2011]]},
     "publisher": "Oxford University Press", "publisher-place": "Oxford"},
    {"id": "ch", "type": "chapter", "title": "The State of the Discipline", "author": [GOODIN],
     "container-title": HANDBOOK, "editor": [GOODIN], "page": "3-57", "issued": {"date-parts": [[2011]]},
     "publisher": "Oxford University Press", "publisher-place": "Oxford"},
    {"id": "s1", "type": "article-journal", "title": "First", "author": [{"family": "Smith", "given": "John"}],
     "container-title": "J", "issued": {"date-parts": [[2019]]}},
    {"id": "s2", "type": "article-journal", "title": "Second", "author": [{"family": "Smith", "given": "John"}],
     "container-title": "J", "issued": {"date-parts": [[2019]]}},
    {"id": "s3", "type": "article-journal", "title": "Third", "author": [{"family": "Smith", "given": "Julia"}],
     "container-title": "J", "issued": {"date-parts": [[2019]]}},
    {"id": "u1", "type": "webpage", "title": "Page one", "author": [{"family": "Brown", "given": "Ann"}],
     "URL": "https://a.example/1", "accessed": {"date-parts": [[2024, 1, 9]]}},
    {"id": "u2", "type": "webpage", "title": "Page two", "author": [{"family": "Brown", "given": "Ann"}],
     "URL": "https://a.example/2", "accessed": {"date-parts": [[2024, 1, 9]]}},
]


def _document(style):
    """One cluster per item, inserted one after the other, as a word processor does."""
    doc = Document(registry.resolve(style), DOCUMENT)
    for it in DOCUMENT:
        doc.insert_cluster({"citationID": it["id"], "citationItems": [{"id": it["id"]}]})
    return doc.citations, [e.text.strip() for e in doc.bibliography()]


def test_edited_book_and_chapter_by_the_editor_take_year_suffixes():
    # the editor standing in for the book's author and the chapter's author are the same
    # name list: expanding "Goodin" to "R. E. Goodin" in one cite only tells nothing apart
    citations, bib = _document("harvard-cite-them-right")
    assert citations[:2] == ["(Goodin, 2011a)", "(Goodin, 2011b)"]
    assert bib[2:4] == [
        "Goodin, R.E. (ed.) (2011a) The Oxford Handbook of Political Science. Oxford: Oxford University Press.",
        "Goodin, R.E. (2011b) “The State of the Discipline,” in R.E. Goodin (ed.) The Oxford Handbook of "
        "Political Science. Oxford: Oxford University Press, pp. 3–57.",
    ]


def test_given_names_added_in_citations_show_in_the_bibliography():
    citations, bib = _document("harvard-cite-them-right")
    assert citations[2:5] == ["(John Smith, 2019a)", "(John Smith, 2019b)", "(Julia Smith, 2019)"]
    assert bib[4:7] == [
        "Smith, John (2019a) “First,” J [Preprint].",
        "Smith, John (2019b) “Second,” J [Preprint].",
        "Smith, Julia (2019) “Third,” J [Preprint].",
    ]


def test_undated_items_take_the_year_suffix_on_their_access_date():
    citations, bib = _document("springer-basic-author-date")
    assert citations == ["(Goodin 2011b)", "(Goodin 2011a)", "(Smith 2019a)", "(Smith 2019b)", "(Smith 2019c)",
                         "(Brown)", "(Brown)"]
    assert bib[:2] == ["Brown A Page one. https://a.example/1. Accessed 9 Jan 2024a",
                       "Brown A Page two. https://a.example/2. Accessed 9 Jan 2024b"]


# -- which clusters a document reports ---------------------------------------------------------

def _cluster(cid, ids, note, locator=None):
    return {"citationID": cid, "properties": {"noteIndex": note},
            "citationItems": [{"id": i, **({"locator": locator} if locator else {})} for i in ids]}


def _edits():
    """A writing session: five clusters added one by one, one inserted before the second
    (note numbers move), one edited to cite another item, one added at the end."""
    seq = [_cluster("A", ["ed"], 1), _cluster("B", ["ch"], 2), _cluster("C", ["ed"], 3, "5"),
           _cluster("D", ["s1", "s2"], 4), _cluster("E", ["ed"], 5)]
    pre = []
    for c in seq:
        yield c, list(pre), []
        pre.append([c["citationID"], c["properties"]["noteIndex"]])
    yield _cluster("X", ["ch"], 2), [["A", 1]], [["B", 3], ["C", 4], ["D", 5], ["E", 6]]
    yield _cluster("C", ["s3"], 4), [["A", 1], ["X", 2], ["B", 3]], [["D", 5], ["E", 6]]
    yield _cluster("Y", ["s1"], 7), [["A", 1], ["X", 2], ["B", 3], ["C", 4], ["D", 5], ["E", 6]], []


def _reports(style):
    items = {it["id"]: it for it in DOCUMENT}
    doc = Document(registry.resolve(style))
    out = []
    for citation, pre, post in _edits():
        cited = [items[c["id"]] for c in citation["citationItems"]]
        out.append([(u.index, u.text) for u in doc.process_citation_cluster(citation, pre, post, items=cited)])
    return out


def test_document_reports_renumbered_clusters_in_a_numeric_style():
    reports = _reports("gost-r-7-0-5-2008-numeric-alphabetical")
    assert [[i for i, _ in r] for r in reports] == [[0], [0, 1], [2], [0, 2, 3], [4], [1], [0, 3, 4, 5], [6]]
    assert reports[5:] == [[(1, "[1]")], [(0, "[5]"), (3, "[2]"), (4, "[3, 4]"), (5, "[5]")], [(6, "[3]")]]


def test_document_reports_clusters_whose_notes_or_disambiguation_moved():
    reports = _reports("chicago-notes-bibliography")
    assert [[i for i, _ in r] for r in reports] == [[0], [1], [0, 2], [3], [4], [1, 2], [3], [4, 6]]
    assert reports[5:] == [
        [(1, "Robert E. Goodin, “The State of the Discipline,” in The Oxford Handbook of Political Science, "
             "ed. Robert E. Goodin (Oxford University Press, 2011)."),
         (2, "Goodin, “The State of the Discipline.”")],
        [(3, "Julia Smith, “Third,” J, 2019.")],
        [(4, "John Smith, “First,” J, 2019; John Smith, “Second,” J, 2019."), (6, "Smith, “First.”")],
    ]
    # an author-date style: a new Smith joining the ambiguous "Smith 2019" re-renders the others
    reports = _reports("apa")
    assert [[i for i, _ in r] for r in reports] == [[0], [0, 1], [2], [3], [4], [1], [3, 4], [6]]
    assert reports[6] == [(3, "(Smith, 2019c)"), (4, "(Smith, 2019a, 2019b)")]


# -- disambiguate="true" one test at a time --------------------------------------------------

def test_disambiguate_condition_adds_only_what_tells_cites_apart():
    # chicago-notes' short notes meet several disambiguate="true" tests; citeproc-js turns them
    # on one at a time and stops at the first that separates the cites: the edition, not the
    # edition and the publisher
    items = [
        {"id": "w3", "type": "book", "title": "Complete Works", "edition": "5", "publisher": "Norton",
         "author": [{"family": "Roe", "given": "Ann"}], "issued": {"date-parts": [[1990]]}},
        {"id": "w4", "type": "book", "title": "Complete Works", "edition": "6", "publisher": "Norton",
         "author": [{"family": "Roe", "given": "Ann"}], "issued": {"date-parts": [[1995]]}},
    ]
    clusters = [[{"id": "w3"}], [{"id": "w4"}], [{"id": "w3", "locator": "4"}], [{"id": "w4", "locator": "4"}]]
    citations = citekit.render("chicago-notes-bibliography", items, clusters).citations
    assert citations[2:] == ["Roe, Complete Works, 5th ed., 4.", "Roe, Complete Works, 6th ed., 4."]


def test_primary_name_rule_counts_the_names_cites_and_sort_keys_render():
    # the chapters' editors are not in their cites: in APA and APSA "Williams" and "Mary Chen"
    # collide with no other first author, so Williams keeps no initials and Chen takes initials
    # only; Chicago's bibliography sort keys render the editors ("edited by Michael Williams"),
    # and citeproc-js counts every name it renders
    items = [
        {"id": "a", "type": "chapter", "title": "Chap", "author": [{"family": "Li", "given": "Lars"}],
         "editor": [{"family": "Williams", "given": "Michael"}], "container-title": "Book",
         "issued": {"date-parts": [[2012]]}, "publisher": "P"},
        {"id": "b", "type": "article-journal", "title": "Art", "author": [{"family": "Williams", "given": "Maria R."}],
         "container-title": "J", "issued": {"date-parts": [[2015]]}},
        {"id": "c", "type": "article-journal", "title": "Other", "author": [{"family": "Chen", "given": "Mary"}],
         "container-title": "J", "issued": {"date-parts": [[2005]]}},
        {"id": "d", "type": "chapter", "title": "Chap2", "author": [{"family": "Schmidt", "given": "James"}],
         "editor": [{"family": "Chen", "given": "Min-jun"}], "container-title": "Book2",
         "issued": {"date-parts": [[2008]]}, "publisher": "P"},
        {"id": "e", "type": "article-journal", "title": "Third", "author": [{"family": "Chen", "given": "Arjun"}],
         "container-title": "J", "issued": {"date-parts": [[2014]]}},
    ]
    clusters = [[{"id": it["id"]}] for it in items]
    assert citekit.render("apa", items, clusters).citations == [
        "(Li, 2012)", "(Williams, 2015)", "(M. Chen, 2005)", "(Schmidt, 2008)", "(A. Chen, 2014)"]
    assert citekit.render("american-political-science-association", items, clusters).citations == [
        "(Li 2012)", "(Williams 2015)", "(M. Chen 2005)", "(Schmidt 2008)", "(A. Chen 2014)"]
    assert citekit.render("chicago-author-date", items, clusters).citations == [
        "(Li 2012)", "(M. R. Williams 2015)", "(Mary Chen 2005)", "(Schmidt 2008)", "(A. Chen 2014)"]
