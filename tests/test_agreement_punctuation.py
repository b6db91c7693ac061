"""Punctuation and spacing where citekit follows citeproc-js (issue 10: nested brackets,
no-break spaces, year suffixes).

Every expected string is citeproc-js 2.4.63's output for the same small style, items and
clusters (run with node on the CSL locale files of citeproc-py); the tests never run node.
"""

from __future__ import annotations

from citekit.csl import parse_style, process


def small_style(layout: str, cls: str = "note", citation_layout: str | None = None,
                bib_attrs: str = "", macros: str = "") -> object:
    return parse_style(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<macro name="m"><text variable="publisher"/></macro>{macros}
<citation><layout suffix="." delimiter="; ">{citation_layout or layout}</layout></citation>
<bibliography{bib_attrs}><layout>{layout}</layout></bibliography>
</style>""".encode())


# -- parentheses nested in parentheses become brackets (note styles) -----------------

NESTED = ('<group prefix="(" suffix=")" delimiter=" "><text variable="title"/>'
          '<group prefix="(" suffix=")"><text variable="publisher"/></group>'
          '<text macro="m" prefix="(" suffix=")"/>'
          '<date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date>'
          '<text variable="publisher" prefix="(" suffix=")"/><text value="v" prefix="(" suffix=")"/>'
          '<text term="edition" prefix="(" suffix=")"/><number variable="edition" prefix="(" suffix=")"/>'
          '<text variable="volume" prefix="(" suffix=")"/><label variable="volume" prefix="(" suffix=")"/>'
          '<names variable="author" prefix="(" suffix=")"/><text variable="locator" prefix="(" suffix=")"/>'
          '</group>')
BOOK = {"id": "a", "type": "book", "title": "T(x)", "author": [{"family": "Doe", "given": "J"}],
        "issued": {"date-parts": [[1965]]}, "volume": "3", "number-of-volumes": "4", "publisher": "Pub",
        "edition": "2"}
CLUSTERS = [{"citationItems": [{"id": "a", "locator": "12"}], "properties": {"noteIndex": 1}},
            {"citationItems": [{"id": "a", "prefix": "see (", "suffix": ")"}], "properties": {"noteIndex": 2}}]


def test_nested_parentheses_of_levels_become_brackets_in_note_styles():
    # Only the affixes of groups, macro calls, dates and numbers count (citeproc-js's
    # output levels); a variable's text, a value, a term, a label and names do not, nor
    # a parenthesis typed in a field ("T(x)"). A cite's own prefix counts too.
    result = process(small_style(NESTED), [BOOK], CLUSTERS)
    assert result.citations == [
        "(T(x) [Pub] [Pub] [1965] (Pub) (v) (edition) [2] [3] (volume) (J Doe) [12]).",
        "see ([T(x) (Pub) (Pub) (1965) (Pub) (v) (edition) (2) (3) (volume) (J Doe)]).",
    ]
    # each entry counts from zero (citeproc-js carries the last citation's count over,
    # a defect listed for acta-philosophica)
    assert [e.text for e in result.bibliography] == [
        "(T(x) [Pub] [Pub] [1965] (Pub) (v) (edition) [2] [3] (volume) (J Doe))"]


def test_nested_parentheses_stay_in_other_styles():
    layout = ('<group prefix="(" suffix=")" delimiter=" "><text variable="title"/>'
              '<group prefix="(" suffix=")"><text variable="publisher"/></group><text macro="m" prefix="(" suffix=")"/>'
              '<date variable="issued" prefix="(" suffix=")"><date-part name="year"/></date>'
              '<number variable="edition" prefix="(" suffix=")"/></group>')
    result = process(small_style(layout, cls="in-text"), [BOOK], CLUSTERS)
    assert result.citations == ["(T(x) (Pub) (Pub) (1965) (2)).", "see ((T(x) (Pub) (Pub) (1965) (2)))."]


# -- punctuation that meets a closing quote (punctuation-in-quote) --------------------

ARTICLES = [{"id": "a", "type": "article-journal", "title": "Git", "container-title": "J"},
            {"id": "b", "type": "article-journal", "title": "Why?", "container-title": "J"},
            {"id": "c", "type": "article-journal", "title": "Drug’s Price", "container-title": "J"}]
ONE_EACH = [{"citationItems": [{"id": i}], "properties": {"noteIndex": n}} for n, i in enumerate("abc", 1)]

# (the quoted title's own suffix, the enclosing group's suffix) → the three citations
QUOTE_CASES = {
    ("", ";"): ["X “Git;” Z.", "X “Why?;” Z.", "X “Drug’s Price”; Z."],
    ("", ":"): ["X “Git:” Z.", "X “Why?” Z.", "X “Drug’s Price”: Z."],
    (":", ";"): ["X “Git;”: Z.", "X “Why?;”: Z.", "X “Drug’s Price”:; Z."],
    (":", ":"): ["X “Git:” Z.", "X “Why?”: Z.", "X “Drug’s Price”: Z."],
    (",", "."): ["X “Git.,” Z.", "X “Why?,” Z.", "X “Drug’s Price,.” Z."],
    (",", ";"): ["X “Git;,” Z.", "X “Why?;,” Z.", "X “Drug’s Price,”; Z."],
    (".", ","): ["X “Git,.” Z.", "X “Why?,.” Z.", "X “Drug’s Price.,” Z."],
    (".", ";"): ["X “Git;” Z.", "X “Why?;” Z.", "X “Drug’s Price.”; Z."],
    (";", "."): ["X “Git.”; Z.", "X “Why?”; Z.", "X “Drug’s Price”; Z."],
    (";", ";"): ["X “Git;” Z.", "X “Why?;” Z.", "X “Drug’s Price”; Z."],
    (":", ""): ["X “Git”: Z.", "X “Why?”: Z.", "X “Drug’s Price”: Z."],
}


def test_enclosing_punctuation_goes_into_the_quoted_text_before_its_own_suffix():
    # citeproc-js moves an enclosing element's mark (any mark, ; and : too) straight into
    # a quoted string, then the element's own suffix: . , ! ? go in, ; : stay outside.
    # A string it parses for quotes or apostrophes ("Drug’s") takes the marks in order.
    for (own, group), expected in QUOTE_CASES.items():
        style = small_style("", citation_layout=(
            f'<group delimiter=" " suffix="{group}"><text value="X"/>'
            f'<text variable="title" quotes="true" suffix="{own}"/></group><text value="Z" prefix=" "/>'))
        got = process(style, ARTICLES, ONE_EACH).citations
        assert got == expected, (own, group)


def test_a_prefix_keeps_its_mark_before_the_prefix_inside_it():
    # the-journal-of-juristic-papyrology: <text macro="issue-note" prefix=","/> around a
    # date with prefix ", " prints ",, 1949" in citeproc-js
    style = small_style("", citation_layout='<text variable="title"/><group prefix=","><text macro="year"/></group>',
                        macros='<macro name="year"><date variable="issued" prefix=", "><date-part name="year"/></date>'
                               '</macro>')
    item = {"id": "a", "type": "article-journal", "title": "Git", "issued": {"date-parts": [[1949]]}}
    assert process(style, [item], ONE_EACH[:1]).citations == ["Git,, 1949."]


# (the layout after the quoted title's element, citeproc-js's bibliography entry) for
# "Paradox" in "Review": a sibling's prefix goes into the closing quote only when neither
# element at that level has formatting of its own (quotes do not count; an undecorated
# group or macro around a formatted one does not block)
SIBLING_CASES = {
    '<text variable="title" quotes="true"/><text variable="container-title" prefix=", "/>':
        "“Paradox,” Review",
    '<text variable="title" quotes="true"/><text variable="container-title" font-style="italic" prefix=", "/>':
        "“Paradox”, Review",
    '<text variable="title" quotes="true"/><text macro="ct" font-weight="bold" prefix=". "/>':
        "“Paradox”. Review",
    '<text variable="title" quotes="true"/><date variable="issued" font-style="italic" prefix=", ">'
    '<date-part name="year"/></date>': "“Paradox”, 2011",
    '<text variable="title" quotes="true"/><names variable="author" font-style="italic" prefix=", "/>':
        "“Paradox”, John Smith",
    '<text variable="title" quotes="true" font-style="normal"/><text variable="container-title" prefix=", "/>':
        "“Paradox”, Review",
    '<group font-style="italic"><text variable="title" quotes="true"/></group>'
    '<text variable="container-title" prefix=", "/>': "“Paradox”, Review",
    '<text macro="tqi"/><text variable="container-title" prefix=", "/>': "“Paradox,” Review",
    '<text variable="title" quotes="true"/><group><text variable="container-title" font-style="italic" '
    'prefix=", "/></group>': "“Paradox,” Review",
    '<text variable="title" quotes="true"/><group prefix=", "><text variable="container-title" '
    'font-style="italic"/></group>': "“Paradox,” Review",
    '<group delimiter=", "><text variable="title" quotes="true"/><text variable="container-title" '
    'font-style="italic"/></group>': "“Paradox,” Review",
    '<group delimiter=" "><text variable="title" quotes="true"/><text variable="container-title" '
    'prefix=", "/></group>': "“Paradox” , Review",
    '<text variable="title" quotes="true" font-style="italic" suffix=", "/><text variable="container-title"/>':
        "“Paradox,” Review",
    # one mark of the enclosing elements' goes in (and a period after it), the rest stays out
    '<group delimiter=", "><text macro="tq" suffix="."/><text variable="container-title"/></group>':
        "“Paradox.”, Review",
    '<text macro="tq" suffix="."/><text variable="container-title" prefix=", "/>': "“Paradox.”, Review",
    '<group suffix="!"><group suffix="."><text macro="tq"/></group></group>'
    '<text variable="container-title" prefix=" "/>': "“Paradox.”! Review",
    '<group delimiter=", "><group suffix=";"><text macro="tq"/></group><text variable="container-title"/></group>':
        "“Paradox;”, Review",
    '<group delimiter=". "><text macro="tq" suffix=","/><text variable="container-title"/></group>':
        "“Paradox,.” Review",
    # a delimiter right after the quoted element joins its own suffix, in that order
    '<group delimiter=", "><text variable="title" quotes="true" suffix="."/><text variable="container-title"/>'
    '</group>': "“Paradox.,” Review",
}


def test_a_siblings_prefix_goes_into_the_quote_only_between_unformatted_elements():
    item = {"id": "a", "type": "article-journal", "title": "Paradox", "container-title": "Review",
            "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2011]]}}
    macros = ('<macro name="ct"><text variable="container-title"/></macro>'
              '<macro name="tq"><text variable="title" quotes="true"/></macro>'
              '<macro name="tqi"><group font-style="italic"><text variable="title" quotes="true"/></group></macro>')
    for layout, expected in SIBLING_CASES.items():
        style = small_style(layout, cls="in-text", macros=macros)
        assert [e.text for e in process(style, [item], []).bibliography] == [expected], layout


# -- the implicit year-suffix takes the year's affixes and formatting ----------------

YEAR_ITEMS = [{"id": i, "type": "book", "title": t, "author": [{"family": f, "given": "J"}], "issued": d}
              for i, t, f, d in (("a", "One", "Doe", {"date-parts": [[2019, 3, 2]]}),
                                 ("b", "Two", "Doe", {"date-parts": [[2019, 3, 2]]}),
                                 ("c", "Three", "Roe", {"date-parts": [[1882], [1898]]}),
                                 ("d", "Four", "Roe", {"date-parts": [[1882], [1898]]}))]
EACH_YEAR_ITEM = [{"citationItems": [{"id": i}], "properties": {"noteIndex": n}} for n, i in enumerate("abcd", 1)]


def year_suffix_cites(date_parts: str, fmt: str = "text") -> list:
    style = parse_style(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation disambiguate-add-year-suffix="true"><layout delimiter="; "><group delimiter=" ">
<names variable="author"><name form="short"/></names><date variable="issued">{date_parts}</date>
</group></layout></citation></style>""".encode())
    return process(style, YEAR_ITEMS, EACH_YEAR_ITEM, format=fmt).citations


