"""Punctuation, dates, locales and cite clusters where citekit follows citeproc-js.

Every expected string below is citeproc-js 2.4.63's output for the same style, items
and clusters (run with node on the official styles and the CSL locale files); they are
committed here so that the tests never need node.
"""

from __future__ import annotations

import citekit


def book(iid, family, given, year, title="A Title", **extra):
    item = {"id": iid, "type": "book", "title": title, "author": [{"family": family, "given": given}],
            "issued": {"date-parts": [[year]]}}
    item.update(extra)
    return item


def cites(style, items, clusters, fmt="text"):
    return citekit.render(style, items, [{"citationItems": cl, "properties": {"noteIndex": k + 1}}
                                         for k, cl in enumerate(clusters)], format=fmt).citations


def bibliography(style, items, fmt="text", locale=None):
    return [e.text.strip() for e in citekit.render(style, items, None, format=fmt, locale=locale).bibliography]


# -- cite grouping: without cs:sort only neighbours are grouped ----------------------

DOES = [book("doe2020", "Doe", "John", 2020, "A"), book("doe2019", "Doe", "John", 2019, "B"),
        book("cork2018", "Cork", "Ann", 2018, "C")]


def test_unsorted_cluster_is_not_regrouped_past_other_cites():
    # chicago-author-date: collapse="year", no cs:sort in its citation
    got = cites("chicago-author-date", DOES, [
        [{"id": "doe2020"}, {"id": "cork2018", "prefix": "see also "}, {"id": "doe2019"}],
        [{"id": "doe2020"}, {"id": "cork2018"}, {"id": "doe2019", "prefix": "see "}],
        [{"id": "doe2020"}, {"id": "doe2019", "prefix": "see also "}],
    ])
    assert got == ["(Doe 2020; see also Cork 2018; Doe 2019)",  # citeproc-js 2.4.63
                   "(Doe 2020; Cork 2018; see Doe 2019)",
                   "(Doe 2020, see also 2019)"]


def test_sorted_cluster_is_still_grouped():
    got = cites("american-sociological-association", DOES, [
        [{"id": "doe2020"}, {"id": "cork2018", "prefix": "see also "}, {"id": "doe2019"}]])
    assert got == ["(see also Cork 2018; Doe 2019, 2020)"]  # citeproc-js 2.4.63


# -- markup in fields: an unbalanced tag is printed as typed -------------------------

def test_unbalanced_tags_are_literal():
    items = [
        {"id": "a", "type": "article-journal", "title": "The <i>Wo> as a Politically Significant Term",
         "author": [{"family": "Doe", "given": "John"}], "issued": {"date-parts": [[2020]]}},
        {"id": "b", "type": "article-journal", "title": "On <b>bold</b> and <i>ital and <b>more</i> text",
         "author": [{"family": "Roe", "given": "Jane"}], "issued": {"date-parts": [[2020]]}},
        {"id": "c", "type": "article-journal", "title": "Close </i> only and <sc>open",
         "author": [{"family": "Dee", "given": "Jane"}], "issued": {"date-parts": [[2020]]}},
    ]
    # citeproc-js 2.4.63
    assert bibliography("apa", items, "html") == [
        "Dee, J. (2020). <i>Close &#60;/i&#62; only and &#60;sc&#62;open</i>.",
        "Doe, J. (2020). <i>The &#60;i&#62;Wo&#62; as a Politically Significant Term</i>.",
        "Roe, J. (2020). <i>On <b>bold</b> and <span style=\"font-style:normal;\">ital and &#60;b&#62;more</span>"
        " text</i>.",
    ]
    assert bibliography("apa", items) == [
        "Dee, J. (2020). Close </i> only and <sc>open.",
        "Doe, J. (2020). The <i>Wo> as a Politically Significant Term.",
        "Roe, J. (2020). On bold and ital and <b>more text.",
    ]


# -- narrow no-break spaces at French punctuation -------------------------------------

