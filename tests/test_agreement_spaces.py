"""Spaces and no-break spaces where citekit follows citeproc-js (issue 10: double spaces kept
or merged, no-break spaces).

citeproc-js merges one space (or no-break space) where a prefix, suffix or delimiter meets
another one of a neighbouring level, but not across a decoration (font-style="normal"
included) and never with the text of a value; a sort-separator of spaces loses its last
one. Every expected string is citeproc-js 2.4.63's output for the same small style and
items (run with node on the CSL locale files of citeproc-py); the tests never run node.
"""

from __future__ import annotations

from citekit.csl import parse_style, process

ARTICLE = {"id": "a", "type": "article-journal", "title": "Title", "container-title": "Journal", "volume": "3",
           "issue": "2", "page": "10-20", "author": [{"family": "Abbott", "given": "Ben P."}],
           "issued": {"date-parts": [[2019]]}}
NAMES = {"id": "b", "type": "book", "title": "T", "issued": {"date-parts": [[2019]]},
         "author": [{"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
                    {"family": "Smith", "given": "John", "suffix": "Jr."}, {"family": "Doe", "given": "Jane"}]}


def cite(layout: str, item: dict, locale: str = "en-US") -> str:
    style = parse_style(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="{locale}">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation><layout><group delimiter="|">{layout}</group></layout></citation>
</style>""".encode())
    result = process(style, [item], [{"citationItems": [{"id": item["id"]}], "properties": {"noteIndex": 1}}])
    return result.citations[0]


def test_a_style_normal_decoration_keeps_spaces_apart():
    # annales, berghahn-books: a group in font-style="normal" keeps its first child's
    # prefix space from merging with the delimiter or prefix before it, as other formatting does
    layout = ('<group delimiter=", "><text variable="title"/><group font-style="normal">'
              '<text variable="volume" prefix=" "/></group></group>'
              '<group prefix=" "><group font-style="normal"><text variable="volume" prefix=" "/></group></group>'
              '<group><group font-style="normal"><text variable="volume" suffix=" "/></group>'
              '<text variable="issue" prefix=" "/></group>'
              '<group><group font-style="italic"><text variable="volume" suffix=" "/></group>'
              '<text variable="issue" prefix=" "/></group>')
    assert cite(layout, ARTICLE) == "Title,  3|  3|3  2|3  2"


def test_affix_and_delimiter_spaces_merge_one_at_a_time():
    # a suffix "  " before a delimiter "  " and a prefix "  x  " after it: one space of
    # each meeting pair goes; a value's own spaces never merge with the affixes around it
    layout = ('<group delimiter="  "><text variable="title" suffix="  "/><text variable="volume" prefix="  x  "/>'
              '<text value="a  b"/></group>'
              '<group><text value="in " suffix=" "/><text variable="title"/></group>'
              '<group><text value="in " suffix=" "/><text variable="title" prefix=" "/></group>'
              '<group delimiter=" "><text value="in "/><text variable="title"/></group>')
    assert cite(layout, ARTICLE) == "Title    x  3  a  b|in  Title|in  Title|in  Title"


def test_no_break_spaces_merge_like_spaces():
    # collection-du-centre-jean-berard: label suffix ".&#160;" then group delimiter "&#160;"
    layout = ('<group delimiter="&#160;"><text term="page" form="short" suffix=".&#160;"/>'
              '<text variable="page"/></group>')
    assert cite(layout, ARTICLE) == "P.\u00a010–20"


def test_sort_separator_of_spaces_loses_its_last_space():
    # acta-orthopaedica-belgica (sort-separator="  "), karlstad-universitet-harvard (",  ")
    seps = ["  ", "   ", ",  ", " ,  ", "Y  ", "  Y", "X  Y", " ", " , ", "&#160;&#160;", " ,", " x "]
    layout = "".join(f'<names variable="author"><name name-as-sort-order="all" sort-separator="{s}"/></names>'
                     for s in seps)
    assert cite(layout, ARTICLE).split("|") == [
        "Abbott Ben P.", "Abbott  Ben P.", "Abbott, Ben P.", "Abbott , Ben P.", "AbbottY  Ben P.",
        "Abbott  YBen P.", "AbbottX  YBen P.", "Abbott Ben P.", "Abbott , Ben P.", "Abbott\u00a0\u00a0Ben P.",
        "Abbott ,Ben P.", "Abbott x Ben P."]


def test_sort_separator_with_name_part_affixes_and_name_suffix():
    layout = ('<names variable="author"><name name-as-sort-order="all" sort-separator="  " delimiter="; "/></names>'
              '<names variable="author"><name name-as-sort-order="all" sort-separator="  " delimiter="; ">'
              '<name-part name="family" suffix="x"/></name></names>')
    assert cite(layout, NAMES).split("|") == [
        "Berg Anna van der; Smith John Jr.; Doe Jane", "Bergx  Anna van der; Smithx  John Jr.; Doex  Jane"]


def test_initials_ended_by_a_no_break_space_tie_to_the_family_name_in_french():
    layout = ('<names variable="author"><name initialize-with=".&#160;" delimiter=", "/></names>'
              '<names variable="author"><name initialize-with=". " delimiter=", "/></names>'
              '<names variable="author"><name initialize-with=".&#160;" initialize="false" delimiter=", "/></names>')
    nb = "\u00a0"
    assert cite(layout, NAMES, "fr-FR").split("|") == [
        f"A.{nb}van der{nb}Berg, J.{nb}Smith Jr., J.{nb}Doe", f"A. van der{nb}Berg, J. Smith Jr., J. Doe",
        f"Anna{nb}van der{nb}Berg, John{nb}Smith Jr., Jane{nb}Doe"]
    assert cite(layout, NAMES, "en-US").split("|") == [
        "A. van der Berg, J. Smith Jr., J. Doe", "A. van der Berg, J. Smith Jr., J. Doe",
        "Anna van der Berg, John Smith Jr., Jane Doe"]


def test_a_decorated_elements_suffix_keeps_its_space_from_a_siblings_prefix():
    # harvard-cranfield-university: a quoted title with suffix ", " then genre prefix " "
    # prints "’,  Paper"; the last element of a group gives its space to the group, which
    # then merges it (the first two)
    layout = ('<group><group><text variable="volume" suffix=" " font-style="italic"/></group>'
              '<text variable="issue" prefix=" "/></group>'
              '<group><group><text variable="title" suffix=" "/><text variable="volume" suffix=" " quotes="true"/>'
              '</group><text variable="issue" prefix=" "/></group>'
              '<group><group font-style="italic"><text variable="title" suffix=" "/>'
              '<text variable="volume" suffix=" " quotes="true"/></group><text variable="issue" prefix=" "/></group>'
              '<group><choose><if variable="title"><text variable="volume" suffix=" " quotes="true"/></if></choose>'
              '<text variable="issue" prefix=" "/></group>'
              '<group><text variable="volume" suffix=" " font-weight="bold"/>'
              '<group delimiter=", " prefix=" "><text variable="issue"/></group></group>'
              '<group><group prefix="(" suffix=") "><text variable="volume" suffix=" " font-weight="bold"/></group>'
              '<text variable="issue" prefix=" "/></group>')
    assert cite(layout, ARTICLE) == "3 2|Title “3” 2|Title “3”  2|“3”  2|3  2|(3 ) 2"


def test_initials_keep_the_no_break_spaces_of_initialize_with():
    # collection-du-centre-jean-berard: initialize-with=".&#160;" prints "B.&#160;P."; only
    # ordinary spaces collapse ("J.&#160; le R.")
    item = {"id": "c", "type": "book", "title": "T", "issued": {"date-parts": [[2019]]},
            "author": [{"family": "Abbott", "given": "Benjamin P."},
                       {"family": "Alembert", "given": "Jean le Rond", "non-dropping-particle": "d'"},
                       {"family": "Smith", "given": "Mary-Ann"}]}
    layout = ('<names variable="author"><name initialize-with=".&#160;" delimiter=", "/></names>'
              '<names variable="author"><name initialize-with="&#160;" delimiter=", "/></names>')
    nb = "\u00a0"
    assert cite(layout, item, "fr-FR").split("|") == [
        f"B.{nb}P.{nb}Abbott, J.{nb} le R.{nb}d’Alembert, M.-A.{nb}Smith",
        f"B{nb}P{nb}Abbott, J{nb} le R{nb}d’Alembert, M-A{nb}Smith"]
    assert cite(layout, item, "en-US").split("|") == [
        f"B.{nb}P. Abbott, J.{nb} le R. d’Alembert, M.-A. Smith", f"B{nb}P Abbott, J{nb} le R d’Alembert, M-A Smith"]


def test_a_numbers_suffix_keeps_its_space_from_a_siblings_prefix():
    # citeproc-js keeps a number (digits, "x7") as a number: like a formatted element, its
    # suffix's space stays beside the next sibling's prefix space, unless it ends its group;
    # a range, a roman numeral or "12a" is text and merges
    items = [{"id": "a", "type": "article-journal", "title": "T", "volume": "3-4", "issue": "2", "edition": "IV",
              "number": "12(Suppl. 1)", "collection-number": "5", "number-of-pages": "7"},
             {"id": "b", "type": "article-journal", "title": "T", "volume": "3", "issue": "2", "edition": "2",
              "number": "12a", "collection-number": "5 & 6", "number-of-pages": "x7"}]
    layout = ''.join(f'<group>{first}<text variable="issue" prefix=" "/></group>' for first in (
        '<text variable="volume" suffix=" "/>', '<number variable="edition" form="ordinal" suffix=" "/>',
        '<text variable="edition" suffix=" "/>', '<text variable="number" suffix=" "/>',
        '<number variable="collection-number" suffix=" "/>', '<text variable="number-of-pages" suffix=" "/>',
        '<group><text variable="volume" suffix=" "/></group>'))
    assert [cite(layout, item) for item in items] == [
        "3–4 2|IV 2|IV 2|12(Suppl. 1) 2|5  2|7  2|3–4 2", "3  2|2nd  2|2  2|12a 2|5 & 6 2|x7  2|3 2"]


def test_spaces_of_values_and_terms_never_merge_with_affixes():
    # organization (value " Available from: " after ", "), harvard-university-for-the-
    # creative-arts (a term "accessed " with suffix " "), first-monday (value " at ")
    style = parse_style("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<locale><terms><term name="accessed">accessed </term><term name="in"> in</term></terms></locale>
<citation><layout><group delimiter="|"><group delimiter=", "><text variable="title"/>
<text value=" Available from: "/><text variable="volume"/></group>
<group><text term="accessed" suffix=" "/><text variable="volume"/></group>
<group><text variable="title" suffix=" "/><text term="in"/><text variable="volume" prefix=" "/></group>
<group><text variable="title" suffix=" "/><text term="in" suffix=" "/></group></group></layout></citation>
</style>""".encode())
    result = process(style, [ARTICLE], [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}}])
    assert result.citations == ["Title,  Available from: , 3|accessed  3|Title  in 3|Title  in "]


