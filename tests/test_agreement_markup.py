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


AUTHORS3 = {"id": "a", "type": "book", "title": "T", "author": [
    {"family": "Smith", "given": "J"}, {"family": "Doe", "given": "K"}, {"family": "Roe", "given": "L"}]}
EDITED = {"id": "e", "type": "book", "title": "T", "editor": [{"family": "Ed", "given": "E"}]}


def test_a_list_cut_with_et_al_takes_the_name_formatting_as_a_whole_too():
    result = run('<names variable="author"><name font-style="italic" form="short"/></names>',
                 [AUTHORS3], fmt="html", attrs=' et-al-min="3" et-al-use-first="2"')
    assert result.citations == ["<i><i>Smith</i>, <i>Doe</i>, et al.</i>"]
    # (and the affixes of cs:name around the list too, "[<i>[<i>Smith</i>], [<i>Doe</i>],
    # et al.</i>]": see test_style_behaviours.py and test_agreement_spaces.py)


def test_a_substituted_names_element_takes_the_outer_affixes_and_formatting_not_its_own():
    for substitute in ('<names variable="editor" font-style="italic" prefix="(" suffix=")"/>',
                       '<choose><if type="book"><names variable="editor" font-style="italic" prefix="(" '
                       'suffix=")"/></if></choose>'):
        result = run('<names variable="author" prefix="[" suffix="]" font-weight="bold"><name form="short"/>'
                     f'<substitute>{substitute}</substitute></names>', [EDITED], fmt="html")
        assert result.citations == ["[<b>Ed</b>]"]
    # a title in the substitute takes neither
    result = run('<names variable="author" prefix="[" suffix="]" font-weight="bold"><substitute>'
                 '<text variable="title" prefix="{"/></substitute></names>', [{"id": "x", "type": "book", "title": "Tt"}],
                 fmt="html")
    assert result.citations == ["{Tt"]


ED_TRANS = {"id": "t", "type": "book", "title": "T", "editor": [{"family": "Ed", "given": "A"}],
            "translator": [{"family": "Tr", "given": "B"}]}


def test_a_bare_substitute_names_element_takes_the_delimiter_of_the_one_it_stands_in_for():
    # tatup-zeitschrift-fur-technikfolgenabschatzung-in-theorie-und-praxis: <names
    # variable="author" delimiter="; "> with <substitute><names variable="editor
    # translator"/>: "Tolkien, Christopher (ed.); Tolkien, J. R. R. (trans.)"
    for substitute in ('<names variable="editor translator"/>',
                       '<choose><if type="book"><names variable="editor translator"/></if></choose>'):
        result = run('<names variable="author" delimiter="; "><name/><label prefix=" [" suffix="]"/>'
                     f'<substitute>{substitute}</substitute></names>', [ED_TRANS])
        assert result.citations == ["A Ed [editor]; B Tr [translator]"]
    # one with a cs:name of its own inherits nothing, the delimiter neither
    result = run('<names variable="author" delimiter="; "><name/><substitute>'
                 '<names variable="editor translator"><name/></names></substitute></names>', [ED_TRANS])
    assert result.citations == ["A EdB Tr"]


PARTICLES = {"id": "p", "type": "book", "title": "T", "author": [
    {"family": "Beauvoir", "given": "Simone", "non-dropping-particle": "de"},
    {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}]}


def test_french_styles_tie_the_particle_to_the_family_name_with_a_no_break_space():
    layout = '<names variable="author"><name/></names>'
    assert run(layout, [PARTICLES], locale="fr-FR").citations == ["Simone de\u00a0Beauvoir, Anna van der\u00a0Berg"]
    assert run(layout, [PARTICLES]).citations == ["Simone de Beauvoir, Anna van der Berg"]
    inverted = '<names variable="author"><name name-as-sort-order="all"/></names>'
    assert run(inverted, [PARTICLES], locale="fr-FR").citations == ["Beauvoir, Simone de, Berg, Anna van der"]