def test_narrow_no_break_spaces_in_text_not_in_affixes():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="fr-FR">'
             '<info><id>x</id><title>x</title></info><citation><layout delimiter=" ; ">'
             '<text variable="title" quotes="true" prefix="« " suffix=" !"/><text value="val : ue ?" prefix=" "/>'
             '<names variable="author" prefix=" "/><text variable="URL" prefix=" "/>'
             '</layout></citation></style>')
    items = [{"id": "a", "type": "book", "title": "His « Anonymous » Life : a story ! yes ?",
              "author": [{"literal": "Org : ABC"}], "URL": "http://x.org/a :b"}]
    got = cites(style, items, [[{"id": "a", "prefix": "voir : ", "suffix": " !"}]])
    # citeproc-js 2.4.63: the style's own affixes keep their spaces, the locale's quotes their no-break spaces
    assert got == ["voir\u202f: « «\u00a0His «\u202fAnonymous\u202f» Life\u202f: a story\u202f! yes\u202f?\u00a0» !"
                   " val\u202f: ue\u202f? Org\u202f: ABC http://x.org/a\u202f:b\u202f!"]


# -- the space an entry's first display block starts with -------------------------------

def _bib_style(layout):
    return ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id>x</id>'
            '<title>x</title></info><citation><layout><text variable="title"/></layout></citation>'
            f'<bibliography><layout suffix=".">{layout}</layout></bibliography></style>')


def test_leading_space_of_first_display_block_moves_before_it():
    items = [{"id": "a", "type": "book", "title": "T1", "publisher": "P"}]
    first = citekit.render(_bib_style(
        '<group display="block"><text variable="volume"/></group>'
        '<group display="left-margin"><text variable="title" prefix=" "/></group>'
        '<group display="right-inline"><text variable="publisher"/></group>'), items, None, format="html")
    kept = citekit.render(_bib_style(
        '<group display="left-margin" font-style="italic"><text variable="title" prefix=" "/></group>'
        '<group display="right-inline"><text variable="publisher"/></group>'), items, None, format="html")
    # citeproc-js 2.4.63 (inside the entry's div)
    assert first.bibliography[0].text.rstrip() == (
        ' \n    <div class="csl-left-margin">T1</div><div class="csl-right-inline">P.</div>')
    assert kept.bibliography[0].text.rstrip() == (
        '\n    <div class="csl-left-margin"><i> T1</i></div><div class="csl-right-inline">P.</div>')


# -- literal dates: printed where the year is, once ------------------------------------

def test_literal_date_takes_the_place_of_the_year_only():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id>x</id>'
             '<title>x</title></info><citation><layout delimiter="; "><group delimiter=" | ">'
             '<date variable="issued"><date-part name="day" suffix=" "/><date-part name="month" suffix=" "/></date>'
             '<date variable="issued"><date-part name="year" prefix="(" suffix=")" font-style="italic"'
             ' text-case="uppercase"/></date>'
             '<date variable="issued" form="text" date-parts="year-month"/>'
             '<date variable="issued" form="numeric" date-parts="month-day"/><text value="end"/>'
             '</group></layout></citation></style>')
    items = [{"id": "a", "type": "book", "title": "T1", "issued": {"literal": "forthcoming"}}]
    # citeproc-js 2.4.63
    assert cites(style, items, [[{"id": "a"}]]) == ["(FORTHCOMING) | forthcoming | end"]
    assert cites(style, items, [[{"id": "a"}]], "html") == ["(<i>FORTHCOMING</i>) | forthcoming | end"]


def test_forthcoming_printed_once_in_an_official_style():
    items = [{"id": "f", "type": "article-journal", "title": "Forthcoming work on governance",
              "container-title": "Economic Inquiry", "author": [{"family": "Dubois", "given": "Jean-Luc"}],
              "issued": {"literal": "forthcoming"}}]
    # citeproc-js 2.4.63
    assert bibliography("associacao-brasileira-de-normas-tecnicas-ipea", items) == [
        "DUBOIS, J.-L. Forthcoming work on governance. Economic Inquiry, forthcoming."]


