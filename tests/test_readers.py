"""citekit.readers: BibTeX, RIS, CSL-JSON/YAML and web pages into CSL items and References."""

from __future__ import annotations

import json
import re
import socket
import warnings
from pathlib import Path

import pytest

from citekit.readers import (
    FORMATS,
    Problem,
    ReaderError,
    ReadResult,
    ReadWarning,
    from_html,
    guess_format,
    load,
    read,
)
from citekit.readers._latex import latex_to_text
from citekit.readers.bibtex import parse_bibtex
from citekit.readers.csljson import parse_csljson, parse_cslyaml
from citekit.readers.html import extract
from citekit.readers.ris import parse_ris

DATA = Path(__file__).parent / "data" / "readers"
PAGE = DATA / "brief-page.html"
BRIEF_URL = "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242"

# The seed brief as the page describes it. The page labels the piece "Analysis Brief"
# only as its section (article:section, articleSection, the kicker), which is not a
# CSL genre; without genre MLA prints exactly issue 6's string.
PAGE_ITEM = {
    "id": "zissis2006",
    "type": "webpage",
    "title": "Dim Prospects for Six-Party Deal",
    "author": [{"family": "Zissis", "given": "Carin"}],
    "issued": {"date-parts": [[2006, 12, 19]]},
    "container-title": "Council on Foreign Relations",
    "URL": BRIEF_URL,
    "language": "en",
}
MLA_PAGE = ("Zissis, Carin. \u201cDim Prospects for Six-Party Deal.\u201d Council on Foreign Relations, "
            "19 Dec. 2006, http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242.")
# Issue 2's strings for the item with genre "Analysis Brief".
MLA_WITH_GENRE = ("Zissis, Carin. \u201cDim Prospects for Six-Party Deal.\u201d Analysis Brief. Council on "
                  "Foreign Relations, 19 Dec. 2006, "
                  "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242.")
APA_WITH_GENRE = ("Zissis, C. (2006, December 19). Dim Prospects for Six-Party Deal [Analysis Brief]. "
                  "Council on Foreign Relations. "
                  "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242")


def _engine_ready() -> bool:
    try:
        import citekit

        result = citekit.render("mla", [dict(PAGE_ITEM)])
        return bool(result.bibliography)
    except Exception:
        return False


needs_engine = pytest.mark.skipif(not _engine_ready(), reason="citekit.render is not available yet")


def _by_id(items):
    return {item["id"]: item for item in items}


def _assert_same_items(got: list[dict], expected: list[dict]):
    got_by_id, exp_by_id = _by_id(got), _by_id(expected)
    assert list(got_by_id) == list(exp_by_id), "items differ in ids or order"
    for key, exp in exp_by_id.items():
        item = got_by_id[key]
        for field in sorted(set(item) | set(exp)):
            assert item.get(field) == exp.get(field), f"{key}.{field}"


# --------------------------------------------------------------------------- web page


def test_saved_page_gives_the_brief():
    assert extract(PAGE.read_bytes()) == PAGE_ITEM
    assert extract(PAGE.read_text(encoding="utf-8")) == PAGE_ITEM


def test_from_html_returns_a_reference():
    ref = from_html(PAGE.read_bytes())
    assert ref.to_csl() == PAGE_ITEM
    # The page's own script would prefix its title with "RAN:" if anything executed it.
    assert ref.title == "Dim Prospects for Six-Party Deal"


def test_page_through_read_and_load():
    refs = read(PAGE)
    assert [r.to_csl() for r in refs] == [PAGE_ITEM]
    result = load(path=str(PAGE))  # a file by name only through path= (issue 12)
    assert result.format == "html" and result.ok and result.items == [PAGE_ITEM]


def _strip_vocabulary(page: str, *names: str) -> str:
    patterns = {
        "highwire": r'<meta name="citation_[^>]*>',
        "dc": r'<meta name="(?:DC|dcterms)\.[^>]*>',
        "jsonld": r'<script type="application/ld\+json">.*?</script>',
        "og": r'<meta property="(?:og|article):[^>]*>',
        "twitter": r'<meta name="twitter:[^>]*>',
    }
    for name in names:
        page = re.sub(patterns[name], "", page, flags=re.S)
    return page