def test_an_unbalanced_tag_is_printed_as_typed_and_text_case_leaves_it_alone():
    item = {"id": "u", "type": "book", "title": "<i>wo> as a politically significant term"}
    result = run('<text variable="title" text-case="title"/>', [item])
    assert result.citations == ["<i>Wo> as a Politically Significant Term"]
    result = run('<text variable="title" text-case="uppercase"/>', [item], fmt="html")
    assert result.citations == ["&#60;i&#62;WO&#62; AS A POLITICALLY SIGNIFICANT TERM"]


QUOTED = [{"id": "a", "type": "book", "title": "A “Curly” b"}, {"id": "b", "type": "book", "title": 'A "Straight" b'}]


def test_a_titles_own_curly_quotes_flip_only_inside_a_quoted_span():
    assert run('<text variable="title"/>', QUOTED, locale="fr-FR").citations == [
        "A “Curly” b", "A «\u00a0Straight\u00a0» b"]
    assert run('<text variable="title"/>', QUOTED, locale="en-GB").citations == ["A “Curly” b", "A ‘Straight’ b"]
    assert run('<text variable="title" quotes="true"/>', QUOTED, locale="fr-FR").citations == [
        "«\u00a0A “Curly” b\u00a0»", "«\u00a0A “Straight” b\u00a0»"]
    assert run('<text variable="title" quotes="true"/>', QUOTED).citations == ["“A ‘Curly’ b”", "“A ‘Straight’ b”"]


def test_greek_capitals_drop_the_tonos():
    items = [{"id": "a", "type": "book", "title": "Παπαδόπουλος άι ᾳ", "language": "el"},
             {"id": "b", "type": "book", "title": "Παπαδόπουλος άι"}]
    # an item in Greek, and in an English style an item without a language (no Greek rules)
    assert run('<text variable="title" text-case="uppercase"/>', items).citations == [
        "ΠΑΠΑΔΟΠΟΥΛΟΣ ΑΪ ΑΙ", "ΠΑΠΑΔΌΠΟΥΛΟΣ ΆΙ"]
    assert run('<text variable="title" text-case="uppercase"/>', items, locale="el-GR").citations == [
        "ΠΑΠΑΔΟΠΟΥΛΟΣ ΑΪ ΑΙ", "ΠΑΠΑΔΟΠΟΥΛΟΣ ΑΪ"]


def test_punctuation_that_opens_a_display_element_ends_the_one_before():
    item = {"id": "a", "type": "book", "title": "Tt", "publisher": "Pub", "issued": {"date-parts": [[1989]]}}
    bib = ('<group display="left-margin"><date variable="issued"><date-part name="year"/></date></group>'
           '<group display="right-inline"><text variable="publisher" prefix=". "/></group>')
    assert [e.text for e in run('<text variable="title"/>', [item], bib_layout=bib).bibliography] == ["1989.  Pub"]
    bib = ('<group display="block"><text variable="title" font-style="italic"/></group>'
           '<group display="block"><text variable="publisher" prefix=", "/></group>')
    assert [e.text for e in run('<text variable="title"/>', [item], bib_layout=bib, fmt="html").bibliography] == [
        '\n\n    <div class="csl-block"><i>Tt</i>,</div>\n\n\n    <div class="csl-block"> Pub</div>\n']


PLAIN = [{"id": "a", "type": "book", "title": "Tt", "publisher": "Pub"}]


def test_spaces_merge_between_neighbouring_affixes_but_not_across_formatting_or_quotes():
    assert run('<group delimiter=" "><text variable="title" suffix=" " font-style="italic"/><text variable="publisher"/>'
               '</group>', PLAIN, fmt="html").citations == ["<i>Tt</i> Pub"]
    assert run('<group font-style="italic"><text variable="title" suffix=" "/></group>'
               '<text variable="publisher" prefix=" "/>', PLAIN, fmt="html").citations == ["<i>Tt </i> Pub"]
    assert run('<group quotes="true"><text variable="title" suffix=" "/></group>'
               '<text variable="publisher" prefix=" "/>', PLAIN).citations == ["“Tt ” Pub"]


def test_two_spaces_in_a_row_are_a_no_break_space_and_a_space_in_html():
    layout = '<text variable="title" suffix="  "/><text variable="publisher" prefix=" "/>'
    assert run(layout, PLAIN).citations == ["Tt  Pub"]
    assert run(layout, PLAIN, fmt="html").citations == ["Tt\u00a0 Pub"]


