"""One door for data (issue 11): every entry point reads, checks and reports references the
same way (citekit.normalize), and nothing is lost without a word."""

from __future__ import annotations

import io
import json
import sys
import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

import citekit
from citekit import Brief, ItemError, Reference
from citekit.cli import main
from citekit.errors import LocaleNotFound
from citekit.normalize import DateProblem, check_item, check_items, read_date
from citekit.readers import ReaderError, ReadWarning, load, read

POE = {"id": "poe1845", "type": "book", "title": "Tales", "author": ["Poe, Edgar Allan"], "issued": 1845}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the same input, the same result


def test_a_name_as_text_is_split_by_every_door(capsys, tmp_path):
    expected = "Poe, E. A. (1845). Tales."
    assert citekit.cite(POE, style="apa") == expected
    result = citekit.render("apa", [POE], [[{"id": "poe1845"}]])
    assert result.citations == ["(Poe, 1845)"] and result.bibliography[0].text.strip() == expected
    assert citekit.bibliography([POE], style="apa").strip() == expected
    doc = citekit.Document("apa", [POE])
    assert doc.result().bibliography[0].text.strip() == expected
    path = write(tmp_path, "poe.json", json.dumps([POE]))
    assert read(path)[0].author[0].family == "Poe"
    assert run(capsys, "bib", str(path), "--style", "apa") == (0, expected + "\n", "")


@pytest.mark.parametrize("text, parts", [
    ("2006-12-19", [[2006, 12, 19]]),
    ("Dec 19 2006", [[2006, 12, 19]]),
    ("19 December 2006", [[2006, 12, 19]]),
    ("December 19, 2006", [[2006, 12, 19]]),
    ("Tue, 19 Dec 2006 10:00:00 GMT", [[2006, 12, 19]]),
    ("2006/12/19", [[2006, 12, 19]]),
    ("2004/2006", [[2004], [2006]]),
    ("2006-12-19T10:00:00Z", [[2006, 12, 19]]),
])
def test_one_date_rule_reads_the_same_forms_everywhere(text, parts, capsys, tmp_path):
    assert read_date(text)["date-parts"] == parts
    item = {"id": "d", "type": "book", "title": "T", "issued": text}
    assert Reference.from_csl(item).issued.date_parts == parts
    assert check_item(item, strict=False)[0]["issued"]["date-parts"] == parts
    assert load(json.dumps([item])).items[0]["issued"]["date-parts"] == parts
    assert citekit.render("apa", [item]).warnings == []
    path = write(tmp_path, "d.yaml", f"- id: d\n  type: book\n  title: T\n  issued: '{text}'\n")
    assert run(capsys, "cite", str(path))[0] == 0


@pytest.mark.parametrize("text, why", [
    ("1845-13-45", "no month 13"),
    ("2006-02-30", "no day 30"),
    ("2006/2004", "ends before it starts"),
    ("19/12/2006", "which number is the day"),
])
def test_impossible_and_ambiguous_dates_are_refused_everywhere(text, why, capsys, tmp_path):
    item = {"id": "x", "type": "book", "title": "T", "issued": text}
    with pytest.raises(DateProblem, match=why):
        read_date(text)
    with pytest.raises(ItemError, match=why) as info:
        citekit.cite(item)
    assert (info.value.item_id, info.value.field) == ("x", "issued")
    with pytest.raises(ValidationError, match=why):
        Reference(type="book", issued=text)
    # lenient readers and the command: the record is left out and reported with its field
    result = load(json.dumps([item, {**item, "id": "ok", "issued": "2006"}]))
    assert [r.id for r in result.references] == ["ok"]
    assert [(p.key, p.field, p.skipped) for p in result.problems] == [("x", "issued", True)]
    path = write(tmp_path, "x.json", json.dumps([item, {**item, "id": "ok", "issued": "2006"}]))
    code, out, err = run(capsys, "cite", str(path))
    assert code == 1 and out == "T. (2006).\n" and f"{path}:1: x: issued: " in err and why in err
    # render() keeps it as written (the engine prints what it can) and says so
    rendered = citekit.render("apa", [item])
    assert len(rendered.bibliography) == 1 and any("x: issued" in w and why in w for w in rendered.warnings)


