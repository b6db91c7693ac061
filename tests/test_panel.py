"""The Cite panel's markup, parsed with lxml (no browser: see test_panel_browser.py).

Tests about structure and escaping replace citekit.cite with a small stand-in,
so they say what the panel does with whatever the engine returns; the tests at
the end use the real engine for the seed brief.
"""

from __future__ import annotations

import html
import re

import lxml.html
import pytest

import citekit
from citekit import panel as P

HOSTILE_TITLE = '<img src=x onerror=alert(1)> "quoted" & <script>alert(2)</script>'


def stub_cite(item, style="apa", format="text", locale=None):
    """A well-behaved engine: escapes the item's text, italicises the publisher."""
    title = item["title"]
    if format == "html":
        return f"{style.upper()}: “{html.escape(title, quote=False).replace('&amp;', '&#38;')}.” <i>Publisher</i>"
    return f"{style.upper()}: “{title}.” Publisher"


@pytest.fixture
def stub(monkeypatch):
    monkeypatch.setattr(citekit, "cite", stub_cite, raising=False)


def parse(markup: str):
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def root_of(tree):
    (root,) = tree.xpath('//div[@data-citekit]')
    return root


def test_structure_is_a_real_tab_list(stub):
    tree = parse(P.panel({"title": "T"}, default="apa"))
    root = root_of(tree)
    assert root.get("class") == "citekit"
    (tablist,) = root.xpath('.//*[@role="tablist"]')
    assert tablist.get("aria-label")
    tabs = tablist.xpath('./*[@role="tab"]')
    assert [t.text_content() for t in tabs] == ["MLA", "APA", "Chicago"]
    assert [t.get("aria-selected") for t in tabs] == ["false", "true", "false"]
    assert [t.get("tabindex") for t in tabs] == ["-1", "0", "-1"]  # roving tabindex
    panels = root.xpath('.//*[@role="tabpanel"]')
    assert len(panels) == 3
    for tab, tabpanel in zip(tabs, panels):
        assert tab.tag == "button" and tab.get("type") == "button"
        assert tab.get("aria-controls") == tabpanel.get("id")
        assert tabpanel.get("aria-labelledby") == tab.get("id")
    toggle = root.xpath('.//button[contains(@class, "citekit-cite")]')[0]
    assert toggle.get("aria-expanded") == "false"
    assert toggle.get("aria-controls") == root.xpath('.//*[contains(@class, "citekit-body")]')[0].get("id")
    (status,) = root.xpath('.//*[@role="status"]')
    assert status.get("aria-live") == "polite"
    for cls in ("citekit-copy", "citekit-close"):
        (button,) = root.xpath(f'.//button[contains(@class, "{cls}")]')
        assert button.get("aria-label") and button.text_content()


def test_without_javascript_every_citation_is_readable(stub):
    tree = parse(P.panel({"title": "T"}))
    root = root_of(tree)
    # Only controls that need the script start hidden; no citation does.
    hidden = [el.get("class") for el in root.xpath(".//*[@hidden]")]
    assert sorted(hidden) == ["citekit-actions", "citekit-cite", "citekit-tabs"]
    for tabpanel in root.xpath('.//*[@role="tabpanel"]'):
        assert tabpanel.get("hidden") is None
        assert not tabpanel.xpath("ancestor::*[@hidden]")
    texts = [c.text_content() for c in root.xpath('.//*[@class="citekit-citation"]')]
    assert texts == [stub_cite({"title": "T"}, s) for s in ("mla", "apa", "chicago")]
    names = [n.text_content() for n in root.xpath('.//*[@class="citekit-style-name"]')]
    assert names == ["MLA", "APA", "Chicago"]


def test_hostile_title_stays_text(stub):
    markup = P.panel({"title": HOSTILE_TITLE})
    tree = parse(markup)
    root = root_of(tree)
    assert not tree.xpath("//img")
    assert len(tree.xpath("//script")) == 1  # the panel's own
    assert "alert" not in tree.xpath("//script")[0].text
    for cit, style in zip(root.xpath('.//*[@class="citekit-citation"]'), ("mla", "apa", "chicago")):
        assert cit.text_content() == stub_cite({"title": HOSTILE_TITLE}, style, "text")
        # The plain form for the clipboard is the engine's text, exactly, once unescaped.
        assert cit.get("data-citekit-text") == stub_cite({"title": HOSTILE_TITLE}, style, "text")
    assert "<img" not in markup and "<script>alert" not in markup


