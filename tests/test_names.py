"""Name formatting: initials, particles, et-al, and name sort keys."""

from __future__ import annotations

import pytest

from citekit.csl import parse_style, process
from citekit.csl.names import initialize
from citekit.csl.variables import normalize_names

# -- initials ------------------------------------------------------------------------


@pytest.mark.parametrize("given, terminator, expected", [
    ("John Robert", ". ", "J. R."),
    ("John Robert", ".", "J.R."),
    ("John Robert", "", "JR"),
    ("Jean-Paul", ". ", "J.-P."),
    ("Jean-Paul", "", "J-P"),
    ("Guo-ping", ". ", "G."),  # a hyphen before a lower-case letter joins one name
    ("ME", " ", "M"),  # capitals in one word are one name, not two initials
    ("M.E", " ", "M E"),
    ("Ph. M.E.", ". ", "Ph. M. E."),  # "Ph." is an abbreviation and stays whole
    ("Ts. Tserendorj", ". ", "Ts. T."),
    ("J.B. de C.M.", ".", "J.B. de C.M."),  # lower-case words stay, apart
    ("O'Malley", ". ", "O."),
    ("Lord", ". ", "Lord"),
])
def test_initialize(given, terminator, expected):
    assert initialize(given, terminator) == expected


def test_initialize_without_hyphen():
    # initialize-with-hyphen="false": the hyphen goes, the initials stay apart
    assert initialize("Jean-Paul", ". ", hyphen=False) == "J. P."
    assert initialize("Jean-Paul", "", hyphen=False) == "JP"


@pytest.mark.parametrize("given, terminator, expected", [
    ("ME", " ", "ME"),  # not initials: left alone
    ("M.E", ". ", "M. E."),
    ("M E.", ".", "M.E."),
    ("John M.E.", " ", "John M E"),  # a full name is kept, its initials re-punctuated
    ("John M.E.", "", "John ME"),
    ("Me.", " ", "Me"),
    ("Ph.M.E.", "", "PhME"),
])
def test_initialize_false_only_normalizes(given, terminator, expected):
    assert initialize(given, terminator, normalize_only=True) == expected


def test_initialize_keeps_markup_around_the_initial():
    assert initialize("<b>John</b> Quiggly", ". ") == "<b>J.</b> Q."
    assert initialize("<b>John</b>-Quiggly", ". ") == "<b>J.</b>-Q."


def test_initialize_leaves_other_scripts():
    assert initialize("太郎", ". ") == "太郎"


# -- particles and suffixes --------------------------------------------------------------

def _one(**name):
    return normalize_names([name], "author", "x", None)[0]


@pytest.mark.parametrize("name, expected", [
    ({"family": "van Gogh", "given": "Vincent"},
     {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}),
    ({"family": "van der Vlist", "given": "Eric"},
     {"family": "Vlist", "given": "Eric", "non-dropping-particle": "van der"}),
    ({"family": "al-One", "given": "Alan"},
     {"family": "One", "given": "Alan", "non-dropping-particle": "al-"}),
    ({"family": "d'Aubignac", "given": "F."},
     {"family": "Aubignac", "given": "F.", "non-dropping-particle": "d'"}),
    # an apostrophe particle written apart keeps its space for the join
    ({"family": "de' Frinkle", "given": "B"},
     {"family": "Frinkle", "given": "B", "non-dropping-particle": "de' "}),
    ({"family": "Humboldt", "given": "Alexander von"},
     {"family": "Humboldt", "given": "Alexander", "dropping-particle": "von"}),
    ({"family": "Doe", "given": "John, Jr."},
     {"family": "Doe", "given": "John", "suffix": "Jr."}),
    ({"family": "Doe", "given": "John,! Jr."},
     {"family": "Doe", "given": "John", "suffix": "Jr.", "comma-suffix": True}),
    # capitals are names, not particles; quotes and family-only names are kept
    ({"family": "Van Gogh", "given": "Vincent"}, {"family": "Van Gogh", "given": "Vincent"}),
    ({"family": '"van Gogh"', "given": "Vincent"}, {"family": "van Gogh", "given": "Vincent"}),
    ({"family": "van Gogh"}, {"family": "van Gogh"}),
    ({"family": "Doe", "given": "john"}, {"family": "Doe", "given": "john"}),
])
def test_parse_particles(name, expected):
    assert _one(**name) == expected