def test_implicit_year_suffix_takes_the_year_parts_affixes_and_follows_a_range():
    # citeproc-js appends the suffix as a number styled like the year's date-part
    # (hiob-ludolf-centre-for-ethiopian-studies: prefix=" " prints "9 January 2024 a"),
    # after the year that ends a range
    assert year_suffix_cites('<date-part name="year" suffix=" "/><date-part name="month" form="short"/>') == [
        "Doe 2019 a Mar.", "Doe 2019 b Mar.", "Roe 1882–1898 a ", "Roe 1882–1898 b "]
    assert year_suffix_cites('<date-part name="year" prefix=". "/>') == [
        "Doe . 2019. a", "Doe . 2019. b", "Roe . 1882–1898. a", "Roe . 1882–1898. b"]
    assert year_suffix_cites('<date-part name="year" prefix="(" suffix=")" font-style="italic"/>', "html") == [
        "Doe (<i>2019</i>)(<i>a</i>)", "Doe (<i>2019</i>)(<i>b</i>)",
        "Roe (<i>1882</i>–<i>1898</i>)(<i>a</i>)", "Roe (<i>1882</i>–<i>1898</i>)(<i>b</i>)"]


def test_quoted_string_keeps_its_own_period_and_a_value_keeps_its_space():
    # en-GB (punctuation outside quotes): citeproc-js keeps the title's own "." after a
    # quoted "?" when the title is one string, and drops it when it parsed the title for
    # apostrophes; a <text value=" "/> keeps its space before a prefix " (" (the
    # newspaper branch of hiob-ludolf-centre-for-ethiopian-studies: "Times  (September")
    style = parse_style(b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-GB">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout suffix="."><text variable="title" quotes="true" suffix="."/><text value=" "/>
<text variable="container-title" prefix=" (" suffix=")"/>
<group delimiter=" " prefix=" "><text value="a"/><text value="b" prefix=" "/></group></layout></citation>
</style>""")
    items = [{"id": i, "type": "chapter", "title": t, "container-title": "J"}
             for i, t in (("a", "Qu’est-ce qu’un auteur ?"), ("b", "Why?"), ("c", "Drug’s"))]
    assert process(style, items, ONE_EACH).citations == [
        "‘Qu’est-ce qu’un auteur\u202f?’  (J) a b.", "‘Why?’.  (J) a b.", "‘Drug’s’.  (J) a b."]


def test_a_cite_delimiter_keeps_its_space_before_a_prefix_space():
    # molecular-plant-microbe-interactions: the date's prefix " " after the cite-group
    # delimiter ", " prints "(Goodin 2011a,  2011c)" in citeproc-js
    style = parse_style(b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation collapse="year" disambiguate-add-year-suffix="true"><layout prefix="(" suffix=")" delimiter="; ">
<names variable="author"><name form="short"/></names><date variable="issued" prefix=" "><date-part name="year"/></date>
</layout></citation></style>""")
    items = [{"id": i, "type": "book", "title": i, "author": [{"family": "Doe", "given": "J"}],
              "issued": {"date-parts": [[y]]}} for i, y in (("a", 2019), ("b", 2019), ("c", 2020))]
    clusters = [{"citationItems": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "properties": {"noteIndex": 1}}]
    assert process(style, items, clusters).citations == ["(Doe 2019a,  2019b,  2020)"]