def test_a_decorated_elements_prefix_space_merges_with_its_first_childs():
    # forensic-science-review: delimiter "; " then a group in font-weight="normal" with
    # prefix " " whose date has prefix " " too: one space (citeproc-js merges a prefix with
    # its first child's across the element's own formatting, but not across a child's)
    layout = ('<group delimiter="; "><text variable="title"/><group font-weight="normal" prefix=" ">'
              '<date variable="issued" font-weight="normal" prefix=" "><date-part name="year"/></date></group></group>'
              '<group prefix=" " font-style="italic"><text variable="volume" prefix=" "/></group>'
              '<group prefix="x "><group font-style="italic"><text variable="volume" prefix=" "/></group></group>'
              '<group prefix="x " quotes="true"><text variable="volume" prefix=" "/></group>')
    assert cite(layout, ARTICLE) == "Title; 2019| 3|x  3|x “3”"


def test_the_last_name_joined_without_and_keeps_its_prefix_space():
    # cs:name prefix=" " and no `and`: the last name is joined apart, and its prefix space
    # prints after the delimiter's ("A. Lowe,  P. Willis" in frontiers-in-physics); with
    # `and`, or between the other names, the spaces merge
    four = {"id": "f", "type": "book", "author": [{"family": "Aa", "given": "A"}, {"family": "Bb", "given": "B"},
                                                  {"family": "Cc", "given": "C"}, {"family": "Dd", "given": "D"}]}
    two = dict(four, id="t", author=four["author"][:2])
    name = '<names variable="author"><name delimiter=", " prefix=" "{}/></names>'
    assert cite(name.format(""), four) == " A Aa, B Bb, C Cc,  D Dd"
    assert cite(name.format(""), two) == " A Aa,  B Bb"
    assert cite(name.format(' and="text"'), four) == " A Aa, B Bb, C Cc, and D Dd"
    assert cite(name.format(' and="text"'), two) == " A Aa and B Bb"


