"""cite(), citation(), bibliography() and render(): the seed brief in MLA, APA and Chicago, and the plumbing."""

import copy
import threading

import pytest

import citekit
from citekit import registry
from citekit.errors import ItemError, StyleNotFound

URL = "http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242"
SEED_ITEM = {
    "id": "zissis2006", "type": "webpage", "title": "Dim Prospects for Six-Party Deal",
    "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 12, 19]]},
    "container-title": "Council on Foreign Relations", "genre": "Analysis Brief", "URL": URL,
}
# The strings of the first engine issue, as citeproc-js prints them with the official styles.
EXPECTED = {
    ("mla", "text"): "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. Council on Foreign "
                     f"Relations, 19 Dec. 2006, {URL}.",
    ("mla", "html"): "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. <i>Council on Foreign "
                     f"Relations</i>, 19 Dec. 2006, {URL}.",
    ("apa", "text"): "Zissis, C. (2006, December 19). Dim Prospects for Six-Party Deal [Analysis Brief]. Council "
                     f"on Foreign Relations. {URL}",
    ("apa", "html"): "Zissis, C. (2006, December 19). <i>Dim Prospects for Six-Party Deal</i> [Analysis Brief]. "
                     f"Council on Foreign Relations. {URL}",
    ("chicago", "text"): "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. Council on Foreign "
                         f"Relations, December 19, 2006. {URL}.",
    ("chicago", "html"): "Zissis, Carin. “Dim Prospects for Six-Party Deal.” Analysis Brief. Council on Foreign "
                         f"Relations, December 19, 2006. {URL}.",
}
CITATIONS = {
    "mla": "(Zissis)",
    "apa": "(Zissis, 2006)",
    "chicago": "Carin Zissis, “Dim Prospects for Six-Party Deal,” Analysis Brief, Council on Foreign Relations, "
               f"December 19, 2006, {URL}.",
}


def seed_brief():
    return citekit.Brief(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                         publisher="Council on Foreign Relations", url=URL, kind="Analysis Brief")


@pytest.mark.parametrize("style, fmt", sorted(EXPECTED))
def test_seed_brief_exactly(style, fmt):
    assert citekit.cite(seed_brief(), style=style, format=fmt) == EXPECTED[style, fmt]


@pytest.mark.parametrize("style", sorted(CITATIONS))
def test_seed_citation_or_first_note(style):
    assert citekit.citation(seed_brief(), style=style) == CITATIONS[style]


@pytest.mark.parametrize("item", [SEED_ITEM, citekit.Reference.from_csl(SEED_ITEM)], ids=["dict", "Reference"])
def test_cite_takes_dicts_and_references(item):
    assert citekit.cite(item, style="mla") == EXPECTED["mla", "text"]


def test_cite_validates_dicts():
    bad = {**SEED_ITEM, "issued": "19/12/2006"}
    with pytest.raises(ItemError) as info:
        citekit.cite(bad, style="mla")
    assert (info.value.item_id, info.value.field) == ("zissis2006", "issued")
    with pytest.raises(ItemError, match="expected a CSL-JSON dict or a citekit model"):
        citekit.cite(42, style="mla")


def test_citation_locator():
    text = citekit.citation(seed_brief(), style="apa", locator="12", label="page")
    assert text.startswith("(Zissis, 2006") and "12" in text


def test_cite_falls_back_to_the_citation_without_a_bibliography():
    style = registry.resolve("bluebook")  # a note style without a <bibliography>
    assert citekit.render(style, [SEED_ITEM]).bibliography == []
    assert citekit.cite(seed_brief(), style=style) == citekit.citation(seed_brief(), style=style) != ""


def test_unknown_style_and_format():
    with pytest.raises(StyleNotFound, match="did you mean mla"):
        citekit.cite(seed_brief(), style="mlaa")
    with pytest.raises(ValueError, match="expected one of text, html"):
        citekit.cite(seed_brief(), style="mla", format="docx")