def test_a_value_of_punctuation_alone_is_not_merged_with_the_mark_before_it():
    # citeproc-js keeps value="." after a suffix or a field that ends with a mark
    # ("forthcoming ;." in environnement-risques-et-sante, "T.."); a value with words
    # after its mark merges as an affix does ("T. x", "T.; x")
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout><group delimiter="/">
        <group><text variable="title"/><text value="."/></group>
        <group><text variable="title"/><text value=".x"/></group>
        <group><text variable="title"/><text value=". x"/></group>
        <group><text variable="title" suffix="."/><text value=". x"/></group>
        <group><text variable="title" suffix=";"/><text value=". x"/></group>
        <group><text variable="volume"/><text value=". x"/></group>
        <group><text variable="volume" suffix=":"/><text value="."/></group>
        <group><text variable="volume" suffix=" ;"/><text value="."/></group>
      </group></layout></citation>
    </style>""")
    item = {"id": "a", "type": "book", "title": "T.", "volume": "3"}
    clusters = [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}]
    assert process(style, [item], clusters).citations[0] == "T../T.x/T. x/T. x/T.; x/3. x/3:./3 ;."


def test_a_formatted_value_keeps_its_mark_before_its_own_suffix_or_the_delimiter():
    # citeproc-js merges a formatted cs:text's suffix (or the group delimiter after it)
    # with the value's last mark only when they repeat: APA's "Help!. Parlophone", but
    # "Bat. P"; a group or macro around it merges as any ("Help! P")
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout><group delimiter="/">
        <group delimiter=". "><text variable="title" font-style="italic"/><text variable="publisher"/></group>
        <group><text variable="title" font-style="italic" suffix="."/><text variable="publisher" prefix=" "/></group>
        <group suffix="."><text variable="title" font-style="italic"/></group>
        <group><group><text variable="title" font-style="italic"/></group><text variable="publisher" prefix=". "/></group>
        <group delimiter=": "><text variable="title" font-style="italic"/><text variable="publisher"/></group>
        <group delimiter=". "><text macro="t"/><text variable="publisher"/></group>
        <group delimiter=". "><text variable="title" font-style="italic" suffix=","/><text variable="publisher"/></group>
      </group></layout></citation>
      <macro name="t"><text variable="title" font-style="italic"/></macro>
    </style>""")
    items = [{"id": "a", "type": "book", "title": "Help!", "publisher": "P"},
             {"id": "b", "type": "book", "title": "Bat.", "publisher": "P"}]
    clusters = [{"citationItems": [{"id": i}], "properties": {"noteIndex": n}} for n, i in enumerate("ab", 1)]
    assert process(style, items, clusters).citations == [
        "Help!. P/Help!. P/Help!/Help! P/Help!: P/Help! P/Help!,. P",
        "Bat. P/Bat. P/Bat./Bat. P/Bat.: P/Bat. P/Bat.,. P"]