def test_free_text_dates_are_kept_as_written_with_a_problem_or_refused_when_strict(capsys, tmp_path):
    item = {"id": "t", "type": "book", "title": "T", "issued": "next tuesday"}
    with pytest.raises(ItemError, match="'next tuesday' is not a date citekit reads"):
        Reference.from_csl(item)
    result = load(json.dumps([item]))
    assert result.items[0]["issued"] == {"literal": "next tuesday"}
    assert "kept as written" in str(result.problems[0]) and result.problems[0].field == "issued"
    assert citekit.render("apa", [item]).warnings[0].startswith("t: issued: 'next tuesday'")
    # words that name no date are literal dates without a problem
    assert Reference(type="book", issued="in press").issued.literal == "in press"
    path = write(tmp_path, "t.json", json.dumps([item]))
    code, out, err = run(capsys, "cite", str(path))
    assert code == 1 and "next tuesday" in out and "kept as written" in err
    assert run(capsys, "cite", str(path), "--strict")[:2] == (1, "")


def test_json_and_yaml_shapes_bom_and_latin1_the_same_in_read_and_the_command(capsys, tmp_path):
    item = {"id": "z", "type": "book", "title": "Caf\u00e9 M\u00fcller", "issued": 2001}
    files = {
        "items.json": json.dumps({"items": [item]}).encode("utf-8"),
        "bom.json": b"\xef\xbb\xbf" + json.dumps([item]).encode("utf-8"),
        "latin.json": json.dumps([item], ensure_ascii=False).encode("cp1252"),
        "utf16.json": json.dumps([item], ensure_ascii=False).encode("utf-16"),
    }
    for name, data in files.items():
        path = write(tmp_path, name, data)
        refs = read(path) if name != "latin.json" else None
        if refs is not None:
            assert [r.title for r in refs] == ["Caf\u00e9 M\u00fcller"], name
        code, out, err = run(capsys, "cite", str(path))
        assert out == "Caf\u00e9 M\u00fcller. (2001).\n", name
        assert code == (1 if name == "latin.json" else 0), (name, err)
    # Markdown in CSL-YAML is read the same by read() and the command
    yaml_path = write(tmp_path, "md.yaml", "- id: d\n  type: article-journal\n  title: On *Drosophila* and ^13^C\n")
    assert read(yaml_path)[0].title == "On <i>Drosophila</i> and <sup>13</sup>C"
    code, out, _ = run(capsys, "bib", str(yaml_path), "-f", "html")
    assert code == 0 and 'font-style:normal;">Drosophila' in out and "<sup>13</sup>C" in out and "*" not in out