def test_precedence_resolves_the_conflicting_values():
    page = PAGE.read_text(encoding="utf-8")
    # All vocabularies: citation_* wins the URL over DC, JSON-LD, og:url and the
    # canonical link; DC's publisher wins the site name over og:site_name "CFR.org";
    # citation_author wins over meta author "CFR.org Staff".
    assert extract(page) == PAGE_ITEM

    # Without Highwire tags, Dublin Core gives the same item.
    assert extract(_strip_vocabulary(page, "highwire")) == PAGE_ITEM

    # Without Highwire and DC: JSON-LD decides (its URL, its language).
    item = extract(_strip_vocabulary(page, "highwire", "dc"))
    assert item["URL"] == "https://www.cfr.org/backgrounder/dim-prospects-six-party-deal"
    assert item["container-title"] == "Council on Foreign Relations"
    assert item["author"] == [{"given": "Carin", "family": "Zissis"}]
    assert item["language"] == "en-US"
    assert item["issued"] == {"date-parts": [[2006, 12, 19]]}

    # Then Open Graph: the article:author link is no name, so the page's meta author is
    # used; og:site_name and og:url (with its tracking query) win; og:title loses its
    # " | CFR.org" tail.
    item = extract(_strip_vocabulary(page, "highwire", "dc", "jsonld"))
    assert item["title"] == "Dim Prospects for Six-Party Deal"
    assert item["author"] == [{"literal": "CFR.org Staff"}]
    assert item["container-title"] == "CFR.org"
    assert item["URL"].startswith("https://www.cfr.org/backgrounder/dim-prospects-six-party-deal?utm_source")
    assert item["issued"] == {"date-parts": [[2006, 12, 19]]}

    # Plain HTML only: <title> without its site tail, the <time> marked datePublished
    # rather than the "updated" one or meta date, the canonical link.
    item = extract(_strip_vocabulary(page, "highwire", "dc", "jsonld", "og", "twitter"))
    assert item["title"] == "Dim Prospects for Six-Party Deal - Council on Foreign Relations"
    assert item["issued"] == {"date-parts": [[2006, 12, 19]]}
    assert item["URL"] == "http://www.cfr.org/publication/12242/dim_prospects_for_sixparty_deal.html"
    assert item["language"] == "en"
    assert "container-title" not in item


def test_title_site_suffix_trimmed_when_site_is_known():
    html = ('<html><head><title>Budget Talks Stall | Example Times</title>'
            '<meta property="og:site_name" content="Example Times"></head></html>')
    item = extract(html)
    assert item["title"] == "Budget Talks Stall"
    assert item["container-title"] == "Example Times"


def test_journal_article_page():
    html = """<html><head>
      <meta name="citation_title" content="Soft Matter">
      <meta name="citation_author" content="de Gennes, Pierre-Gilles">
      <meta name="citation_journal_title" content="Reviews of Modern Physics">
      <meta name="citation_journal_abbrev" content="Rev. Mod. Phys.">
      <meta name="citation_publisher" content="American Physical Society">
      <meta name="citation_volume" content="64"><meta name="citation_issue" content="3">
      <meta name="citation_firstpage" content="645"><meta name="citation_lastpage" content="648">
      <meta name="citation_publication_date" content="1992/07/01">
      <meta name="citation_doi" content="10.1103/RevModPhys.64.645">
      <meta property="og:site_name" content="Physical Review Journals">
    </head></html>"""
    item = extract(html, url="https://journals.aps.org/rmp/abstract/10.1103/RevModPhys.64.645")
    assert item == {
        "id": "gennes1992",
        "type": "article-journal",
        "title": "Soft Matter",
        "author": [{"family": "Gennes", "non-dropping-particle": "de", "given": "Pierre-Gilles"}],
        "issued": {"date-parts": [[1992, 7, 1]]},
        "container-title": "Reviews of Modern Physics",
        "container-title-short": "Rev. Mod. Phys.",
        "publisher": "American Physical Society",
        "volume": "64",
        "issue": "3",
        "page": "645-648",
        "DOI": "10.1103/RevModPhys.64.645",
        "URL": "https://journals.aps.org/rmp/abstract/10.1103/RevModPhys.64.645",
    }