def test_a_decorated_elements_suffix_gives_its_space_to_the_delimiter_after_it():
    # suomen-antropologi: bold names with suffix " ", the group's delimiter " ", then a
    # date's group with prefix " ": one space (citeproc-js trims the suffix against the
    # delimiter and the prefix too), "Ashton 2020", as without the bold
    layout = ('<group delimiter=" "><text variable="title" font-weight="bold" suffix=" "/>'
              '<group prefix=" "><text variable="volume"/></group></group>'
              '<group delimiter=" "><text variable="title" quotes="true" suffix=" "/>'
              '<text variable="volume" prefix=" (" suffix=")"/></group>'
              '<group delimiter="  "><text variable="title" font-style="italic" suffix="  "/>'
              '<text variable="volume" prefix="  "/></group>'
              '<group delimiter=" "><text variable="title" font-style="italic" suffix=" "/><text value="x"/>'
              '<text variable="volume" prefix=" "/></group>'
              '<group delimiter=" "><names variable="author" font-weight="bold" suffix=" "><name/></names>'
              '<text variable="volume" prefix=" " font-style="italic"/></group>'
              '<group delimiter=", "><text variable="title" font-weight="bold" suffix=" "/>'
              '<text variable="volume" prefix=" "/></group>')
    assert cite(layout, ARTICLE) == "Title 3|“Title” (3)|Title    3|Title x 3|Ben P. Abbott 3|Title , 3"