def test_markup_slipping_through_the_engine_is_dropped(monkeypatch):
    def leaky(item, style="apa", format="text", locale=None):
        if format == "html":
            return ('Zissis. <i onclick="x()">Title</i> <img src=x onerror=alert(1)>'
                    '<script>alert(2)</script><a href="javascript:alert(3)">link</a>'
                    '<span style="font-variant:small-caps;">Sc</span><span style="background:url(x)">s</span>')
        return "Zissis. Title"

    monkeypatch.setattr(citekit, "cite", leaky, raising=False)
    tree = parse(P.panel({"title": "x"}, styles=["apa"]))
    cit = tree.xpath('//*[@class="citekit-citation"]')[0]
    assert not tree.xpath("//img")
    assert len(tree.xpath("//script")) == 1
    assert [el.tag for el in cit.iter()][1:] == ["i", "a", "span", "span"]
    assert cit.xpath("./a")[0].get("href") is None
    assert cit.xpath("./span")[0].get("style") == "font-variant:small-caps;"
    assert cit.xpath("./span")[1].get("style") is None
    assert "alert(2)" not in cit.text_content()


def test_no_inline_handlers_or_external_assets(stub):
    page = P.panel_page({"title": HOSTILE_TITLE})
    tree = lxml.html.document_fromstring(page)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert "javascript:" not in value.lower()
    assert not tree.xpath("//*[@src] | //link | //img | //iframe")
    for asset in (P.panel_js(), P.panel_css()):
        assert "http:" not in asset and "https:" not in asset and "@import" not in asset and "url(" not in asset
    assert not re.search(r"\beval\(|new Function|\.innerHTML\s*=", P.panel_js())


def test_ids_are_unique_across_panels_on_one_page(stub):
    brief = {"title": "Same item twice"}
    markup = P.panel(brief) + P.panel(brief, assets=False) + P.panel({"title": "Other"}, assets=False)
    tree = parse(markup)
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids)) == 3 * (3 + 3 + 3)  # per panel: root/body/heading, 3 tabs, 3 panels
    for root in tree.xpath("//div[@data-citekit]"):
        own = set(root.xpath(".//@id")) | {root.get("id")}
        refs = root.xpath(".//@aria-controls | .//@aria-labelledby")
        assert refs and set(refs) <= own  # references stay inside their own panel
    assert re.fullmatch(r"citekit-[0-9a-f]{8}-\d+", root_of(parse(P.panel(brief))).get("id"))


def test_citekit_panel_is_callable(stub):
    # The submodule and the function share a name: the module itself is callable.
    import citekit.panel

    assert citekit.panel is P
    assert citekit.panel({"title": "T"}, id="p") == P.panel({"title": "T"}, id="p")


def test_explicit_id_and_bad_ids(stub):
    root = root_of(parse(P.panel({"title": "T"}, id="cite-main")))
    assert root.get("id") == "cite-main"
    assert root.xpath('.//*[@role="tab"]')[0].get("id") == "cite-main-tab-1"
    with pytest.raises(ValueError):
        P.panel({"title": "T"}, id='x" onclick="y')


def test_nonce_on_both_blocks(stub):
    tree = parse(P.panel({"title": "T"}, nonce="r4nd0m+/="))
    (style,) = tree.xpath("//style")
    (script,) = tree.xpath("//script")
    assert style.get("nonce") == script.get("nonce") == "r4nd0m+/="
    tree = parse(P.panel({"title": "T"}))
    assert tree.xpath("//style")[0].get("nonce") is None
    with pytest.raises(ValueError):
        P.panel({"title": "T"}, nonce='"><script>')