@pytest.mark.parametrize("fmt, text", [
    ("bibtex", "@book{abel2001, author = {Abel, Ann}, title = {A Book}, year = {2001}}\n"),
    ("ris", "TY  - BOOK\nID  - abel2001\nAU  - Abel, Ann\nTI  - A Book\nPY  - 2001\nER  - \n"),
    ("yaml", "- id: abel2001\n  type: book\n  author: Abel, Ann\n  title: A Book\n  issued: 2001\n"),
    ("json", '[{"id": "abel2001", "type": "book", "author": "Abel, Ann", "title": "A Book", "issued": 2001}]'),
    ("html", '<html><head><title>A Book</title><meta name="citation_title" content="A Book">'
             '<meta name="citation_author" content="Abel, Ann"><meta name="citation_date" content="2001">'
             "</head></html>"),
])
def test_stdin_takes_every_format(fmt, text, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    code, out, err = run(capsys, "bib", "-", "--style", "apa")
    assert (code, err) == (0, "") and out.startswith("Abel, A. (2001). A Book"), (fmt, out, err)


def test_one_bad_record_among_many_in_every_format(capsys, tmp_path):
    good = [{"id": f"g{i}", "type": "book", "title": f"Good {i}", "issued": 2000 + i} for i in range(5)]
    bad = [{"id": "bad1", "type": "bookk", "title": "B"}, {"id": "bad2", "type": "book", "issued": "2001-13"}]
    path = write(tmp_path, "many.json", "[\n" + ",\n".join(json.dumps(i) for i in good[:2] + bad[:1] + good[2:]
                                                          + bad[1:]) + "\n]\n")
    code, out, err = run(capsys, "bib", str(path))
    assert code == 1 and out.count("Good") == 5
    assert f"{path}:4: bad1: type: unknown CSL item type 'bookk'; did you mean book" in err
    assert f"{path}:8: bad2: issued: '2001-13' is no date (no month 13)" in err
    code, out, err = run(capsys, "bib", str(path), "--strict")
    assert (code, out) == (1, "") and "bad1" in err and "bad2" in err and "2 problems; --strict" in err


def test_a_misspelt_field_gets_the_closest_name_at_every_door(capsys, tmp_path):
    data = {"title": "Dim Prospects", "pubisher": "CFR"}
    with pytest.raises(ItemError, match="pubisher: not a field of a Brief; did you mean publisher"):
        Brief.from_data(data)
    with pytest.raises(ValidationError, match="pubisher: not a field of a Brief; did you mean publisher"):
        Brief(title="Dim Prospects", pubisher="CFR")
    with pytest.raises(ValidationError, match="pubisher: not a field of a Reference; did you mean publisher"):
        Reference(type="book", pubisher="CFR")
    with pytest.raises(ItemError, match="did you mean publisher"):
        citekit.cite(data)
    # lenient doors keep it and report it
    assert check_item({"type": "book", "pubisher": "CFR"}, strict=False)[0]["pubisher"] == "CFR"
    assert "did you mean publisher" in citekit.render("apa", [{"type": "book", "pubisher": "CFR"}]).warnings[0]
    path = write(tmp_path, "brief.json", json.dumps(data))
    code, out, err = run(capsys, "cite", str(path))
    assert code == 1 and out.startswith("Dim Prospects")
    assert "item 1: pubisher: not a field of a Brief; did you mean publisher?" in err
    assert "type: required" not in err


# --------------------------------------------------------------------------- silent loss


def test_ids_are_compared_as_the_engine_keys_them(capsys, tmp_path):
    items = [{"id": 1, "type": "book", "title": "One"}, {"id": "1", "type": "book", "title": "Uno"}]
    with pytest.raises(ItemError, match="duplicate id"):
        citekit.bibliography(items)
    assert any("given twice" in w for w in citekit.render("apa", items).warnings)
    path = write(tmp_path, "ids.json", json.dumps(items))
    code, out, err = run(capsys, "bib", str(path))
    assert code == 1 and "One" in out and "Uno" in out and "id used twice" in err


def test_nan_and_infinity_are_refused(capsys, tmp_path):
    item = {"id": "n", "type": "book", "title": "T", "volume": float("nan")}
    with pytest.raises(ItemError, match="volume"):
        citekit.cite(item)
    result = citekit.render("apa", [{**item, "accessed": {"date-parts": [[float("inf")]]}}])
    assert "nan" not in result.bibliography[0].text.lower() and "inf" not in result.bibliography[0].text.lower()
    assert any("n: volume" in w for w in result.warnings)
    path = write(tmp_path, "nan.json", '[{"id": "n", "type": "book", "title": "T", "volume": NaN}]')
    code, out, err = run(capsys, "cite", str(path))
    assert code == 1 and "nan" not in out and "volume" in err


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:alert(1)",
                                 "data:text/html,<script>1</script>", "vbscript:x", "file:///etc/passwd"])
def test_unsafe_urls_are_refused_by_every_reader(url):
    js = load(json.dumps([{"id": "k", "type": "document", "title": "T", "URL": url}]))
    results = [js]
    if url == url.strip():  # the text formats cannot carry a leading space or tab in a URL
        results.append(load("@misc{k, title = {T}, year = 2000, url = {%s}}" % url, format="bibtex"))
        results.append(load(f"TY  - GEN\nID  - k\nTI  - T\nUR  - {url}\nER  - \n", format="ris"))
    for result in results:
        assert "URL" not in result.items[0] and result.problems[0].field == "URL"
        assert "never used" in result.problems[0].message
    with pytest.raises(ItemError, match="never used"):
        Reference.from_csl({"type": "webpage", "URL": url})


def test_load_never_opens_text_as_a_path(tmp_path):
    secret = write(tmp_path, "config.json", '[{"id": "secret", "type": "book", "title": "Secret"}]')
    with pytest.raises(ReaderError, match="looks like a file name"):
        load(str(secret))
    assert [r.id for r in load(secret).references] == ["secret"]  # a Path is a file
    assert [r.id for r in load(path=str(secret)).references] == ["secret"]  # so is path=
    with pytest.raises(ReaderError, match="cannot tell which format"):
        load("/dev/zero")
    with pytest.raises(ReaderError, match="not a regular file"):
        load(path="/dev/null")