@pytest.mark.parametrize("ld_type, csl_type, site_var", [
    ("NewsArticle", "article-newspaper", "container-title"),
    ("BlogPosting", "post-weblog", "container-title"),
    ("Report", "report", "publisher"),
    ("Article", "webpage", "container-title"),
    ("WebPage", "webpage", "container-title"),
])
def test_jsonld_type_guess(ld_type, csl_type, site_var):
    ld = {"@context": "https://schema.org", "@type": ld_type, "headline": "Harvest Outlook",
          "name": "Harvest Outlook", "datePublished": "2021-03-04T08:00:00Z",
          "author": [{"@type": "Person", "givenName": "Ana", "familyName": "Lima"},
                     {"@type": "Organization", "name": "Agricultural Desk"}],
          "publisher": {"@type": "Organization", "name": "Farm Weekly"}}
    html = f'<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head></html>'
    item = extract(html)
    assert item["type"] == csl_type
    assert item["title"] == "Harvest Outlook"
    assert item["author"] == [{"family": "Lima", "given": "Ana"}, {"literal": "Agricultural Desk"}]
    assert item["issued"] == {"date-parts": [[2021, 3, 4]]}
    assert item[site_var] == "Farm Weekly"


def test_relative_links_resolve_against_url_but_are_never_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the reader tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    html = ('<html><head><title>Notes</title><link rel="canonical" href="/notes/1">'
            '<link rel="stylesheet" href="http://example.org/a.css">'
            '<script src="http://example.org/a.js"></script>'
            '<meta http-equiv="refresh" content="0; url=http://example.org/elsewhere">'
            '</head><body><img src="http://example.org/x.png"><iframe src="http://example.org/"></iframe>'
            '</body></html>')
    item = extract(html, url="https://example.org/start")
    assert item["URL"] == "https://example.org/notes/1"
    # Without a base, a relative canonical link cannot become a URL.
    assert "URL" not in extract(html)


def test_javascript_and_data_urls_are_not_urls():
    html = ('<html><head><meta name="citation_title" content="X">'
            '<meta property="og:url" content="javascript:alert(1)">'
            '<link rel="canonical" href="data:text/html,hi"></head></html>')
    assert "URL" not in extract(html)


def test_page_without_metadata():
    with pytest.raises(ReaderError):
        from_html("<html><body><p>nothing here</p></body></html>")
    with pytest.raises(ReaderError):
        from_html(b"")