def test_formatting_nests_in_citeproc_js_order_whatever_the_attribute_order():
    # outermost first: vertical-align, text-decoration, font-weight, font-variant, font-style
    for attrs in ('font-variant="small-caps" font-style="italic" vertical-align="sup"',
                  'vertical-align="sup" font-style="italic" font-variant="small-caps"'):
        result = run(f'<text variable="title" {attrs}/>', [BOOK], fmt="html")
        assert result.citations == ['<sup><span style="font-variant:small-caps;"><i>Les outils</i></span></sup>']
    result = run('<text variable="title" font-weight="bold" text-decoration="underline"/>', [BOOK], fmt="html")
    assert result.citations == ['<span style="text-decoration:underline;"><b>Les outils</b></span>']
    etal = run('<names variable="author"><name/><et-al font-style="italic" font-variant="normal"/></names>',
               [AUTHORS3], fmt="html", attrs=' et-al-min="3" et-al-use-first="1"')
    assert etal.citations == ['J Smith <i>et al.</i>']  # "normal" with nothing to undo prints nothing


MARKED = {"id": "m", "type": "book", "title": "A <i>B</i>", "container-title": "<i>B</i> A"}


def test_a_normal_prints_where_the_last_piece_of_a_group_sets_the_attribute():
    def html(layout, item=MARKED, **kw):
        return run(layout, [item], fmt="html", **kw).citations[0]

    # the last piece of the group is italic: citeproc-js prints the group's "normal"
    assert html('<group font-style="normal"><text value="x "/><text value="y" font-style="italic"'
                ' prefix="(" suffix=")"/></group>') == '<span style="font-style:normal;">x (<i>y</i>)</span>'
    # the first piece is: nothing
    assert html('<group font-style="normal"><text value="y" font-style="italic"/><text value=" x"/></group>') \
        == "<i>y</i> x"
    # a field's markup counts as pieces of the text
    assert html('<text variable="title" font-style="normal"/>') == '<span style="font-style:normal;">A <i>B</i></span>'
    assert html('<text variable="container-title" font-style="normal"/>') == "<i>B</i> A"
    # a name list cut with an italic et-al, in cs:name's "normal"; not cs:names'
    layout = '<names variable="author"{}><name{}/><et-al font-style="italic"/></names>'
    attrs = ' et-al-min="3" et-al-use-first="1"'
    assert html(layout.format("", ' font-style="normal"'), AUTHORS3, attrs=attrs) \
        == '<span style="font-style:normal;">J Smith <i>et al.</i></span>'
    assert html(layout.format(' font-style="normal"', ""), AUTHORS3, attrs=attrs) == "J Smith <i>et al.</i>"
    # inside italic every "normal" prints, the nested one too
    assert html('<group font-style="italic"><group font-style="normal"><text value="x" font-style="normal"/>'
                '</group></group>') == '<i><span style="font-style:normal;"><span style="font-style:normal;">x'\
                                       '</span></span></i>'
    # text-decoration="none" always prints
    assert html('<text value="x" text-decoration="none"/>') == '<span style="text-decoration:none;">x</span>'
    # the other formats take the same tree (citekit's own RTF markup)
    assert run('<group font-style="normal"><text value="x "/><text value="y" font-style="italic"/></group>',
               [MARKED], fmt="rtf").citations == ["{\\i0 x {\\i y}}"]


def test_a_called_macro_in_normal_prints_nothing_for_its_last_piece():
    style = parse_style(minimal('<text macro="t" font-style="normal"/>').replace(
        "<citation", '<macro name="t"><text value="x "/><text variable="title" font-style="italic"/></macro><citation'))
    assert process(style, [BOOK], [[{"id": "b1"}]], format="html").citations == ["x <i>Les outils</i>"]