def _style(citation_layout: str, bibliography: str, cls: str = "note"):
    return parse_style(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0" default-locale="en-US">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation>{citation_layout}</citation>
<bibliography{bibliography}</bibliography>
</style>""".encode())


BOOK = {"id": "b", "type": "book", "title": "Book", "publisher": "Pub", "author": [{"family": "Berg", "given": "Anna"}],
        "issued": {"date-parts": [[2020]]}}


def test_a_citation_layout_suffix_of_a_full_stop_and_a_space_ends_with_the_stop():
    # kit-karlsruher-institut..., universita-di-bologna-lettere, anti-trafficking-review:
    # layout suffix=". " ends each note with "." (citeproc-js keeps a leading mark alone)
    clusters = [{"citationItems": [{"id": "a"}], "properties": {"noteIndex": 1}},
                {"citationItems": [{"id": "a"}, {"id": "b"}], "properties": {"noteIndex": 2}}]
    style = _style('<layout delimiter="; " suffix=". "><text variable="title"/></layout>',
                   '><layout><text variable="title"/></layout>')
    for fmt in ("text", "html"):
        assert process(style, [ARTICLE, BOOK], clusters, format=fmt).citations == ["Title.", "Title; Book."]


def test_second_field_align_with_one_field_hangs_it_all_in_the_margin():
    # journal-of-lipid-research, journal-of-australian-strength-and-conditioning: the layout's
    # one group is the first field: citeproc-js puts the whole entry in the margin, the plain
    # text ends with the margin's space, and the layout suffix (given to the empty inline
    # part) is lost
    style = _style('<layout><text variable="title"/></layout>',
                   ' second-field-align="flush"><layout prefix="[" suffix="]"><group delimiter=". " suffix=".">'
                   '<text variable="title"/><text variable="volume"/></group></layout>', cls="in-text")
    assert [e.text for e in process(style, [ARTICLE]).bibliography] == ["[Title. 3. "]
    assert [e.text for e in process(style, [ARTICLE], format="html").bibliography] == [
        '\n    <div class="csl-left-margin">[Title. 3.</div>']


THREE = {"id": "x", "type": "book", "title": "T", "author": [
    {"family": "Berg", "given": "Anna"}, {"family": "Lee", "given": "Kim"}, {"family": "Wu", "given": "Li"}],
    "issued": {"date-parts": [[2019]]}}


def test_a_name_suffix_follows_the_et_al_term_too():
    # padagogische-hochschule-vorarlberg: cs:name suffix="&#160;" keeps the year apart after
    # "u. a." as after a name (citeproc-js puts cs:name's affixes around a list cut with
    # et-al as well as around each name); a "." merges with the term's, a prefix space with
    # the name's
    nb = "\u00a0"
    layout = ('<group><names variable="author"><name form="short" suffix="&#160;" et-al-min="3" '
              'et-al-use-first="2" and="text"/></names><date variable="issued"><date-part name="year"/></date></group>'
              '<group><names variable="author"><name form="short" suffix="." et-al-min="3" et-al-use-first="1"/>'
              '</names><text variable="title" prefix=" "/></group>'
              '<group><names variable="author"><name form="short" prefix=" " et-al-min="3" et-al-use-first="1"/>'
              '</names><text variable="title" prefix=" "/></group>')
    assert cite(layout, THREE) == f"Berg{nb}, Lee{nb}, et al.{nb}2019|Berg. et al. T| Berg et al. T"


def test_second_field_align_whose_first_field_prints_nothing_puts_the_entry_inline():
    # cultural-geographies: the first field (the author macro) is empty for an item without
    # author: citeproc-js prints the whole entry, with the layout suffix, as the inline part
    style = _style('<layout><text variable="title"/></layout>',
                   ' second-field-align="flush"><layout suffix="."><text variable="note" suffix=", "/>'
                   '<group delimiter=", "><text variable="title" font-style="italic"/><text variable="volume"/></group>'
                   '</layout>', cls="in-text")
    assert [e.text for e in process(style, [ARTICLE]).bibliography] == ["Title, 3."]
    assert [e.text for e in process(style, [ARTICLE], format="html").bibliography] == [
        '<div class="csl-right-inline"><i>Title</i>, 3.</div>\n  ']


TWO = {"id": "y", "type": "book", "title": "T", "author": [{"family": "Berg", "given": "Anna"},
                                                          {"family": "Lee", "given": "Kim"}]}


def test_a_name_suffix_keeps_its_space_from_the_name_delimiter():
    # technische-universitat-munchen-controlling: cs:name suffix=" " and delimiter=" / " print
    # "Smith  / Okafor" (citeproc-js adds the delimiter to the name's suffix string); the
    # "and" or et-al joint still merges, and so does a mark ("Berg. Lee.", not citeproc-js's
    # "Berg.. Lee.")
    n = '<names variable="author"><name form="short" '
    layout = (f'{n}suffix=" " delimiter=" / "/></names>{n}suffix="." delimiter=". "/></names>'
              f'{n}suffix=" " delimiter=" / " and="text"/></names>'
              f'{n}suffix=" " delimiter=" / " et-al-min="3" et-al-use-first="2"/></names>'
              f'{n}suffix=" " delimiter=" / " font-style="italic"/></names>')
    assert cite(layout, THREE) == "Berg  / Lee  / Wu |Berg. Lee. Wu.|Berg  / Lee / and Wu |Berg  / Lee / et al. |Berg  / Lee  / Wu "
    assert cite(layout, TWO) == "Berg  / Lee |Berg. Lee.|Berg and Lee |Berg  / Lee |Berg  / Lee "


def test_the_delimiter_before_the_last_name_keeps_its_space_from_the_name_prefix():
    # frontiers-in-ecology-and-the-environment, molecular-biology: cs:name prefix=" " prints
    # "Defert D,  Ewald F" and "Paul, Miller,  Paul" (citeproc-js merges the delimiter's space
    # with a name's prefix space except before the last name), but not with "and" or et-al
    n = '<names variable="author"><name form="short" '
    layout = (f'{n}prefix=" " delimiter=", "/></names>{n}prefix=" " delimiter=", " and="text"/></names>'
              f'{n}prefix=" " delimiter=", " et-al-min="3" et-al-use-first="2"/></names>'
              f'{n}prefix=" In: " delimiter=", "/></names>{n}prefix=" " delimiter=", " font-style="italic"/></names>'
              f'{n}prefix=" " suffix=" " delimiter=" / "/></names>')
    assert cite(layout, THREE) == (" Berg, Lee,  Wu| Berg, Lee, and Wu| Berg, Lee, et al.| In: Berg, In: Lee,  In: Wu"
                                   "| Berg, Lee,  Wu| Berg  / Lee  /  Wu ")
    assert cite(layout, TWO) == " Berg,  Lee| Berg and Lee| Berg,  Lee| In: Berg,  In: Lee| Berg,  Lee| Berg  /  Lee "