def test_parse_names_false_keeps_the_name():
    assert _one(family="van Gogh", given="Vincent", **{"parse-names": False}) == {
        "family": "van Gogh", "given": "Vincent"}


# -- rendering ---------------------------------------------------------------------------

def _style(name_attrs="", style_attrs="", citation_attrs="", sort="", etal=""):
    return parse_style(f"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
        {style_attrs}>
      <info><id>t</id><title>t</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <citation {citation_attrs}>
        {sort}
        <layout delimiter="; "><names variable="author"><name {name_attrs}/>{etal}</names></layout>
      </citation>
    </style>""")


def _cite(style, *authors):
    items = [{"id": str(i), "type": "book", "author": a} for i, a in enumerate(authors)]
    return process(style, items, [[{"id": it["id"]} for it in items]]).citations[0]


VAN_GOGH = [{"family": "van Gogh", "given": "Vincent"}]


def test_particles_by_demote_setting():
    inverted = 'name-as-sort-order="all"'
    assert _cite(_style(inverted), VAN_GOGH) == "Gogh, Vincent van"
    assert _cite(_style(inverted, 'demote-non-dropping-particle="sort-only"'), VAN_GOGH) == "van Gogh, Vincent"
    assert _cite(_style(inverted, 'demote-non-dropping-particle="never"'), VAN_GOGH) == "van Gogh, Vincent"
    assert _cite(_style(), VAN_GOGH) == "Vincent van Gogh"
    assert _cite(_style('form="short"'), VAN_GOGH) == "van Gogh"


def test_elided_dropping_particle_attaches_to_the_family_name():
    name = [{"family": "Aubignac", "given": "François Hédelin d'"}]
    assert _cite(_style(), name) == "François Hédelin d’Aubignac"
    assert _cite(_style('name-as-sort-order="all"'), name) == "Aubignac, François Hédelin d’"


def test_suffix_and_comma_suffix():
    assert _cite(_style(), [{"family": "Doe", "given": "John, Jr."}]) == "John Doe Jr."
    assert _cite(_style(), [{"family": "Doe", "given": "John,! Jr."}]) == "John Doe, Jr."
    assert _cite(_style('name-as-sort-order="all"'), [{"family": "Doe", "given": "John, Jr."}]) == "Doe, John, Jr."


FIVE = [{"family": f, "given": "A"} for f in ("One", "Two", "Three", "Four", "Five")]


def test_et_al_and_et_al_use_last():
    assert _cite(_style('et-al-min="3" et-al-use-first="1"'), FIVE) == "A One et al."
    assert _cite(_style('et-al-min="3" et-al-use-first="2"'), FIVE) == "A One, A Two, et al."
    assert _cite(_style('et-al-min="3" et-al-use-first="2" delimiter-precedes-et-al="never"'),
                 FIVE) == "A One, A Two et al."
    assert _cite(_style('et-al-min="3" et-al-use-first="2" et-al-use-last="true"'),
                 FIVE) == "A One, A Two, … A Five"
    assert _cite(_style('et-al-min="3" et-al-use-first="1" et-al-use-last="true"'),
                 FIVE) == "A One … A Five"
    # use-last needs two names left out; with one, et-al is used
    assert _cite(_style('et-al-min="3" et-al-use-first="3" et-al-use-last="true"'),
                 FIVE[:4]) == "A One, A Two, A Three, et al."
    # et-al-use-first names show before the ellipsis (citeproc-js shows et-al-min - 2 at
    # most, "A One … A Five" here: a defect not followed, docs/guide.md)
    six = FIVE + [{"family": "Six", "given": "A"}]
    assert _cite(_style('et-al-min="3" et-al-use-first="2" et-al-use-last="true"'),
                 six) == "A One, A Two, … A Six"


def test_and_and_delimiter_precedes_last():
    two, three = FIVE[:2], FIVE[:3]
    assert _cite(_style('and="text"'), two) == "A One and A Two"
    assert _cite(_style('and="text"'), three) == "A One, A Two, and A Three"
    assert _cite(_style('and="symbol" delimiter-precedes-last="never"'), three) == "A One, A Two & A Three"
    assert _cite(_style('and="text" delimiter-precedes-last="always"'), two) == "A One, and A Two"
    assert _cite(_style('and="text" name-as-sort-order="first" delimiter-precedes-last="after-inverted-name"'),
                 two) == "One, A, and A Two"


def test_initialize_false_keeps_full_given_names():
    names = [{"family": "Doe", "given": "John M.E."}]
    assert _cite(_style('initialize-with=". " initialize="false"'), names) == "John M. E. Doe"
    assert _cite(_style('initialize-with=". "'), names) == "J. M. E. Doe"


# -- sorting -----------------------------------------------------------------------------

def _sorted(style_attrs, names_list, key='<key variable="author"/>'):
    style = _style(style_attrs=style_attrs, sort=f"<sort>{key}</sort>")
    return _cite(style, *names_list)


def test_sort_keys_follow_particle_demotion():
    authors = [[{"family": "van Gogh", "given": "Vincent"}], [{"family": "Hals", "given": "Frans"}],
               [{"family": "Vermeer", "given": "Johannes"}]]
    assert _sorted("", authors) == "Vincent van Gogh; Frans Hals; Johannes Vermeer"
    assert _sorted('demote-non-dropping-particle="never"', authors) == \
        "Frans Hals; Vincent van Gogh; Johannes Vermeer"


def test_sort_by_names_compares_name_by_name():
    # a shorter list sorts first; punctuation and case do not get in the way
    authors = [[{"family": "Smith", "given": "A."}, {"family": "Jones", "given": "T."}],
               [{"family": "Smith", "given": "A."}],
               [{"family": "smith", "given": "Al"}]]
    assert _sorted("", authors) == "A. Smith; A. Smith, T. Jones; Al smith"


def test_sort_names_use_last():
    style = parse_style("""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><id>t</id><title>t</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <macro name="a"><names variable="author"><name/></names></macro>
      <citation et-al-min="3" et-al-use-first="1">
        <sort><key macro="a" names-min="3" names-use-first="1" names-use-last="true"/></sort>
        <layout delimiter="; "><text variable="title"/></layout>
      </citation>
    </style>""")
    items = [{"id": t, "title": t, "type": "book",
              "author": [{"family": "Roe"}, {"family": "Doe"}, {"family": "Poe"}, {"family": last}]}
             for t, last in (("X", "Gogh"), ("Y", "Bogh"))]
    assert process(style, items, [[{"id": "X"}, {"id": "Y"}]]).citations[0] == "Y; X"


def _bib(sort_keys, items, layout='<text variable="title"/>', bib_attrs=""):
    style = parse_style(f"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><id>t</id><title>t</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <macro name="count"><names variable="author"><name form="count"/></names></macro>
      <citation><layout><text value="x"/></layout></citation>
      <bibliography {bib_attrs}><sort>{sort_keys}</sort><layout>{layout}</layout></bibliography>
    </style>""")
    return [e.text for e in process(style, items, None).bibliography]