def test_and_others_prints_et_al_in_every_style():
    ref = read("@article{c, author = {Roe, Rick and others}, title = {T}, year = 2002, journal = {J}}")[0]
    assert "et al." in citekit.cite(ref, "apa") and "et al." in citekit.cite(ref, "mla")
    assert citekit.citation(ref, "apa") == "(Roe et al., 2002)"
    assert "et al." in citekit.cite(ref, "ieee") and "et al." in citekit.cite(ref, "chicago")


def test_bibtex_missing_comma_and_extra_brace_are_reported(capsys, tmp_path):
    text = ("@article{a,\n  author = {Roe, Rick}\n  title = {A Title},\n  year = 2002,\n  journal = {J}\n}\n"
            "@article{b,\n  author = {Doe, Jane},\n  title = {B Title}},\n  year = 2003,\n  journal = {J}\n}\n")
    result = load(text, format="bibtex")
    a, b = result.items
    assert a["title"] == "A Title" and a["author"] == [{"family": "Roe", "given": "Rick"}]
    assert [str(p) for p in result.problems] == [
        "<input>:1: a: missing comma after field 'author'; read as the fields 'author' and 'title'",
        "<input>:7: b: the entry ends before its last fields (an extra closing brace?); "
        "the text after it, line 9, is not read",
    ]
    path = write(tmp_path, "refs.bib", text)
    code, out, err = run(capsys, "bib", str(path), "--strict")
    assert (code, out) == (1, "") and "missing comma" in err


def test_bibtex_fields_that_were_ignored():
    item = load("@article{d, author = {Roe, Rick}, title = {T}, titleaddon = {An addon}, eid = {e123},"
                " editor = {Ed, Ann}, editortype = {compiler}, number = {4}, issue = {Spring},"
                " annote = {mine}, annotation = {theirs}, year = 2002, journal = {J}}", format="bib")
    got = item.items[0]
    assert got["title"] == "T. An addon" and got["page"] == "e123"
    assert got["compiler"] == [{"family": "Ed", "given": "Ann"}] and "editor" not in got
    assert got["issue"] == "4" and "Spring" in str(item.problems[0])
    assert got["annote"] == "theirs\nmine"
    deep = load("@book{e, title = {" + "\\emph{" * 200 + "x" + "}" * 200 + "}, year = 2000}", format="bib")
    assert deep.items[0]["title"] == "x"
    recursive = load("@book{f, title = {\\newcommand{\\x}{\\x}\\x Title}, year = 2000}", format="bib")
    assert recursive.items[0]["title"] == "Title"


def test_one_stray_byte_does_not_garble_the_whole_file(tmp_path):
    text = "@book{a, title = {M\u00fcller}, year = 2001}\n@book{b, title = {Caf\u00e9}, year = 2002}\n"
    data = text.encode("utf-8").replace(b"Caf\xc3\xa9", b"Caf\xe9")
    result = load(write(tmp_path, "mixed.bib", data))
    assert [i["title"] for i in result.items] == ["M\u00fcller", "Caf\u00e9"]
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "not UTF-8 on line 2; that line was read as Windows-1252")]
    utf16 = load(write(tmp_path, "utf16.bib", text.encode("utf-16")))
    assert [i["title"] for i in utf16.items] == ["M\u00fcller", "Caf\u00e9"]


def test_a_huge_page_title_is_cut_not_lost():
    page = "<html><head><title>" + "word " * 4_000_000 + "</title></head><body></body></html>"
    result = load(page, format="html")
    title = result.items[0]["title"]
    assert title.startswith("word word") and len(title) <= 2000
    assert [str(p) for p in result.problems] == ["title: longer than 2000 characters; cut"]