# -- dates in other locales ------------------------------------------------------------

def test_season_as_month_13_to_16_has_no_number_and_german_terms():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="de-DE">'
             '<info><id>x</id><title>x</title></info><citation><layout><group delimiter=" | ">'
             '<date variable="issued"><date-part name="day" suffix="."/><date-part name="month" form="numeric"'
             ' suffix="."/><date-part name="year"/></date>'
             '<date variable="issued"><date-part name="month" suffix=" "/><date-part name="year"/></date>'
             '<date variable="issued" form="text"/><date variable="issued" form="numeric"/>'
             '</group></layout></citation></style>')
    items = [{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2019, 13]]}},
             {"id": "b", "type": "book", "title": "T", "issued": {"date-parts": [[2019]], "season": 2}}]
    # citeproc-js 2.4.63
    assert cites(style, items, [[{"id": "a"}], [{"id": "b"}]]) == [
        "2019 | Frühjahr 2019 | Frühjahr 2019 | 2019",
        "Sommer.2019 | Sommer 2019 | Sommer 2019 | Sommer.2019"]


def test_ordinals_of_a_locale_replace_those_of_its_fallbacks():
    # de-AT has no ordinal terms of its own: de-DE's "." applies, en-US's "nd" never does
    items = [{"id": "k", "type": "article-newspaper", "title": "Series of columns", "container-title": "The Times",
              "author": [{"family": "Kim", "given": "Min-jun"}],
              "issued": {"date-parts": [[2018, 12, 30], [2019, 1, 2]]}}]
    # citeproc-js 2.4.63
    assert bibliography("donau-universitat-krems-department-fur-e-governance-in-wirthschaft-und-verwaltung",
                        items) == ["Kim, Min-jun. „Series of columns“. The Times, 30. Dezember 2018–2. Jänner 2019."]


# -- the style's locale for the language's primary dialect serves its other regions ------

def test_style_locale_of_primary_dialect_applies_to_other_regions():
    def style(default, lang):
        return ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"'
                f' default-locale="{default}"><info><id>x</id><title>x</title></info>'
                f'<locale xml:lang="{lang}"><terms><term name="et-al">ET-AL</term><term name="and">AND</term>'
                f'</terms></locale><locale xml:lang="{default[:2]}"><terms><term name="and">BARE</term></terms>'
                '</locale><citation et-al-min="3" et-al-use-first="1"><layout delimiter="; "><names variable="author">'
                '<name and="text" form="short"/></names></layout></citation></style>')
    items = [{"id": "a", "type": "book", "author": [{"family": "A"}, {"family": "B"}, {"family": "C"}]},
             {"id": "b", "type": "book", "author": [{"family": "A"}, {"family": "B"}]}]
    clusters = [[{"id": "a"}], [{"id": "b"}]]
    # citeproc-js 2.4.63
    assert cites(style("en-GB", "en-US"), items, clusters) == ["A ET-AL", "A AND B"]
    assert cites(style("de-AT", "de-DE"), items, clusters) == ["A ET-AL", "A AND B"]
    assert cites(style("en-US", "en-GB"), items, clusters) == ["A et al.", "A BARE B"]


# -- plain text: the gap after a margin field comes before an opening quote ---------------

def test_margin_gap_comes_before_an_opening_quote():
    items = [{"id": "c", "type": "chapter", "title": "Memory and the state", "container-title": "Handbook of Memory",
              "editor": [{"family": "Goodin", "given": "Robert E."}], "page": "5-20", "publisher": "Routledge",
              "publisher-place": "London", "author": [{"family": "Smith", "given": "Julia"}],
              "issued": {"date-parts": [[2019]]}}]
    # citeproc-js 2.4.63: the margin's own ", " then the gap, then the quote
    assert bibliography("cultural-geographies", items) == [
        "J. Smith,  ‘Memory and the state’, in R. E. Goodin (ed), Handbook of Memory (Routledge: London, 2019),"
        " pp. 5–20."]