def test_hostile_page_runs_nothing_and_stays_fast(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    head = ('<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://' + str(secret) + '">]>'
            '<html><head><meta name="citation_title" content="Hostile Page &xxe;">'
            '<meta name="citation_author" content="Mallory, Eve">'
            '<meta name="citation_publication_date" content="2020/01/02">'
            '<title>&xxe;</title>'
            '<script>throw new Error("ran")</script>'
            '<script type="application/ld+json">' + "[" * 50000 + "]" * 50000 + '</script>'
            '<script type="application/ld+json">{"@type": "Article", "headline": "__import__(\'os\')"}</script>'
            '<?php system("id"); ?>')
    pages = {
        "deep nesting": head + "</head><body>" + "<div><span>" * 100_000 + "x" + "</span></div>" * 100_000,
        "5 MB of junk": head + "</head><body>" + ("<p a='&#x27;\"<<>>&amp;&bogus; <b><i>" * 200_000)[:5_000_000],
        "many tags": head + '<meta name="citation_author" content="Doe, J.">' * 100_000 + "</head>",
        "long value": head + '<meta property="og:title" content="' + "A" * 5_000_000 + '"></head>',
    }
    for name, html in pages.items():
        item = extract(html)
        assert item["title"].startswith("Hostile Page"), name
        assert "TOP-SECRET" not in json.dumps(item), name
        assert item["author"][0] == {"family": "Mallory", "given": "Eve"}, name
        assert item["issued"] == {"date-parts": [[2020, 1, 2]]}, name
        assert len(json.dumps(item)) < 20_000, name


# --------------------------------------------------------------------------- BibTeX


def test_bib_file_equals_its_csl_json():
    result = load(DATA / "references.bib")
    assert result.format == "bibtex"
    assert result.problems == []
    expected = json.loads((DATA / "references.bib.json").read_text(encoding="utf-8"))
    assert len(expected) >= 20
    _assert_same_items(result.items, expected)
    assert [r.to_csl() for r in result.references] == expected


@pytest.mark.parametrize("source, expected", [
    (r"The {DNA} of \emph{Drosophila} -- a study",
     'The <span class="nocase">DNA</span> of <i>Drosophila</i> \u2013 a study'),
    (r"{\"U}ber {\"u}ber \"uber G\"{o}del", "\u00dcber \u00fcber \u00fcber G\u00f6del"),
    (r"Erd\H{o}s--R\'enyi graphs---a survey", "Erd\u0151s\u2013R\u00e9nyi graphs\u2014a survey"),
    (r"\textbf{Bold} and {\em emphasised} and \textit{italic}",
     "<b>Bold</b> and <i>emphasised</i> and <i>italic</i>"),
    (r"\emph{The {NASA} Story}", '<i>The <span class="nocase">NASA</span> Story</i>'),
    (r"{Whole Title Protected}", '<span class="nocase">Whole Title Protected</span>'),
    (r"\nocase{iPhone} apps", '<span class="nocase">iPhone</span> apps'),
    (r"H\textsubscript{2}O at 10\textsuperscript{3} and \textsc{Unesco}",
     'H<sub>2</sub>O at 10<sup>3</sup> and <span style="font-variant:small-caps;">Unesco</span>'),
    (r"$\alpha$-helix \& 50\% of \ss", "\u03b1-helix & 50% of \u00df"),
    (r"``Quoted'' text, p.~3", "\u201cQuoted\u201d text, p.\u00a03"),
    (r"\L{}\'od\'z and \v{S}koda and Fran\c{c}ois", "\u0141\u00f3d\u017a and \u0160koda and Fran\u00e7ois"),
    ("Line\n   broken   value", "Line broken value"),
    (r"\emph{Bare} 50% growth & more", "<i>Bare</i> 50% growth & more"),
])
def test_latex_to_csl_rich_text(source, expected):
    assert latex_to_text(source, protect=True) == expected


def test_latex_without_protection_drops_braces():
    assert latex_to_text(r"{Oxford} {U}niversity Press", protect=False) == "Oxford University Press"


def test_bib_names_particles_suffixes_institutions():
    bib = r"""@book{k, title = {T}, year = 2000,
      author = {van der Berg, Anna and Ludwig van Beethoven and Beethoven, Ludwig van and
                King, Jr., Martin Luther and {World Health Organization} and
                Jean de La Fontaine and M{\"u}ller, J{\"o}rg and {von Neumann}, John and others}}"""
    items, problems = parse_bibtex(bib)
    assert problems == []
    assert items[0]["author"] == [
        {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"literal": "World Health Organization"},
        {"family": "La Fontaine", "given": "Jean", "non-dropping-particle": "de"},
        {"family": "M\u00fcller", "given": "J\u00f6rg"},
        {"family": "von Neumann", "given": "John"},
        {"literal": "others"},  # "and others": the engine prints the style's et-al (issue 11)
    ]


def test_bib_macros_months_concatenation_and_dates():
    bib = r"""
    @string{jgr = "J. Geophys. Res."}
    @STRING(letters = jgr # { Letters})
    @string{dec = "December"}
    @article{a, title = "Quoted " # {and braced}, journal = letters, year = 2001, month = dec}
    @article{b, title = {B}, journal = jgr, year = {1999}, month = {19 mar}}
    @article{c, title = {C}, journal = jgr, date = {2004-05/2006}}
    @article{d, title = {D}, journal = jgr, year = {in press}}
    @article{e, title = {E}, journal = jgr, year = 2010, month = 7}
    """
    items, problems = parse_bibtex(bib)
    assert problems == []
    a, b, c, d, e = items
    assert a["title"] == "Quoted and braced"
    assert a["container-title"] == "J. Geophys. Res. Letters"
    assert a["issued"] == {"date-parts": [[2001, 12]]}
    assert b["issued"] == {"date-parts": [[1999, 3, 19]]}
    assert c["issued"] == {"date-parts": [[2004, 5], [2006]]}
    assert d["issued"] == {"literal": "in press"}
    assert e["issued"] == {"date-parts": [[2010, 7]]}


def test_bib_crossref_inheritance():
    items = _by_id(load(DATA / "references.bib").items)
    child, parent = items["lecun1990"], items["nips1989"]
    assert child["container-title"] == parent["title"]
    assert child["editor"] == parent["editor"]
    assert child["publisher"] == "Morgan Kaufmann"
    assert child["issued"] == {"date-parts": [[1990]]}
    assert child["title"] == "Optimal Brain Damage"  # its own title is not overwritten


def test_bib_url_doi_urldate():
    bib = r"""@online{w, title = {Page}, organization = {Example Org},
        url = {https://example.org/a\_b%20c}, urldate = {2024-05-01}, date = {2023},
        doi = {https://doi.org/10.1000/XYZ\_1}}
      @misc{h, title = {How}, howpublished = {\url{https://example.org/how}}, year = 2020}"""
    items, problems = parse_bibtex(bib)
    w, h = items
    assert w["URL"] == "https://example.org/a_b%20c"
    assert w["DOI"] == "10.1000/XYZ_1"
    assert w["accessed"] == {"date-parts": [[2024, 5, 1]]}
    assert w["container-title"] == "Example Org"
    assert h["URL"] == "https://example.org/how"


def test_malformed_bib_entries_are_reported_and_the_rest_read():
    result = load(DATA / "malformed.bib")
    assert [i["id"] for i in result.items] == ["good1", "good2", "good3", "twice", "orphan"]
    found = {(p.line, p.key, p.skipped) for p in result.problems}
    assert found == {
        (9, "broken1", True),    # brace never closed
        (22, "broken2", True),   # no comma after the key
        (24, "good3", False),    # undefined macro: read, macro name kept
        (30, "good2", True),     # duplicate key: the first is kept
        (35, "twice", False),    # field given twice: the first is used
        (42, "orphan", False),   # crossref to nothing
    }
    assert _by_id(result.items)["good2"]["title"] == "A Sound Book"
    assert _by_id(result.items)["twice"]["title"] == "First Title"
    first = str(result.problems[0])
    assert first.startswith(str(DATA / "malformed.bib") + ":9: broken1: ") and first.endswith("(skipped)")


# --------------------------------------------------------------------------- RIS


def test_ris_file_equals_its_csl_json():
    result = load(DATA / "references.ris")
    assert result.format == "ris"
    assert result.problems == []
    expected = json.loads((DATA / "references.ris.json").read_text(encoding="utf-8"))
    assert len(expected) >= 20
    _assert_same_items(result.items, expected)
    assert [r.to_csl() for r in result.references] == expected


def test_malformed_ris_records_are_reported_and_the_rest_read():
    result = load(DATA / "malformed.ris")
    assert [i["id"] for i in result.items] == ["ok1", "weird1", "unclosed1", "ok2"]
    found = {(p.line, p.key, p.skipped) for p in result.problems}
    assert found == {
        (8, "'Record Without TY'", True),
        (13, "weird1", False),      # unknown type: read as a document
        (19, "unclosed1", False),   # no ER: read up to the next TY
        (24, "ok2", False),         # DA is no date: PY is used
    }
    items = _by_id(result.items)
    assert items["weird1"]["type"] == "document"
    assert items["unclosed1"]["title"] == "Record Missing Its ER"
    assert items["ok2"]["issued"] == {"date-parts": [[2005]]}


def test_ris_tolerates_loose_tag_spacing_and_continuations():
    items, problems = parse_ris("TY - JOUR\nTI  -Tight\nAU-  Doe, J.\nAB  - First line\n"
                                "second line\nER  -\n")
    assert problems == []
    assert items == [{"type": "article-journal", "author": [{"family": "Doe", "given": "J."}],
                      "title": "Tight", "abstract": "First line second line"}]


# --------------------------------------------------------------------------- CSL-JSON / YAML


def test_csljson_shapes_and_shortcuts():
    text = json.dumps({"items": [
        {"id": "a", "type": "book", "title": "A", "author": "Zissis, Carin", "issued": "2006-12-19"},
        {"id": 7, "type": "book", "title": "B", "issued": 2001, "editor": [{"family": "X"}]},
    ]})
    # the shortcuts are read by the one door (citekit.normalize) in load(), not by the parser
    result = load(text)
    assert result.problems == []
    assert result.items == [
        {"id": "a", "type": "book", "title": "A", "author": [{"family": "Zissis", "given": "Carin"}],
         "issued": {"date-parts": [[2006, 12, 19]]}},
        {"id": 7, "type": "book", "title": "B", "issued": {"date-parts": [[2001]]},
         "editor": [{"family": "X"}]},
    ]


def test_csljson_errors_name_the_line():
    items, problems = parse_csljson('[\n{"id": "a", "type": "book"},\n{"id": oops}\n]', "x.json")
    assert items == []
    assert problems[0].line == 3 and problems[0].skipped


def test_cslyaml_pandoc_references_with_markdown():
    text = """---
title: A paper
references:
- id: zissis2006
  type: webpage
  title: Dim Prospects for *Six-Party* Deal on [DPRK]{.nocase} talks
  author:
  - family: Zissis
    given: Carin
  issued: 2006-12-19
  container-title: Council on Foreign Relations
- id: knuth1997
  type: book
  title: The Art of Computer Programming, **Volume 1**
  author: Knuth, Donald E.
  issued:
    year: 1997
...

Body text is not YAML: {[}
"""
    result = load(text, format="yaml")
    assert result.problems == []
    zissis, knuth = result.items
    assert zissis["title"] == ('Dim Prospects for <i>Six-Party</i> Deal on '
                               '<span class="nocase">DPRK</span> talks')
    assert zissis["issued"] == {"date-parts": [[2006, 12, 19]]}
    assert knuth["author"] == [{"family": "Knuth", "given": "Donald E."}]
    assert knuth["issued"] == {"date-parts": [[1997]]}
    assert knuth["title"] == "The Art of Computer Programming, <b>Volume 1</b>"


def test_cslyaml_is_loaded_safely():
    items, problems = parse_cslyaml("- !!python/object/apply:os.system ['echo hacked']\n")
    assert items == []
    assert problems and problems[0].skipped


# --------------------------------------------------------------------------- the API


@pytest.mark.parametrize("text, fmt", [
    ("@article{a, title={T}}", "bibtex"),
    ("% comment\n\n@book{a, title={T}}", "bibtex"),
    ("TY  - JOUR\nTI  - T\nER  - \n", "ris"),
    ('[{"id": "a", "type": "book"}]', "csljson"),
    ("<!DOCTYPE html><html><head><title>T</title></head></html>", "html"),
    ("- id: a\n  type: book\n", "cslyaml"),
    ("references:\n- id: a\n", "cslyaml"),
])
def test_guess_format_from_content(text, fmt):
    assert guess_format(text) == fmt


def test_guess_format_from_extension_and_failure():
    assert guess_format("anything", "refs.BIB") == "bibtex"
    assert guess_format("anything", "refs.yml") == "cslyaml"
    with pytest.raises(ReaderError):
        guess_format("just some words")
    assert set(FORMATS) == {"bibtex", "ris", "csljson", "cslyaml", "html"}


def test_load_accepts_text_bytes_and_paths_and_unpacks():
    text = (DATA / "references.ris").read_text(encoding="utf-8")
    by_text = load(text)
    by_bytes = load(text.encode("utf-8"))
    by_path = load(DATA / "references.ris")
    by_name = load(path=str(DATA / "references.ris"))
    assert by_text.items == by_bytes.items == by_path.items == by_name.items
    refs, problems = by_path
    assert isinstance(by_path, ReadResult) and len(refs) == 24 and problems == []


def test_ids_are_generated_and_made_unique():
    result = load("TY  - JOUR\nAU  - Karpathy, Andrej\nTI  - A\nPY  - 2015\nER  - \n"
                  "TY  - JOUR\nAU  - Karpathy, Andrej\nTI  - B\nPY  - 2015\nER  - \n"
                  "TY  - JOUR\nID  - same\nTI  - C\nER  - \n"
                  "TY  - JOUR\nID  - same\nTI  - D\nER  - \n", format="ris")
    assert [i["id"] for i in result.items] == ["karpathy2015", "karpathy2015a", "same", "same-2"]
    assert [(p.key, p.skipped) for p in result.problems] == [("same", False)]


def test_read_warns_or_raises_on_problems():
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        refs = read(DATA / "malformed.bib")
    assert len(refs) == 5
    messages = [str(w.message) for w in caught_warnings if issubclass(w.category, ReadWarning)]
    assert len(messages) == 6 and "broken1" in messages[0]
    with pytest.raises(ReaderError) as caught:
        read(DATA / "malformed.bib", strict=True)
    assert len(caught.value.problems) == 6
    assert all(isinstance(p, Problem) for p in caught.value.problems)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read(DATA / "references.bib", strict=True)) == 30


