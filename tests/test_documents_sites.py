"""Real builds of small sample sites: `mkdocs build` with the citekit plugin and
`sphinx-build -b html` with citekit.sphinx (reStructuredText and MyST pages). The HTML
they write is parsed and its citations, footnotes and bibliographies checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

DATA = Path(__file__).parent / "data"


def _build(args: list[str], cwd: Path) -> None:
    out = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stderr


def _page(path: Path):
    return lxml_html.fromstring(path.read_text(encoding="utf-8"))


def _text(el) -> str:
    return " ".join(el.text_content().split())


def _paragraph(tree, start: str) -> str:
    for p in tree.iter("p"):
        text = _text(p)
        if text.startswith(start):
            return text
    raise AssertionError(f"no paragraph starting {start!r}")


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mkdocs")
    log = _build(["mkdocs", "build", "-d", str(out / "site")], DATA / "mkdocs_site")
    assert "citation 'nobody' not found" in log  # a missing key is a warning, not silence
    _build(["mkdocs", "build", "-q", "-f", "mkdocs-sitewide.yml", "-d", str(out / "sitewide")],
           DATA / "mkdocs_site")
    return out


def test_mkdocs_page_citations_and_bibliography(mkdocs_site: Path):
    tree = _page(mkdocs_site / "site" / "index.html")
    assert _paragraph(tree, "A claim") == (
        "A claim (Doe 1999). Two (see Doe 1999, 33–35; also Smith and Roe 2004, chap. 1). "
        "García et al. (2015, 4) reports. Missing (nobody?). Code [@doe99] stays.")
    assert tree.xpath("//p//a[@href='#ref-doe99']")  # link_citations
    assert tree.xpath("//p//strong")[0].text == "nobody?"
    refs = tree.xpath("//div[@id='refs']")
    assert len(refs) == 1
    # the bibliography stands where the page's ::: {#refs} div was: after "References"
    assert refs[0].getprevious().tag == "h2" and _text(refs[0].getprevious()) == "References"
    entries = refs[0].xpath("./div[@class='csl-entry']")
    assert [e.get("id") for e in entries] == ["ref-doe99", "ref-garcia15", "ref-smith04"]
    assert _text(entries[0]) == "Doe, John. 1999. First Book. Cambridge University Press."
    assert entries[0].xpath(".//i")[0].text == "First Book"


def test_mkdocs_page_with_its_own_note_style(mkdocs_site: Path):
    tree = _page(mkdocs_site / "site" / "notes" / "index.html")
    assert _paragraph(tree, "A note style page") == "A note style page.1 Again.2"
    notes = [_text(li) for li in tree.xpath("//div[@class='footnote']//li")]
    assert notes[0].startswith("John Doe, First Book (Cambridge University Press, 1999), 33.")
    assert notes[1].startswith("Doe, First Book, 34.")
    assert [_text(e) for e in tree.xpath("//div[@id='refs']/div")] == [
        "Doe, John. First Book. Cambridge University Press, 1999."]


def test_mkdocs_site_wide_bibliography(mkdocs_site: Path):
    index = _page(mkdocs_site / "sitewide" / "index.html")
    assert not index.xpath("//div[@id='refs']")
    assert index.xpath("//p//a[@href='references/#ref-doe99']")
    refs = _page(mkdocs_site / "sitewide" / "references" / "index.html")
    ids = [e.get("id") for e in refs.xpath("//div[@id='refs']/div")]
    assert ids == ["ref-doe99", "ref-garcia15", "ref-smith04"]


@pytest.fixture(scope="module")
def sphinx_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sphinx")
    log = _build(["sphinx", "-q", "-b", "html", str(DATA / "sphinx_site"), str(out / "author-date")], DATA)
    assert "citation 'nobody' not found" in log
    _build(["sphinx", "-q", "-b", "html", "-D", "citekit_csl=chicago-notes-bibliography",
            str(DATA / "sphinx_site"), str(out / "notes")], DATA)
    return out


def test_sphinx_rst_roles_and_bibliography(sphinx_site: Path):
    tree = _page(sphinx_site / "author-date" / "index.html")
    assert _paragraph(tree, "A claim") == (
        "A claim (Doe 1999). With a locator and prefix (see Doe 1999, 33–35; also Smith and Roe 2004, "
        "chap. 1). Narrative: Smith and Roe (2004, 40) agree. Plain role (García et al. 2015). "
        "Missing (nobody?).")
    entries = tree.xpath("//div[contains(@class, 'csl-bib-body')]/p[contains(@class, 'csl-entry')]")
    assert [e.get("id") for e in entries] == ["ref-doe99", "ref-garcia15", "ref-smith04"]
    assert entries[0].xpath(".//em")[0].text == "First Book"
    assert tree.xpath("//p//a[@href='#ref-doe99']")  # citations link to the page's entries


def test_sphinx_myst_page_and_all_references(sphinx_site: Path):
    tree = _page(sphinx_site / "author-date" / "myst.html")
    assert _paragraph(tree, "A claim") == "A claim (Doe 1999, 7) and García et al. (2015) in Markdown."
    entries = tree.xpath("//div[contains(@class, 'csl-bib-body')]/p")
    assert len(entries) == 10  # :all: lists every reference of the file


def test_sphinx_note_style_footnotes(sphinx_site: Path):
    tree = _page(sphinx_site / "notes" / "index.html")
    assert _paragraph(tree, "A claim").startswith("A claim [1]. With a locator and prefix [2].")
    notes = [_text(n) for n in tree.xpath("//aside[contains(concat(' ', @class, ' '), ' footnote ')]")]
    assert notes[0] == "[1] John Doe, First Book (Cambridge University Press, 1999)."
    assert notes[1].startswith("[2] See Doe, First Book, 33–35; also Jane Smith and Richard Roe,")
    own = _text(_page(sphinx_site / "notes" / "notes.html").xpath("//aside[contains(concat(' ', @class, ' '), ' footnote ')]")[0])
    # a citation in the author's own footnote runs in its text, in parentheses
    assert own == "[1] The note cites (John Doe, First Book (Cambridge University Press, 1999), 5)."


def test_sphinx_project_wide_bibliography(sphinx_site: Path):
    tree = _page(sphinx_site / "author-date" / "references.html")
    ids = [e.get("id") for e in tree.xpath("//div[contains(@class, 'csl-bib-body')]/p")]
    # cited on index.rst, myst.md and notes.rst (myst.md's :all: lists but does not cite)
    assert ids == ["ref-doe99", "ref-garcia15", "ref-smith04"]