def test_margin_gap_is_kept_before_a_leading_space():
    items = [{"id": "a", "type": "book", "title": "T1", "publisher": "P"}]
    got = citekit.render(_bib_style(
        '<group display="left-margin"><text variable="title"/></group>'
        '<group display="right-inline"><text variable="publisher" prefix=" "/></group>'), items, None)
    assert got.bibliography[0].text == "T1  P."  # citeproc-js 2.4.63


# -- year-suffix collapse: how each suffix joins the one before it -----------------------

def _suffix_style(attrs):
    return ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><id>x</id>'
            f'<title>x</title></info><citation disambiguate-add-year-suffix="true" {attrs}>'
            '<layout prefix="(" suffix=")" delimiter=", "><group delimiter=" "><names variable="author">'
            '<name form="short"/></names><date variable="issued"><date-part name="year"/></date></group></layout>'
            '</citation><bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout>'
            '</bibliography></style>')


SMITHS = [{"id": c, "type": "book", "title": "T" + c, "author": [{"family": "Smith"}],
           "issued": {"date-parts": [[2019]]}} for c in "abcdef"]


def test_year_suffix_runs_join_as_citeproc_js_numbers_them():
    orders = ["abcdef", "acdbe", "ac", "ba", "acde", "aceb", "abdf", "fedcba", "abcdf", "bdf"]
    clusters = [[{"id": c} for c in o] for o in orders]
    clusters += [[{"id": "a"}, {"id": "b", "suffix": " more"}, {"id": "c"}],
                 [{"id": "a"}, {"id": "b", "prefix": "see "}, {"id": "c"}],
                 [{"id": "a", "prefix": "see "}, {"id": "b"}, {"id": "c"}],
                 [{"id": "a"}, {"id": "b", "suffix": ", more"}, {"id": "c"}, {"id": "d"}]]
    ranged = cites(_suffix_style('collapse="year-suffix-ranged" year-suffix-delimiter=","'
                                 ' after-collapse-delimiter="; "'), SMITHS, clusters)
    plain = cites(_suffix_style('collapse="year-suffix"'), SMITHS, clusters)
    # citeproc-js 2.4.63
    assert ranged == ["(Smith 2019a–f)", "(Smith 2019a, c,d, b,e)", "(Smith 2019a,c)", "(Smith 2019b,a)",
                      "(Smith 2019a,c–e)", "(Smith 2019a, c, e,b)", "(Smith 2019a,b, d,f)",
                      "(Smith 2019f, e, d, c, b,a)", "(Smith 2019a–d,f)", "(Smith 2019b, d,f)",
                      "(Smith 2019a, b more, c)", "(Smith 2019a, see b,c)", "(see Smith 2019a–c)",
                      "(Smith 2019a, b, more, c,d)"]
    assert plain == ["(Smith 2019a, b, c, d, e, f)", "(Smith 2019a, c, d, b, e)", "(Smith 2019a, c)",
                     "(Smith 2019b, a)", "(Smith 2019a, c, d, e)", "(Smith 2019a, c, e, b)", "(Smith 2019a, b, d, f)",
                     "(Smith 2019f, e, d, c, b, a)", "(Smith 2019a, b, c, d, f)", "(Smith 2019b, d, f)",
                     "(Smith 2019a, b more, c)", "(Smith 2019a, see b, c)", "(see Smith 2019a, b, c)",
                     "(Smith 2019a, b, more, c, d)"]


# -- locators: a label typed into the locator, and the plural of the label -----------------