def test_a_year_suffix_collapsed_alone_keeps_its_formatting():
    items = [{"id": f"s{i}", "type": "book", "title": f"T{i}", "author": [{"family": "Smith", "given": "J"}],
              "issued": {"date-parts": [[2019]]}} for i in range(4)]
    layout = ('<group><names variable="author"><name form="short"/></names><date variable="issued" prefix=" ">'
              '<date-part name="year"/></date><group font-weight="bold"><text variable="year-suffix" '
              'font-style="italic"/></group></group>')

    def cite(collapse, n, fmt="html"):
        style = parse_style(minimal(layout, attrs=f' disambiguate-add-year-suffix="true" collapse="{collapse}"'
                                                  ' year-suffix-delimiter=", "'))
        return process(style, items, [[{"id": it["id"]} for it in items[:n]]], format=fmt).citations[0]

    assert cite("year-suffix", 3) == "Smith 2019<b><i>a</i></b>, <b><i>b</i></b>, <b><i>c</i></b>"
    assert cite("year-suffix", 3, "text") == "Smith 2019a, b, c"
    assert cite("year-suffix-ranged", 4) == "Smith 2019<b><i>a</i></b>–<b><i>d</i></b>"


def test_html_shows_any_two_spaces_in_a_row_as_citeproc_js_does():
    def html(prefix):
        return run(f'<text variable="title" prefix="{prefix}"/>', [BOOK], fmt="html").citations[0]

    # em spaces are spaces too: each pair becomes a no-break space and a space
    assert html("x&#8195;&#8195;&#8195;") == "x\u00a0 \u2003Les outils"
    assert html("x    ") == "x\u00a0 \u00a0 Les outils"
    # a space that opens the output is escaped apart from the whitespace after it
    assert html("    ") == " \u00a0  Les outils"
    assert html("  ") == "  Les outils"
    assert html("&#8195;&#8195;") == "\u00a0 Les outils"
    assert run('<text variable="title" prefix="    "/>', [BOOK]).citations == ["    Les outils"]


def test_a_normal_inside_names_does_not_print_for_the_names_elements_own_formatting():
    attrs = ' et-al-min="3" et-al-use-first="1"'

    def html(layout):
        return run(layout, [dict(AUTHORS3, editor=[{"family": "Ed", "given": "A"}])], fmt="html", attrs=attrs).citations[0]

    sc = '<span style="font-variant:small-caps;">'
    assert html('<names variable="author" font-variant="small-caps"><name/><et-al font-variant="normal"/></names>') \
        == f"{sc}J Smith et al.</span>"
    assert html('<names variable="editor" font-variant="small-caps"><label font-variant="normal" prefix=" (" '
                'suffix=")"/></names>') == f"{sc}A Ed (editor)</span>"
    # a group's formatting around the names counts
    assert html('<group font-variant="small-caps"><names variable="editor"><label font-variant="normal" '
                'prefix=" (" suffix=")"/></names></group>') \
        == f'{sc}A Ed (<span style="font-variant:normal;">editor</span>)</span>'
    # and so does cs:name's
    assert html('<names variable="author"><name font-variant="small-caps"/><et-al font-variant="normal"/></names>') \
        == f'{sc}{sc}J Smith</span> <span style="font-variant:normal;">et al.</span></span>'


def test_a_name_parts_normal_does_not_undo_the_formatting_of_its_names_or_name():
    # citeproc-js decides whether a name-part's "normal" prints from what is around the
    # names element, in citations and bibliographies alike (museum-national-dhistoire-naturelle)
    sc = '<span style="font-variant:small-caps;">'
    two = [dict(AUTHORS3, author=AUTHORS3["author"][:2])]
    on_names = ('<names variable="author" font-variant="small-caps"><name>'
                '<name-part name="family" font-variant="normal"/></name></names>')
    result = run(on_names, two, bib_layout=on_names, fmt="html")
    assert result.citations[0] == f"{sc}J Smith, K Doe</span>"
    assert result.bibliography[0].text == f"{sc}J Smith, K Doe</span>"
    on_name = ('<names variable="author"><name font-variant="small-caps">'
               '<name-part name="family" font-variant="normal"/></name></names>')
    assert run(on_name, two, fmt="html").citations[0] == f"{sc}J Smith</span>, {sc}K Doe</span>"
    # formatting around the names element still counts
    around = ('<group font-style="italic"><names variable="author"><name>'
              '<name-part name="family" font-style="normal"/></name></names></group>')
    assert run(around, two, fmt="html").citations[0] == \
        '<i>J <span style="font-style:normal;">Smith</span>, K <span style="font-style:normal;">Doe</span></i>'