def test_text_sort_ignores_punctuation_and_compares_numbers_by_value():
    titles = ["Simple title here B", "Simple “title” here C", "Simple title, here A", "Book 10", "Book 9"]
    items = [{"id": str(i), "type": "book", "title": t} for i, t in enumerate(titles)]
    assert _bib('<key variable="title"/>', items) == [
        "Book 9", "Book 10", "Simple title, here A", "Simple title here B", "Simple “title” here C"]


def test_sort_by_name_count_puts_no_names_first():
    items = [{"id": "two", "type": "book", "title": "two", "author": [{"family": "A"}, {"family": "B"}]},
             {"id": "none", "type": "book", "title": "none"},
             {"id": "one", "type": "book", "title": "one", "author": [{"family": "A"}]}]
    assert _bib('<key macro="count"/>', items) == ["none", "one", "two"]


def test_empty_subsequent_author_substitute_removes_names_and_delimiter():
    items = [{"id": t, "type": "book", "title": t, "author": [{"family": "Doe", "given": "J."}]}
             for t in ("A", "B")]
    layout = '<group delimiter=". "><names variable="author"><name/></names><text variable="title"/></group>'
    assert _bib('<key variable="title"/>', items, layout, 'subsequent-author-substitute=""') == ["J. Doe. A", "B"]
    assert _bib('<key variable="title"/>', items, layout, 'subsequent-author-substitute="---"') == [
        "J. Doe. A", "---. B"]