def test_assets_once(stub):
    tree = parse(P.panel({"title": "T"}, assets=False))
    assert not tree.xpath("//style | //script")
    assets = parse(P.panel_assets(nonce="n1"))
    assert [e.tag for e in assets.iter() if isinstance(e.tag, str)][1:] == ["style", "script"]
    page = lxml.html.document_fromstring(P.panel_page([{"title": "A"}, {"title": "B"}, {"title": "C"}]))
    assert len(page.xpath("//style")) == 1 and len(page.xpath("//script")) == 1
    assert len(page.xpath("//div[@data-citekit]")) == 3
    # Several copies of the script on one page are safe: it guards itself.
    assert P.panel_js().count("done.enhanceAll(); return;") == 1


def test_panels_share_one_copy_of_the_assets(stub):
    tree = parse(P.panels([{"title": "A"}, {"title": "B"}], "apa,mla", nonce="n"))
    assert [r.xpath('string(.//*[@class="citekit-citation"])') for r in tree.xpath("//div[@data-citekit]")] == [
        stub_cite({"title": "A"}, "apa"), stub_cite({"title": "B"}, "apa")]
    assert len(tree.xpath("//script[@nonce='n']")) == len(tree.xpath("//style[@nonce='n']")) == 1
    with pytest.raises(ValueError):
        P.panels([])


def test_page_csp(stub):
    page = P.panel_page({"title": "T"}, csp=True)
    tree = lxml.html.document_fromstring(page)
    (meta,) = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    nonce = tree.xpath("//script")[0].get("nonce")
    assert nonce and tree.xpath("//style")[0].get("nonce") == nonce
    assert f"script-src 'nonce-{nonce}'" in meta.get("content")
    assert "default-src 'none'" in meta.get("content")


def test_text_format_and_options(stub):
    tree = parse(P.panel({"title": "A & <b>B</b>"}, styles="apa,mla", format="text",
                         labels={"mla": "MLA 9"}, strings={"cite": "Zitieren", "copied": "Kopiert"}, open=True))
    root = root_of(tree)
    cits = root.xpath('.//*[@class="citekit-citation"]')
    assert [c.text_content() for c in cits] == [stub_cite({"title": "A & <b>B</b>"}, s) for s in ("apa", "mla")]
    assert not root.xpath('.//*[@class="citekit-citation"]/*')  # text: no markup at all
    assert [t.text_content() for t in root.xpath('.//*[@role="tab"]')] == ["APA", "MLA 9"]
    assert root.xpath('.//button[@class="citekit-cite"]')[0].text_content() == "Zitieren"
    assert root.get("data-citekit-copied") == "Kopiert"
    assert root.get("data-citekit-open") is not None


@pytest.mark.parametrize(
    "kwargs",
    [dict(styles=()), dict(styles=("apa", "apa")), dict(default="ieee"), dict(format="rtf"),
     dict(strings={"nope": "x"})],
)
def test_bad_arguments(stub, kwargs):
    with pytest.raises(ValueError):
        P.panel({"title": "T"}, **kwargs)


def test_style_labels():
    assert [P.style_label(s) for s in ("mla", "apa", "chicago", "IEEE")] == ["MLA", "APA", "Chicago", "IEEE"]
    assert P.style_label("modern-language-association") == "MLA"
    assert P._label_from_title("American Psychological Association 7th edition") == "APA"
    assert P._label_from_title("Nature") == "Nature"
    assert P._label_from_title("Chicago Manual of Style 17th edition (note)") == "CMS"
    assert P._label_from_title("DIN 1505-2 (author-date, Deutsch) - standard superseded by ISO-690") == "DIN 1505-2"
    assert P._label_from_title("China National Standard GB/T 7714-2015 (numeric)") == "GB/T 7714-2015"
    # Through the registry's index of the installed official styles.
    assert P.style_label("oscola") == "OSCOLA"
    assert P.style_label("pnas") == "PNAS"
    assert P.style_label("path/to/my-house-style.csl") == "my house style"