def test_render_with_names_paths_text_and_styles():
    path = registry.locate("modern-language-association")
    for style in ("mla", "modern-language-association", "http://www.zotero.org/styles/modern-language-association",
                  str(path), path, path.read_text(encoding="utf-8"), registry.resolve("mla")):
        result = citekit.render(style, [SEED_ITEM], [[{"id": "zissis2006"}]])
        assert result.citations == ["(Zissis)"]
        assert [e.id for e in result.bibliography] == ["zissis2006"]
        assert result.bibliography[0].text == EXPECTED["mla", "text"]


def test_render_passes_dicts_untouched_and_models_converted():
    item = copy.deepcopy(SEED_ITEM)
    no_id = {k: v for k, v in SEED_ITEM.items() if k != "id"}
    result = citekit.render("apa", [item, seed_brief().model_copy(update={"id": "b"}), no_id])
    assert item == SEED_ITEM  # not modified
    assert sorted(e.id for e in result.bibliography) == ["b", "item-3", "zissis2006"]


def test_render_single_item_and_bad_items():
    assert len(citekit.render("apa", SEED_ITEM).bibliography) == 1
    with pytest.raises(TypeError, match="items is a list"):
        citekit.render("apa", "zissis2006")


def test_render_dependent_style():
    result = citekit.render("nature-digest", [SEED_ITEM], [[{"id": "zissis2006"}]])
    assert result.citations == ["1"] or result.citations[0].strip("[]()") == "1"
    assert "Zissis" in result.bibliography[0].text


def test_bibliography_block():
    other = {**SEED_ITEM, "id": "abel2001", "author": [{"family": "Abel", "given": "Ann"}],
             "issued": {"date-parts": [[2001]]}}
    text = citekit.bibliography([SEED_ITEM, other], style="apa")
    assert text.index("Abel") < text.index("Zissis")  # sorted by the style
    html = citekit.bibliography([SEED_ITEM, other], style="apa", format="html")
    assert html.lstrip().startswith('<div class="csl-bib-body">') and html.count('class="csl-entry"') == 2


def test_repeated_calls_reuse_the_parsed_style():
    citekit.cite(seed_brief(), style="mla")
    assert registry.resolve("mla") is registry.resolve("modern-language-association")


def test_concurrent_cites_agree():
    out, barrier = [], threading.Barrier(6)

    def work(style):
        barrier.wait()
        out.append((style, citekit.cite(seed_brief(), style=style)))

    threads = [threading.Thread(target=work, args=(s,)) for s in ("mla", "apa", "chicago") * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(out) == sorted((s, EXPECTED[s, "text"]) for s in ("mla", "apa", "chicago") * 2)


def test_public_surface():
    for name in citekit.__all__:
        assert getattr(citekit, name) is not None, name
    assert citekit.resolve_style is registry.resolve
    assert citekit.StyleError is citekit.errors.StyleError
    assert issubclass(citekit.ItemError, citekit.CitekitError)
    assert citekit.FORMATS == ("text", "html", "markdown", "rtf", "latex")
    assert citekit.style_entry("mla").id == "modern-language-association"


def test_document_by_style_name_matches_render():
    brief = citekit.Brief(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                          publisher="Council on Foreign Relations", kind="Analysis Brief")
    other = {"id": "zissis2006b", "type": "webpage", "title": "Beijing's Pressure on Pyongyang",
             "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 11, 2]]},
             "container-title": "Council on Foreign Relations", "genre": "Analysis Brief"}
    doc = citekit.Document("apa", [brief, other])
    first = doc.insert_cluster([{"id": "zissis2006"}])
    assert [u.text for u in first] == ["(Zissis, 2006b)"]
    changed = doc.insert_cluster([{"id": "zissis2006b"}])
    assert [u.text for u in changed] == ["(Zissis, 2006a)"]
    clusters = [[{"id": "zissis2006"}], [{"id": "zissis2006b"}]]
    assert doc.citations == citekit.render("apa", [brief, other], clusters).citations