def test_unreadable_inputs_raise_reader_error(tmp_path):
    with pytest.raises(ReaderError, match="no such file"):
        load(tmp_path / "missing.bib")
    with pytest.raises(ReaderError, match="unknown format"):
        load("@book{a, title={T}}", format="endnote")
    with pytest.raises(ReaderError, match="empty"):
        load("   \n")


def test_non_utf8_file_is_read_and_reported(tmp_path):
    path = tmp_path / "latin.bib"
    path.write_bytes("@book{m, title = {Caf\u00e9}, year = 2001}".encode("cp1252"))
    result = load(path)
    assert result.items[0]["title"] == "Caf\u00e9"
    assert [p.message for p in result.problems] == ["not UTF-8 on line 1; that line was read as Windows-1252"]


def test_items_the_models_reject_are_reported():
    result = load('[{"id": "ok", "type": "book"}, {"id": "bad", "type": "no-such-type"}]')
    assert [r.id for r in result.references] == ["ok"]
    assert [(p.key, p.skipped) for p in result.problems] == [("bad", True)]


# --------------------------------------------------------------------------- formatting


@needs_engine
@pytest.mark.parametrize("name", ["references.bib", "references.ris"])
@pytest.mark.parametrize("style", ["apa", "modern-language-association"])
def test_files_format_like_their_csl_json(name, style):
    import citekit

    expected = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    from_file = citekit.render(style, load(DATA / name).references)
    from_json = citekit.render(style, expected)
    texts = [(e.id, e.text) for e in from_file.bibliography]
    assert texts == [(e.id, e.text) for e in from_json.bibliography]
    assert len(texts) == len(expected) and all(text for _, text in texts)


@needs_engine
def test_page_formats_as_issue_6_says():
    import citekit

    assert citekit.cite(from_html(PAGE.read_bytes()), style="mla") == MLA_PAGE


@needs_engine
def test_cli_cites_the_saved_page(capsys):
    from citekit.cli import main

    assert main(["cite", str(PAGE), "--style", "mla"]) == 0
    assert capsys.readouterr().out == MLA_PAGE + "\n"


@needs_engine
def test_web_items_of_the_files_format_as_the_brief():
    import citekit

    bib = _by_id(load(DATA / "references.bib").items)["zissis2006"]
    assert citekit.cite(bib, style="mla") == MLA_PAGE
    ris = _by_id(load(DATA / "references.ris").items)["zissis2006"]  # with M3: genre
    assert citekit.cite(ris, style="mla") == MLA_WITH_GENRE
    assert citekit.cite(ris, style="apa") == APA_WITH_GENRE
