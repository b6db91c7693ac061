"""Citations in Markdown documents: the syntax, render_markdown, `citekit render` and the
Python-Markdown extension. (The comparison with pandoc is in test_documents_pandoc.py, the
MkDocs and Sphinx builds in test_documents_sites.py.)"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import citekit
from citekit.cli import main
from citekit.documents import render_markdown
from citekit.documents.processor import label_words
from citekit.documents.syntax import scan

DOCS = Path(__file__).parent / "data" / "documents"
REFS = DOCS / "refs.yaml"
ROOT = Path(__file__).parent.parent


def words():
    return label_words(citekit.resolve_style("chicago-author-date"), None)


def cites_of(text: str):
    return [[(c.key, c.prefix, c.locator, c.label, c.suffix, c.suppress_author) for c in cit.cites] + [cit.in_text]
            for cit in scan(text, words()).citations]


# --------------------------------------------------------------------------- syntax

def test_bracketed_citations_with_prefix_locator_and_suffix():
    assert cites_of("x [see @doe99, pp. 33-35 and passim; also @smith04, chap. 1] y") == [[
        ("doe99", "see", "33-35", "page", " and passim", False),
        ("smith04", "also", "1", "chapter", "", False), False]]


def test_locator_forms():
    assert cites_of("[@a, 12]")[0][0][2:4] == ("12", "page")
    assert cites_of("[@a, vol. 2]")[0][0][2:4] == ("2", "volume")
    assert cites_of("[@a, sec. 4]")[0][0][2:4] == ("4", "section")
    assert cites_of("[@a, fig. 2]")[0][0][2:4] == ("2", "figure")
    assert cites_of("[@a, {ii, A, D-Z}]")[0][0][2:4] == ("ii, A, D-Z", "page")
    assert cites_of("[@a, 33, 35-37]")[0][0][2:4] == ("33, 35-37", "page")
    assert cites_of("[@a, and elsewhere]")[0][0][2:5] == (None, None, ", and elsewhere")


def test_suppress_author_and_author_in_text():
    assert cites_of("[-@doe99, p. 4]") == [[("doe99", "", "4", "page", "", True), False]]
    assert cites_of("@doe99 says") == [[("doe99", "", None, None, "", False), True]]
    assert cites_of("@doe99 [p. 3] says") == [[("doe99", "", "3", "page", "", False), True]]
    two = cites_of("As @doe99 [p. 3; see also @smith04] shows")
    assert two == [[("doe99", "", "3", "page", "", False), ("smith04", "see also", None, None, "", False), True]]


def test_keys_with_punctuation_and_braces():
    assert cites_of("[@item:with.punct-1]")[0][0][0] == "item:with.punct-1"
    assert cites_of("A key at the end @doe99.")[0][0][0] == "doe99"
    assert cites_of("[@{key with spaces}, p. 3]")[0][0][:3] == ("key with spaces", "", "3")
    assert cites_of("@{https://example.org/a?b=1&c=2} says")[0][0][0] == "https://example.org/a?b=1&c=2"


def test_what_is_not_a_citation():
    text = ("mail a@b.org, `[@code]`, \\@escaped, \\[@esc\\], [@link](https://x.org), "
            "<https://x.org/@user>, <!-- [@comment] -->, [link](https://x.org/@user)\n\n"
            "```\n[@fenced]\n```\n\n    [@indented]\n\nend [@real]\n")
    # as in pandoc, `\\[@esc\\]` and a link's text `[@link](...)` hold author-in-text citations
    assert [(c[0][0], c[-1]) for c in cites_of(text)] == [("esc", True), ("link", True), ("real", False)]


def test_footnotes_are_found_with_their_citations():
    found = scan("Text[^a] and [@x].\n\n[^a]: A note [@y]\n    continued @z.\n", words())
    assert [r.label for r in found.refs] == ["a"]
    assert [(d.label) for d in found.defs] == ["a"]
    assert [(c.cites[0].key, c.note) for c in found.citations] == [("x", None), ("y", "a"), ("z", "a")]


# --------------------------------------------------------------------------- render_markdown

def test_author_date_document():
    doc = render_markdown("A [@doe99]. @smith04 [p. 40] agrees. [-@doe99, 5]\n", REFS)
    assert doc.text.startswith("A (Doe 1999). Smith and Roe (2004, 40) agrees. (1999, 5)\n")
    assert "::::: {#refs .references .csl-bib-body .hanging-indent}" in doc.text
    assert "::: {#ref-doe99 .csl-entry}\nDoe, John. 1999. *First Book*. Cambridge University Press.\n:::" in doc.text
    assert [e.id for e in doc.bibliography] == ["doe99", "smith04"]
    assert doc.citations == ["(Doe 1999)", "Smith and Roe (2004, 40)", "(1999, 5)"]
    assert doc.warnings == []


def test_note_style_makes_footnotes_after_punctuation_with_positions():
    text = ("One [@doe99, 33]. Two [@doe99, 34], then @smith04 [p. 5] says.[^own]\n\n"
            "[^own]: My note cites [@doe99].\n")
    doc = render_markdown(text, REFS, style="chicago-notes-bibliography-subsequent-ibid")
    body, notes = doc.text.split("::::: {#refs")
    assert body.startswith("One.[^1] Two,[^2] then Jane Smith and Richard Roe[^3] says.[^4]\n")
    assert "[^1]: John Doe, *First Book* (Cambridge University Press, 1999), 33.\n" in notes
    assert "[^2]: Ibid., 34.\n" in notes
    assert "[^4]: My note cites (Doe, *First Book*).\n" in notes  # inside a note: not nested, in parentheses
    assert [p.note for p in doc.placed] == [1, 2, 3, None]


def test_notes_after_punctuation_can_be_turned_off():
    text = "---\nnotes-after-punctuation: false\n---\nA claim [@doe99].\n"
    doc = render_markdown(text, REFS, style="chicago-notes-bibliography")
    assert doc.text.startswith("A claim[^1].\n")


def test_bibliography_goes_in_the_refs_div_or_at_the_end_with_a_title():
    text = "---\nreference-section-title: Works cited\n---\n[@doe99]\n\n::: {#refs}\nold\n:::\n\nAfter.\n"
    doc = render_markdown(text, REFS)
    assert "[@doe99]" not in doc.text and "\n\n::::: {#refs" in doc.text
    assert "Works cited" not in doc.text  # as in pandoc: the title goes only with a bibliography at the end
    assert doc.text.rstrip().endswith("After.")
    assert "old" not in doc.text
    doc = render_markdown("---\nreference-section-title: Works cited\n---\n[@doe99]\n", REFS)
    assert "\n\n# Works cited {#bibliography .unnumbered}\n\n::::: {#refs" in doc.text


def test_missing_keys_are_shown_and_warned():
    doc = render_markdown("A [@doe99; @nobody]. B @ghost says. C [@ghost, p. 3].\n", REFS)
    assert doc.text.startswith("A (Doe 1999; **nobody?**). B (**ghost?**) says. C (**ghost?**).")
    assert doc.warnings == ["citation 'nobody' not found in the references",
                            "citation 'ghost' not found in the references"]


def test_front_matter_metadata():
    text = ("---\ntitle: Kept\nbibliography: refs.yaml\ncsl: ieee\nnocite: '@garcia15'\n"
            "suppress-bibliography: false\nlink-citations: true\n---\nCited [@smith04].\n")
    doc = render_markdown(text, base_dir=DOCS)
    assert doc.text.startswith("---\ntitle: Kept\n---\n")  # what is about citations is used up
    assert "Cited [\\[1\\]](#ref-smith04)." in doc.text  # link-citations
    assert [e.id for e in doc.bibliography] == ["smith04", "garcia15"]
    doc = render_markdown("---\nnocite: '@*'\nsuppress-bibliography: true\n---\n[@doe99]\n", REFS)
    assert doc.bibliography == [] and "{#refs" not in doc.text


def test_arguments_win_over_front_matter_and_links():
    text = "---\ncsl: ieee\nlang: de-DE\n---\nA [@doe99, p. 3] and @smith04.\n"
    doc = render_markdown(text, REFS, style="apa", locale="en-US", link_citations=True)
    assert doc.text.startswith("A ([Doe, 1999, p. 3](#ref-doe99)) and [Smith & Roe](#ref-smith04) "
                               "([2004](#ref-smith04)).")
    doc = render_markdown("A [@doe99, S. 3].\n", REFS, locale="de-DE")
    assert doc.text.startswith("A (Doe 1999, 3).")  # "S." is the German page label


def test_inline_references_and_models():
    text = ("---\nreferences:\n- id: x1\n  type: book\n  title: Inline\n  author: [{family: Ink}]\n"
            "  issued: {date-parts: [[2012]]}\n---\n[@x1] [@doe99]\n")
    refs = citekit.read(REFS)  # models work as references too
    doc = render_markdown(text, refs)
    assert doc.text.startswith("(Ink 2012) (Doe 1999)")


def test_bad_input_is_reported():
    with pytest.raises(ValueError, match="front matter is not valid"):
        render_markdown("---\na: [unclosed\n---\ntext\n", REFS)
    with pytest.raises(ValueError, match="unknown target"):
        render_markdown("text", REFS, to="docx")
    with pytest.raises(citekit.StyleNotFound):
        render_markdown("[@doe99]", REFS, style="no-such-style-anywhere")


def test_plain_and_html_targets():
    doc = render_markdown("A [@doe99] \\@x.\n", REFS, to="plain", style="chicago-notes-bibliography")
    assert doc.text.startswith("A[1] @x.\n")  # no punctuation right after the citation: nothing moves
    assert "\n[1] John Doe, First Book (Cambridge University Press, 1999).\n" in doc.text
    html = render_markdown("A [@doe99].\n", REFS, to="html").text
    assert "<p>A (Doe 1999).</p>" in html
    assert '<div id="ref-doe99" class="csl-entry" role="listitem">Doe, John. 1999. <i>First Book</i>.' in html


def test_the_top_level_name():
    assert citekit.render_markdown is render_markdown


# --------------------------------------------------------------------------- the command

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_command_renders_a_document(capsys, tmp_path):
    src = tmp_path / "paper.md"
    src.write_text("Cited [@doe99] and [@nobody].\n", encoding="utf-8")
    code, out, err = run(capsys, "render", str(src), "--bibliography", str(REFS), "--csl", "apa")
    assert code == 0
    assert out.startswith("Cited (Doe, 1999) and (**nobody?**).\n")
    assert "citekit: warning: citation 'nobody' not found in the references" in err
    target = tmp_path / "out.html"
    code, out, _ = run(capsys, "render", str(src), "--bibliography", str(REFS), "--style", "ieee",
                       "-t", "html", "-o", str(target))
    assert code == 0 and out == ""
    assert "<p>Cited [1] and <strong>nobody?</strong>.</p>" in target.read_text(encoding="utf-8")


def test_command_reads_stdin_and_front_matter(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("---\nbibliography: refs.yaml\n---\n@doe99 [p. 3].\n"))
    monkeypatch.chdir(DOCS)
    code, out, _ = run(capsys, "render", "-", "-t", "plain")
    assert code == 0 and out.startswith("Doe (1999, 3).\n\nDoe, John. 1999. First Book.")


def test_command_errors(capsys, tmp_path):
    code, _, err = run(capsys, "render", str(tmp_path / "nope.md"), "--bibliography", str(REFS))
    assert code == 1 and "no such file" in err
    src = tmp_path / "a.md"
    src.write_text("[@doe99]\n", encoding="utf-8")
    code, _, err = run(capsys, "render", str(src), "--bibliography", str(tmp_path / "missing.bib"))
    assert code == 1 and "missing.bib" in err
    code, _, err = run(capsys, "render", str(src), "--bibliography", str(REFS), "--csl", "nonexistent-style-x")
    assert code == 1 and "nonexistent-style-x" in err


def test_command_help_names_pandocs_flags(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    out = capsys.readouterr().out
    for flag in ("--bibliography", "--csl", "--style", "--locale", "-t", "-o", "::: {#refs}"):
        assert flag in out


def test_the_documents_page_renders(capsys):
    page = ROOT / "docs" / "documents.md"
    code, out, err = run(capsys, "render", str(page))
    assert code == 0, err
    assert "[@" not in out.split("```")[0]  # the citations in the prose are resolved
    assert "::::: {#refs" in out and err == ""


# --------------------------------------------------------------------------- Python-Markdown

def test_markdown_extension():
    import markdown
    md = markdown.Markdown(extensions=["citekit.markdown_ext"], extension_configs={
        "citekit.markdown_ext": {"bibliography": str(REFS), "csl": "chicago-notes-bibliography"}})
    html = md.convert("A claim [@doe99]. Missing [@nobody].\n\n::: {#refs}\n:::\n")
    assert '<p>A claim.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<div id="refs" class="references csl-bib-body hanging-indent" role="list">' in html
    assert "John Doe, <em>First Book</em> (Cambridge University Press, 1999)." in html
    assert "<strong>Nobody?</strong>" in html
    assert md.citekit_warnings == ["citation 'nobody' not found in the references"]


# --------------------------------------------------------------------------- engine API

def test_set_clusters_gives_what_render_gives():
    import yaml

    items = yaml.safe_load(REFS.read_text(encoding="utf-8"))
    clusters = [[{"id": "doe99", "locator": "3"}], [{"id": "doe99"}], [{"id": "smith04"}, {"id": "doe99"}]]
    for style in ("chicago-notes-bibliography-subsequent-ibid", "ieee"):
        doc = citekit.Document(style, items)
        changed = doc.set_clusters(clusters)
        assert [c.index for c in changed] == [0, 1, 2]
        assert doc.citations == citekit.render(style, items, clusters).citations
    with pytest.raises(ValueError, match="given twice"):
        doc.set_clusters([{"citationID": "a", "citationItems": [{"id": "doe99"}]},
                          {"citationID": "a", "citationItems": [{"id": "doe99"}]}])


def test_the_readme_example(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Citations in Markdown documents", 1)[1]
    blocks = section.split("```markdown\n")
    source, shown = blocks[1].split("\n```")[0], blocks[2].split("\n```")[0]
    assert (ROOT / "examples" / "paper.md").read_text(encoding="utf-8").rstrip("\n") == source
    code, out, err = run(capsys, "render", str(ROOT / "examples" / "paper.md"), "--csl", "apa")
    assert (code, err) == (0, "")
    assert out.rstrip("\n") == shown


def test_untrusted_documents_name_no_files(tmp_path):
    secret = tmp_path / "private.yaml"
    secret.write_text("- id: s\n  type: book\n  title: Private\n", encoding="utf-8")
    text = f"---\nbibliography: {secret}\ncsl: {tmp_path / 'x.csl'}\n---\n[@s]\n"
    doc = render_markdown(text, read_files=False)
    assert "Private" not in doc.text and "**s?**" in doc.text
    assert any("not read" in w for w in doc.warnings)
    assert "Private" in render_markdown(text.replace(f"csl: {tmp_path / 'x.csl'}\n", "")).text


def test_hostile_markdown_is_read_linearly():
    # many unclosed brackets and backticks: no citation, and no quadratic search either
    doc = render_markdown("[" * 50000 + " " + "`" * 3 + " @ " * 1000 + "\n\n[@doe99]\n", REFS)
    assert doc.citations == ["(Doe 1999)"]


def test_link_bibliography():
    text = "[@zhang20]\n"
    assert "210–15. <https://doi.org/10.1000/xyz123>.\n:::" in render_markdown(text, REFS).text
    html = render_markdown(text, REFS, to="html").text
    assert '<a href="https://doi.org/10.1000/xyz123">https://doi.org/10.1000/xyz123</a>.' in html
    off = render_markdown("---\nlink-bibliography: false\n---\n" + text, REFS).text
    assert "210–15. https://doi.org/10.1000/xyz123.\n:::" in off


def test_link_citations_part_by_part():
    text = "[see @doe99, p. 3; also @smith04] and @doe99 [p. 4]\n"
    doc = render_markdown(text, REFS, link_citations=True)  # chicago-author-date keeps the order
    assert doc.text.startswith("(see [Doe 1999, 3](#ref-doe99); also [Smith and Roe 2004](#ref-smith04)) "
                               "and [Doe](#ref-doe99) ([1999, 4](#ref-doe99))")
    sorted_style = render_markdown(text, REFS, style="apa", link_citations=True)
    assert sorted_style.text.startswith("(see Doe, 1999, p. 3; also Smith & Roe, 2004) and [Doe](#ref-doe99)")


def test_windows_line_ends_are_kept():
    text = "---\r\ntitle: x\r\n---\r\nA [@doe99].\r\n\r\nB[^1].\r\n\r\n[^1]: A note [@smith04].\r\n"
    out = render_markdown(text, REFS, style="chicago-notes-bibliography").text
    assert out.startswith("---\r\ntitle: x\r\n---\r\nA.[^1]\r\n\r\nB[^2].\r\n")
    assert "\n" not in out.replace("\r\n", "")