def test_the_command_reports_style_without_bibliography_warnings_and_unprintable(capsys, tmp_path):
    path = write(tmp_path, "poe.json", json.dumps([POE]))
    code, out, err = run(capsys, "bib", str(path), "--style", "bluebook-law-review")
    assert (code, out) == (1, "") and "has no bibliography" in err and "--citation" in err
    code, out, err = run(capsys, "bib", str(path), "--style", "apa", "--locale", "german")
    assert (code, out) == (1, "") and "did you mean de-DE" in err
    # a style that prints nothing for an item: reported, exit 1
    empty = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
             '<info><title>E</title><id>e</id><updated>2020-01-01T00:00:00+00:00</updated></info>'
             '<citation><layout><text variable="note"/></layout></citation>'
             '<bibliography><layout><text variable="note"/></layout></bibliography></style>')
    style = write(tmp_path, "empty.csl", empty)
    code, out, err = run(capsys, "bib", str(path), "--style", str(style))
    assert code == 1 and "has no printed form" in err


def test_engine_warnings_are_printed_unless_quiet(capsys, tmp_path):
    path = write(tmp_path, "poe.json", json.dumps([POE]))
    style = ('<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
             '<info><title>W</title><id>w</id><updated>2020-01-01T00:00:00+00:00</updated></info>'
             '<citation><layout><text variable="title"/></layout></citation>'
             '<bibliography><layout><text variable="title" bogus="1"/></layout></bibliography></style>')
    csl = write(tmp_path, "w.csl", style)
    code, out, err = run(capsys, "bib", str(path), "--style", str(csl))
    assert code == 0 and out == "Tales\n" and "warning:" in err
    assert run(capsys, "bib", str(path), "--style", str(csl), "--quiet") == (0, "Tales\n", "")


def test_rtf_bibliography_is_a_complete_document(capsys, tmp_path):
    path = write(tmp_path, "poe.json", json.dumps([POE]))
    code, out, _ = run(capsys, "bib", str(path), "-f", "rtf")
    assert code == 0 and out.startswith("{\\rtf1") and out.rstrip().endswith("}")


def test_locator_labels_and_locales():
    with pytest.raises(ValueError, match="unknown locator label 'pg'; did you mean page"):
        citekit.citation(POE, "apa", locator="3", label="pg")
    assert citekit.citation(POE, "apa", locator="3", label="page") == "(Poe, 1845, p. 3)"
    result = citekit.render("apa", [POE], [[{"id": "poe1845", "locator": "3", "label": "pg"}]])
    assert result.citations == ["(Poe, 1845, p. 3)"] and "unknown locator label 'pg'" in result.warnings[0]
    with pytest.raises(LocaleNotFound, match="did you mean de-DE"):
        citekit.cite(POE, "apa", locale="german")
    with pytest.raises(LocaleNotFound, match="no locale 'xx-YY'"):
        citekit.render("apa", [POE], locale="xx-YY")
    assert "o. J." not in citekit.cite({**POE, "issued": None}, "apa", locale="en-GB")


def test_read_warns_for_each_problem_and_strict_raises():
    text = json.dumps([POE, {**POE, "id": "x", "issued": "1845-13-45"}])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        refs = read(text)
    assert [r.id for r in refs] == ["poe1845"]
    assert [str(w.message) for w in caught if w.category is ReadWarning] == [
        "<input>:1: x: issued: '1845-13-45' is no date (no month 13) (skipped)"]
    with pytest.raises(ReaderError, match="no month 13"):
        read(text, strict=True)


def test_short_reprs():
    assert repr(Reference(type="book", title="T", author="Poe, Edgar Allan")) == (
        "Reference(type='book', author=[Name(family='Poe', given='Edgar Allan')], title='T')")
    assert repr(Brief(title="T")) == "Brief(title='T')"
    assert repr(citekit.resolve_style("apa")) == "Style('http://www.zotero.org/styles/apa', class='in-text')"
    assert repr(citekit.Document("apa", [POE])).startswith("Document('http://www.zotero.org/styles/apa', 1 items")


def test_check_items_is_the_one_door():
    items, problems = check_items([POE, "junk", {"type": "book", "title": "No id"}], strict=False)
    assert [i["id"] for i in items] == ["poe1845", "no"]
    assert [str(p) for p in problems] == [
        "item 2: expected a CSL-JSON dict or a citekit model (a Reference or a Brief), got str (skipped)"]


# --------------------------------------------------------------------------- command friction