def test_what_follows_a_numbers_suffix_keeps_its_own_mark():
    # citeproc-js migrates no punctuation into what ends in a number: a volume's suffix
    # ":" keeps the entry's "." after it ("57:." in aging-and-disease), a repeated mark
    # still merges, and a sibling's prefix merges as any
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout><group delimiter="/">
        <group suffix="."><text variable="title"/><text variable="volume" prefix=" " suffix=":"/><text variable="page"/></group>
        <group suffix="."><text variable="volume" suffix="."/></group>
        <group delimiter=", "><text variable="volume" suffix=":"/><text variable="title"/></group>
        <group><text variable="volume" suffix=":"/><text variable="title" prefix=". "/></group>
        <group suffix="."><number variable="volume" suffix=";"/></group>
        <group suffix="."><text variable="edition" suffix=":"/></group>
      </group></layout></citation>
    </style>""")
    item = {"id": "a", "type": "book", "title": "T", "volume": "57", "edition": "E"}
    clusters = [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}]
    assert process(style, [item], clusters).citations[0] == "T 57:./57./57:, T/57: T/57;./E:"


def test_a_siblings_prefix_keeps_its_mark_next_to_a_formatted_element():
    # citeproc-js merges a sibling's prefix mark with the text before it only when neither
    # sibling has formatting of its own (font-style="normal" counts): "<i>Bat?</i>. P" and
    # "Inc.. <i>P</i>", also for the prefix of the first element inside the next sibling;
    # a formatted element deeper inside a plain sibling does not count ("<i>Bat?</i> P").
    # Expected strings: citeproc-js 2.4.63 in node on this style and these items.
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout><group delimiter="/">
        <group><text variable="title" font-style="italic"/><text variable="publisher" prefix=". "/></group>
        <group><text variable="title" font-style="normal"/><text variable="publisher" prefix=": "/></group>
        <group><group font-style="italic"><text variable="title"/></group><group><text variable="publisher" prefix=". "/></group></group>
        <group><text variable="title"/><text variable="publisher" font-style="italic" prefix=". "/></group>
        <group><text variable="title"/><group font-weight="bold"><text variable="publisher" prefix=". "/></group></group>
        <group><group><text variable="title" font-style="italic"/></group><text variable="publisher" prefix=". "/></group>
        <group><text variable="title"/><group><text variable="publisher" font-style="italic" prefix=". "/></group></group>
        <group><text variable="title"/><text variable="publisher" prefix=". "/></group>
        <group><text variable="title" quotes="true"/><group font-style="italic"><text variable="publisher" prefix=", "/></group></group>
      </group></layout></citation>
    </style>""")
    items = [{"id": "a", "type": "book", "title": "Bat?", "publisher": "P"},
             {"id": "b", "type": "book", "title": "Inc.", "publisher": "P"}]
    clusters = [{"citationItems": [{"id": i}], "properties": {"noteIndex": n}} for n, i in enumerate("ab", 1)]
    assert process(style, items, clusters).citations == [
        "Bat?. P/Bat?: P/Bat?. P/Bat?. P/Bat?. P/Bat? P/Bat? P/Bat? P/“Bat?”, P",
        "Inc.. P/Inc.: P/Inc.. P/Inc.. P/Inc.. P/Inc. P/Inc. P/Inc. P/“Inc.”, P"]
    assert process(style, items, clusters, format="html").citations[0] == (
        "<i>Bat?</i>. P/Bat?: P/<i>Bat?</i>. P/Bat?. <i>P</i>/Bat?<b>. P</b>/<i>Bat?</i> P/Bat? <i>P</i>/Bat? P"
        "/“Bat?”<i>, P</i>")