def test_label_typed_into_locator_is_read_out_of_it():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><id>x</id>'
             '<title>x</title></info><citation><layout><group delimiter=", "><text variable="title"/>'
             '<group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>'
             '</group></layout></citation></style>')
    items = [{"id": "b", "type": "book", "title": "Book"}, {"id": "l", "type": "legislation", "title": "Act"}]
    got = cites(style, items, [[{"id": "b", "locator": "ch. 3"}], [{"id": "b", "locator": "vol. 2, 3"}],
                               [{"id": "b", "locator": "sec. 4", "label": "page"}],
                               [{"id": "b", "locator": "n. 5", "label": "chapter"}],
                               [{"id": "b", "locator": "xyz. 5"}], [{"id": "l", "locator": "sec. 4"}]])
    # citeproc-js 2.4.63
    assert got == ["Book, chap. 3", "Book, vols. 2, 3", "Book, sec. 4", "Book, n. 5", "Book, p. xyz. 5",
                   "Act, sec. 4"]


def test_only_numbers_before_a_label_inside_the_field_make_its_label_plural():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><id>x</id>'
             '<title>x</title></info><citation><layout><group delimiter=" "><label variable="locator" form="short"/>'
             '<text variable="locator"/></group></layout></citation></style>')
    values = ["12, 15", "iv, vi", "2a, 3b", "186 f.", "12 n. 3", "A1, A2", "3, 5 n. 2", "2-3, 5", "4, 8 April 1544"]
    items = [{"id": "b", "type": "book", "title": "Book"}]
    got = cites(style, items, [[{"id": "b", "locator": v}] for v in values])
    # citeproc-js 2.4.63
    assert got == ["pp. 12, 15", "pp. iv, vi", "pp. 2a, 3b", "p. 186 f.", "p. 12 n. 3", "pp. A1, A2", "pp. 3, 5 n. 2",
                   "pp. 2–3, 5", "pp. 4, 8 April 1544"]


# -- number variables with labels typed between the numbers ---------------------------------

def test_numbers_with_typed_labels():
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"><info><id>x</id>'
             '<title>x</title></info><citation><layout><group delimiter=" | "><number variable="edition"'
             ' form="ordinal"/><number variable="volume"/></group></layout></citation></style>')
    values = ["7, p. 3-8", "7 p. 3", "2, n. 4, 5", "3, ch. 2", "12, vol. 4", "3, xyz. 5", "Suppl. 3"]
    items = [{"id": f"i{k}", "type": "book", "title": "T", "edition": v, "volume": v} for k, v in enumerate(values)]
    # citeproc-js 2.4.63
    assert cites(style, items, [[{"id": f"i{k}"}] for k in range(len(values))]) == [
        "7th, pp. 3–8 | 7, pp. 3–8", "7 p. 3 | 7 p. 3", "2nd, nn. 4, 5 | 2, nn. 4, 5", "3rd, chap. 2 | 3, chap. 2",
        "12th, vol. 4 | 12, 4", "3rd, xyz. 5 | 3, xyz. 5", "Suppl. 3 | Suppl. 3"]


# -- subsequent-author-substitute compares people, not their printed form -------------------

def test_subsequent_author_substitute_compares_name_parts():
    goodin = [{"family": "Goodin", "given": "Robert E."}]
    items = [{"id": "a1", "type": "book", "title": "A one", "author": goodin, "issued": {"date-parts": [[2001]]}},
             {"id": "e1", "type": "book", "title": "B ed", "editor": goodin, "issued": {"date-parts": [[2002]]}},
             {"id": "a2", "type": "book", "title": "C two", "author": goodin, "issued": {"date-parts": [[2003]]}}]
    # zeithistorische-forschungen prints authors "Robert E. Goodin", editors "Goodin, Robert E." (citeproc-js 2.4.63)
    assert bibliography("zeithistorische-forschungen", items) == [
        "Robert E. Goodin: A one, 2001.", "--- (Hrsg.): B ed, 2002.", "---: C two, 2003."]