@pytest.mark.parametrize("name, style_id", [
    ("chicago author-date", "chicago-author-date"),
    ("apa 7", "apa"), ("apa7", "apa"), ("APA 7th edition", "apa"),
    ("mla9", "modern-language-association"), ("mla 9", "modern-language-association"),
    ("apa 6", "apa-6th-edition"),
])
def test_style_names_as_people_type_them(name, style_id):
    assert citekit.style_entry(name).id == style_id


def test_an_old_edition_says_it_is_now_the_current_one(capsys):
    brief = Path(__file__).resolve().parents[1] / "examples" / "brief.json"
    code, out, err = run(capsys, "cite", str(brief), "-s", "modern-language-association-7th-edition")
    assert code == 0 and out.startswith("Zissis, Carin.")
    assert "warning: 'modern-language-association-7th-edition' is now 'modern-language-association'" in err
    assert "9th edition" in err
    code, _, err = run(capsys, "cite", str(brief), "-s", "mla 8")
    assert code == 0 and "is now 'modern-language-association'" in err
    assert run(capsys, "cite", str(brief), "-s", "mla")[2] == ""


def test_styles_query_without_quotes_whole_words_first(capsys):
    code, out, _ = run(capsys, "styles", "modern", "language")
    assert code == 0 and out.startswith("modern-language-association ")
    assert citekit.search_styles("mla")[0].id == "modern-language-association"


@pytest.mark.parametrize("argv, words", [
    (["--styles", "mla,apa", "--default", "ieee"], "--default ieee is not one of --styles"),
    (["--styles", "mla,apa,mla"], "--styles names mla more than once"),
])
def test_panel_usage_mistakes_exit_2(argv, words, capsys):
    brief = Path(__file__).resolve().parents[1] / "examples" / "brief.json"
    with pytest.raises(SystemExit) as info:
        main(["panel", str(brief), *argv])
    assert info.value.code == 2 and words in capsys.readouterr().err


def test_help_and_readme_agree_on_the_number_of_styles():
    from citekit.cli import build_parser

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "10,800" in build_parser().format_help() and "10,800" in readme


def test_validate_explains_schema_errors_in_words(capsys, tmp_path):
    bad = write(tmp_path, "bad.csl", '<?xml version="1.0"?>\n'
                '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
                '<info><title>B</title><id>b</id><updated>2020-01-01T00:00:00+00:00</updated></info>\n'
                '<citation><layout><text variable="titel"/><text value="x" font-style="bold"/><bogus/>'
                '</layout></citation></style>\n')
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1 and out.splitlines() == [
        f"{bad}:4: <text variable=\"titel\">: 'titel' is not allowed for variable; did you mean title?",
        f"{bad}:4: <text font-style=\"bold\">: 'bold' is not allowed for font-style; allowed: italic, normal, oblique",
        f"{bad}:4: <bogus> is not a CSL element",
    ]


def test_yaml_records_are_named_by_line_and_yaml_dates_never_crash(capsys, tmp_path):
    text = ("references:\n- id: a\n  type: book\n  title: A\n  issued: 2006-12-19\n"
            "- id: b\n  type: bookk\n  title: B\n- id: c\n  type: book\n  title: C\n  issued: 2001-13-01\n")
    result = load(text, format="yaml")
    assert result.items[0]["issued"] == {"date-parts": [[2006, 12, 19]]}
    assert [str(p) for p in result.problems] == [
        "<input>:6: b: type: unknown CSL item type 'bookk'; did you mean book, review-book? (skipped)",
        "<input>:9: c: issued: '2001-13-01' is no date (no month 13) (skipped)",
    ]
    path = write(tmp_path, "refs.yaml", text)
    code, out, err = run(capsys, "bib", str(path))
    assert code == 1 and out == "A. (2006).\n" and f"{path}:9: c: issued:" in err and "Traceback" not in err


def test_document_treats_an_unknown_locator_label_as_render_does():
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "Doe", "given": "J"}],
            "issued": {"date-parts": [[2000]]}}
    cluster = [{"id": "a", "locator": "3", "label": "pg"}]
    rendered = citekit.render("apa", [item], [cluster])
    doc = citekit.Document("apa", [item])
    doc.insert_cluster(cluster)
    assert doc.citations == rendered.citations == ["(Doe, 2000, p. 3)"]
    assert any("unknown locator label 'pg'" in w for w in doc.warnings)