def test_a_formatted_elements_own_prefix_merges_a_mark_repeated_from_the_suffix_before_it():
    # After a plain sibling, a formatted element's own prefix still merges a mark that
    # repeats the sibling's own suffix ("in: <i>Bat</i>", as in
    # technische-universitat-dresden-betriebswirtschaftslehre-logistik-author-date's "in:"
    # before an italic container title); not a suffix inside the sibling, a prefix inside
    # the formatted element, after a formatted sibling, nor a mark of the value itself.
    # Expected strings: citeproc-js 2.4.63 in node on this style and this item.
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout><group delimiter="/">
        <group><text term="in" suffix=":"/><text variable="title" font-style="italic" prefix=": "/></group>
        <group><group suffix=":"><text term="in"/></group><group font-style="italic" prefix=": "><text variable="title"/></group></group>
        <group><group><text term="in" suffix=":"/></group><text variable="title" font-style="italic" prefix=": "/></group>
        <group><text term="in" suffix=":"/><group font-style="italic"><text variable="title" prefix=": "/></group></group>
        <group><text term="in" suffix=":" font-style="italic"/><text variable="title" prefix=": "/></group>
        <group><text variable="publisher" suffix="."/><text variable="title" font-style="italic" prefix=". "/></group>
      </group></layout></citation>
    </style>""")
    items = [{"id": "a", "type": "book", "title": "Bat", "publisher": "Inc."}]
    clusters = [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}]
    assert process(style, items, clusters).citations == ["in: Bat/in: Bat/in:: Bat/in:: Bat/in:: Bat/Inc.. Bat"]
    assert process(style, items, clusters, format="html").citations == [
        "in: <i>Bat</i>/in: <i>Bat</i>/in:: <i>Bat</i>/in:<i>: Bat</i>/<i>in</i>:: Bat/Inc.. <i>Bat</i>"]


# -- a formatted leaf keeps its mark only when its text is one plain string -----------

KEPT_MARK_ITEMS = [
    {"id": "q", "type": "article-journal", "title": "Is It a Bat?", "container-title": "Review",
     "issued": {"date-parts": [[-340]]}},
    {"id": "f", "type": "article-journal", "title": "Qu'est-ce qu'un auteur ?", "container-title": "Review",
     "issued": {"date-parts": [[340]]}},
    {"id": "m", "type": "article-journal", "title": "Is it <i>a</i> Bat?", "container-title": "Review",
     "issued": {"date-parts": [[1340]]}},
]


def entries(layout: str, fmt: str = "text") -> list[str]:
    return [e.text for e in process(small_style(layout), KEPT_MARK_ITEMS, [], format=fmt).bibliography]


def test_quotes_false_keeps_a_leafs_mark_as_formatting_does():
    # archeologicke-rozhledy's <text variable="title" quotes="false" suffix="."/>: the
    # attribute set to its default is a decoration in citeproc-js, which keeps the
    # suffix's mark after the title's own "?" ("Bat?. The Philosophical Review")
    assert entries('<group delimiter=". "><text variable="title" quotes="false" suffix="."/>'
                   '<text variable="container-title"/></group>') == [
        "Is It a Bat?. Review", "Qu’est-ce qu’un auteur\u202f? Review", "Is it a Bat? Review"]
    # without the attribute the marks merge
    assert entries('<group delimiter=". "><text variable="title" suffix="."/>'
                   '<text variable="container-title"/></group>') == [
        "Is It a Bat? Review", "Qu’est-ce qu’un auteur\u202f? Review", "Is it a Bat? Review"]


def test_a_field_of_several_pieces_merges_the_mark_after_it():
    # associacao-brasileira-de-normas-tecnicas-ufrgs: a title with an apostrophe or
    # markup is rich text of several pieces in citeproc-js, whose last mark merges with
    # a formatted element's suffix or the delimiter after it ("auteur ? In:")
    expected = ["Is It a Bat?. Review", "Qu’est-ce qu’un auteur\u202f? Review", "Is it a Bat? Review"]
    assert entries('<text variable="title" font-weight="normal" suffix=". "/><text variable="container-title"/>') \
        == expected
    assert entries('<group delimiter=". "><text variable="title" font-style="italic"/>'
                   '<text variable="container-title"/></group>') == expected
    assert entries('<group delimiter=". "><text variable="title" font-style="italic"/>'
                   '<text variable="container-title"/></group>', fmt="html") == [
        "<i>Is It a Bat?</i>. Review", "<i>Qu’est-ce qu’un auteur\u202f?</i> Review",
        '<i>Is it <span style="font-style:normal;">a</span> Bat?</i> Review']


def test_an_era_follows_the_years_affixes_and_formatting():
    # current-alzheimer-research's <date-part name="year" prefix="(" suffix=")"/>:
    # "(340) BC", citeproc-js appending the era to the date after the year part
    assert entries('<date variable="issued"><date-part name="year" prefix="(" suffix=")"/></date>'
                   '<text variable="title" prefix=" "/>') == [
        "(340) BC Is It a Bat?", "(340) AD Qu’est-ce qu’un auteur\u202f?", "(1340) Is it a Bat?"]
    bold = ('<date variable="issued" prefix="[" suffix="]"><date-part name="year" prefix="(" suffix=")" '
            'font-weight="bold"/></date>')
    assert entries(bold, fmt="html") == ["[(<b>340</b>) BC]", "[(<b>340</b>) AD]", "[(<b>1340</b>)]"]