@pytest.mark.parametrize(
    "markup",
    [
        "Zissis, Carin. “Dim Prospects.” <i>Council on Foreign Relations</i>, 19 Dec. 2006.",
        "Smith &#38; Jones, <b>12</b>(3), x<sup>2</sup> H<sub>2</sub>O "
        '<span style="font-variant:small-caps;">Sc</span> <span class="nocase">iPod</span>',
        '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">A &lt;b&gt;</div>',
    ],
)
def test_sanitizer_keeps_engine_markup_byte_for_byte(markup):
    assert P.sanitize_citation_html(markup) == markup


def test_sanitizer_closes_and_escapes():
    assert P.sanitize_citation_html("<i>a <b>b</i> c") == "<i>a <b>b</b></i> c"
    assert P.sanitize_citation_html("a < b > c & d") == "a &lt; b &gt; c &#38; d"
    assert P.sanitize_citation_html("<!-- x --><style>p{}</style>ok") == "ok"


# --------------------------------------------------------------------------- Jinja


def test_jinja_filter_and_global(stub):
    jinja2 = pytest.importorskip("jinja2", reason="the jinja extra is not installed")
    from markupsafe import Markup

    from citekit.jinja import install

    env = install(jinja2.Environment(autoescape=True), nonce="n0nce")
    tpl = env.from_string(
        "<p>{{ b | cite('apa') }}</p><p>{{ b | cite('mla', format='text') }}</p><p>{{ b.title }}</p>"
        "{{ cite_panel(b) }}{{ cite_panel(b, styles=['apa']) }}"
    )
    out = tpl.render(b={"title": HOSTILE_TITLE})
    tree = parse(out)
    assert not tree.xpath("//img")
    assert len(tree.xpath("//script")) == 1 and len(tree.xpath("//style")) == 1  # assets once per render
    assert tree.xpath("//script")[0].get("nonce") == "n0nce"
    assert len(tree.xpath("//div[@data-citekit]")) == 2
    ps = tree.xpath("/div/p")
    assert ps[0].xpath("./i")[0].text == "Publisher"  # rich markup kept
    assert HOSTILE_TITLE in ps[0].text_content() and HOSTILE_TITLE in ps[1].text_content()
    assert not ps[1].xpath("./*")
    assert isinstance(env.filters["cite"]({"title": "T"}, "apa"), Markup)
    # A second render gets its own assets again.
    assert len(parse(tpl.render(b={"title": "T"})).xpath("//script")) == 1


def test_jinja_assets_in_head(stub):
    jinja2 = pytest.importorskip("jinja2", reason="the jinja extra is not installed")
    from citekit.jinja import install

    env = install(jinja2.Environment(autoescape=True), styles=("chicago",))
    out = env.from_string("{{ cite_panel_assets() }}{{ cite_panel(b) }}").render(b={"title": "T"})
    tree = parse(out)
    assert len(tree.xpath("//script")) == 1
    assert [t.text_content() for t in tree.xpath('//*[@role="tab"]')] == ["Chicago"]


# --------------------------------------------------------------------------- the real engine

SEED = dict(
    title="Dim Prospects for Six-Party Deal",
    authors=["Carin Zissis"],
    date="2006-12-19",
    publisher="Council on Foreign Relations",
    url="http://www.cfr.org/north-korea/dim-prospects-six-party-deal/p12242",
    kind="Analysis Brief",
)
from seed import EXPECTED_HTML, EXPECTED_TEXT  # noqa: E402


def test_seed_brief_panel_with_the_engine():
    brief = citekit.Brief(**SEED)
    tree = parse(P.panel(brief))
    for cit, style in zip(tree.xpath('//*[@class="citekit-citation"]'), ("mla", "apa", "chicago")):
        assert cit.get("data-citekit-text") == EXPECTED_TEXT[style] == citekit.cite(brief, style=style)
        assert cit.text_content() == EXPECTED_TEXT[style]
        inner = (cit.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in cit)
        assert inner == EXPECTED_HTML[style]


def test_hostile_brief_with_the_engine():
    brief = citekit.Brief(**{**SEED, "title": '<img src=x onerror=alert(1)> "q"'})
    tree = parse(P.panel(brief))
    assert not tree.xpath("//img")
    for cit in tree.xpath('//*[@class="citekit-citation"]'):
        assert "onerror=alert(1)" in cit.text_content().lower()
