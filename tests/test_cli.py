"""The `citekit` command: outputs, exit codes (0 ok, 1 bad input, 2 usage) and error lines."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citekit import registry
from citekit.cli import build_parser, main
from seed import EXPECTED_TEXT, URL

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "brief.json"
MLA, APA, CHICAGO = EXPECTED_TEXT["mla"], EXPECTED_TEXT["apa"], EXPECTED_TEXT["chicago"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cite_the_example_brief(capsys):
    for style, expected in (("mla", MLA), ("apa", APA), ("chicago", CHICAGO)):
        assert run(capsys, "cite", str(BRIEF), "--style", style) == (0, expected + "\n", "")


def test_cite_html_and_citation(capsys):
    code, out, _ = run(capsys, "cite", str(BRIEF), "-s", "mla", "-f", "html")
    assert code == 0 and "<i>Council on Foreign Relations</i>" in out
    assert run(capsys, "cite", str(BRIEF), "--style", "apa", "--citation") == (0, "(Zissis, 2006)\n", "")


def test_unknown_style_suggests(capsys):
    code, out, err = run(capsys, "cite", str(BRIEF), "--style", "mlaa")
    assert (code, out) == (1, "")
    assert err.startswith("citekit: no style named 'mlaa'; did you mean mla")
    assert err.count("\n") == 1


def test_bad_date_names_the_field(capsys, tmp_path):
    brief = json.loads(BRIEF.read_text())
    brief["date"] = "19/12/2006"
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(brief))
    code, out, err = run(capsys, "cite", str(path))
    assert (code, out) == (1, "")
    # numbers in another order are never guessed: the record is refused, naming file, item and field
    assert f"{path}:1: item 1: date: '19/12/2006' is not a date citekit reads" in err
    assert "year first" in err and f"{path}: no item could be read" in err and "Traceback" not in err


def test_yaml_brief_and_stdin(capsys, tmp_path, monkeypatch):
    path = tmp_path / "brief.yaml"
    path.write_text(f"title: Dim Prospects for Six-Party Deal\nauthor: Zissis, Carin\ndate: 2006-12-19\n"
                    f"publisher: Council on Foreign Relations\nurl: {URL}\nkind: Analysis Brief\n")
    assert run(capsys, "cite", str(path), "--style", "mla") == (0, MLA + "\n", "")
    monkeypatch.setattr(sys, "stdin", io.StringIO(BRIEF.read_text()))
    assert run(capsys, "cite", "-", "--style", "mla") == (0, MLA + "\n", "")


def test_csl_json_list_one_line_per_item(capsys, tmp_path):
    item = {"id": "zissis2006", "type": "webpage", "title": "Dim Prospects for Six-Party Deal",
            "author": [{"family": "Zissis", "given": "Carin"}], "issued": {"date-parts": [[2006, 12, 19]]},
            "container-title": "Council on Foreign Relations", "genre": "Analysis Brief", "URL": URL}
    path = tmp_path / "items.json"
    path.write_text(json.dumps([item, {**item, "id": "second"}]))
    assert run(capsys, "cite", str(path), "-s", "mla") == (0, f"{MLA}\n{MLA}\n", "")


def test_good_records_printed_bad_ones_reported(capsys, tmp_path):
    # issue 11: every batch input, whatever the format, prints the good records and reports the bad
    path = tmp_path / "items.json"
    path.write_text(json.dumps([json.loads(BRIEF.read_text()), {"title": "x", "date": "2006-02-30"}]))
    code, out, err = run(capsys, "cite", str(path))
    assert (code, out) == (1, APA + "\n")
    assert "item 2: date" in err and "no day 30" in err and "(skipped)" in err
    code, out, err = run(capsys, "cite", str(path), "--strict")
    assert (code, out) == (1, "") and "no day 30" in err and "--strict" in err


def test_one_off_brief_from_flags(capsys):
    argv = ["cite", "--title", "Dim Prospects for Six-Party Deal", "--author", "Carin Zissis", "--date", "2006-12-19",
            "--publisher", "Council on Foreign Relations", "--url", URL, "--kind", "Analysis Brief"]
    assert run(capsys, *argv, "--style", "chicago") == (0, CHICAGO + "\n", "")
    code, _, err = run(capsys, "cite", "--title", "T", "--date", "yesterday")
    assert code == 1 and "date: 'yesterday' is not a date citekit reads; expected" in err


@pytest.mark.parametrize("argv", [
    ["cite"],
    ["cite", str(BRIEF), "--title", "also a title"],
    ["cite", "--author", "A B"],
    ["cite", str(BRIEF), "--format", "docx"],
    ["bogus"],
    [],
])
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        code = main(argv)
        raise SystemExit(code)
    assert info.value.code == 2


@pytest.mark.parametrize("problem, content, words", [
    ("missing.json", None, "no such file"),
    ("bad.json", '{"title": ', "bad.json:1: not valid JSON"),
    ("bad.yaml", "title: [unclosed\n", "bad.yaml:"),
    ("empty.json", "", "empty"),
    ("list.json", "[]", "no items"),
    ("scalar.yaml", "42\n", "expected a CSL item"),
])
def test_unreadable_input_exits_1(capsys, tmp_path, problem, content, words):
    path = tmp_path / problem
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "cite", str(path))
    assert (code, out) == (1, "") and words in err and err.count("\n") <= 2


def test_debug_shows_traceback(capsys):
    code, _, err = run(capsys, "--debug", "cite", str(BRIEF), "--style", "mlaa")
    assert code == 1 and "Traceback" in err and "StyleNotFound" in err
    code, _, err = run(capsys, "cite", str(BRIEF), "--style", "mlaa", "--debug")
    assert code == 1 and "Traceback" in err


def test_bib_sorted_block(capsys, tmp_path):
    path = tmp_path / "refs.json"
    path.write_text(json.dumps([
        json.loads(BRIEF.read_text()),
        {"id": "abel2001", "type": "book", "title": "A Book", "author": [{"family": "Abel", "given": "Ann"}],
         "issued": {"date-parts": [[2001]]}, "publisher": "P"},
    ]))
    code, out, _ = run(capsys, "bib", str(path), "--style", "apa")
    assert code == 0 and out.index("Abel") < out.index("Zissis") and out.count("\n") == 2
    code, out, _ = run(capsys, "bib", str(path), "--style", "apa", "--format", "html")
    assert code == 0 and out.startswith('<div class="csl-bib-body">') and out.count('class="csl-entry"') == 2


def test_bib_rejects_duplicate_ids(capsys, tmp_path):
    item = {"id": "same", "type": "book", "title": "T"}
    path = tmp_path / "dup.json"
    path.write_text(f"[\n{json.dumps(item)},\n{json.dumps(item)}\n]\n")
    code, out, err = run(capsys, "bib", str(path))
    # both printed (the second renamed), the repeated id reported, exit 1
    assert code == 1 and out.count("T.") == 2
    assert f"{path}:3: same: id: id used twice (first by item 1" in err
    code, out, err = run(capsys, "bib", str(path), "--strict")
    assert (code, out) == (1, "") and "id used twice" in err


def test_readers_inputs(capsys, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@book{abel2001, author = {Abel, Ann}, title = {A Book}, year = {2001}, publisher = {P}}\n")
    code, out, err = run(capsys, "cite", str(path), "--style", "apa")
    assert (code, err) == (0, "") and out.startswith("Abel, A. (2001). A Book")


def test_saved_page_in_mla(capsys):
    page = ROOT / "tests" / "data" / "readers" / "brief-page.html"
    assert run(capsys, "cite", str(page), "--style", "mla") == (
        0, f"Zissis, Carin. “Dim Prospects for Six-Party Deal.” Council on Foreign Relations, 19 Dec. 2006, {URL}.\n",
        "")


def test_styles_search_show_aliases(capsys):
    code, out, _ = run(capsys, "styles", "chicago")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:2] == ["chicago-notes-bibliography", "note"]
    assert len(lines) == len(registry.search("chicago"))
    code, out, _ = run(capsys, "styles", "--show", "mla")
    assert code == 0 and "id:          modern-language-association" in out and "aliases:     mla" in out
    code, out, _ = run(capsys, "styles", "--aliases")
    assert code == 0 and any(line.split()[:2] == ["chicago", "chicago-notes-bibliography"] for line in out.splitlines())
    code, out, err = run(capsys, "styles", "zzzz-no-such-style")
    assert (code, out) == (1, "") and "no style matches" in err
    assert run(capsys, "styles", "--show", "mlaa")[0] == 1


def test_validate(capsys, tmp_path):
    assert run(capsys, "validate", "apa", "mla")[0] == 0
    bad = tmp_path / "bad.csl"
    bad.write_text('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" '
                   'class="in-text">\n<info><title>x</title></info>\n<citation><layout>\n'
                   '<text variable="no-such-variable"/></layout></citation></style>\n')
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 1 and f"{bad}:3: Expecting an element author" in out and "failed validation" in err
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>\n<info>\n")
    code, out, _ = run(capsys, "validate", str(broken))
    assert code == 1 and f"{broken}:3: not well-formed XML" in out


def test_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0 and "container-title" in json.loads(out)["properties"]
    code, out, _ = run(capsys, "schema", "brief")
    assert json.loads(out)["required"] == ["title"]


def test_every_help_shows_an_example():
    parser = build_parser()
    assert "examples:" in parser.format_help()
    commands = parser._subparsers._group_actions[0].choices
    assert set(commands) >= {"cite", "bib", "styles", "validate", "schema"}
    for name, sub in commands.items():
        assert f"citekit {name}" in sub.format_help().split("examples:")[1], name


def test_module_entry_point_and_warm_index(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "citekit", "cite", str(BRIEF), "--style", "mla"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (0, MLA + "\n")
    subprocess.run([sys.executable, "-m", "citekit", "styles", "chicago"], capture_output=True, env=env,
                   timeout=120, check=True)  # builds the index
    index = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert index, "the first search leaves an index in the cache"
    stamps = {p: p.stat().st_mtime_ns for p in index}
    done = subprocess.run([sys.executable, "-m", "citekit", "styles", "chicago"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("chicago-notes-bibliography")
    assert {p: p.stat().st_mtime_ns for p in index} == stamps, "a warm index is read, not rebuilt"


def test_bad_records_are_reported_and_exit_1(capsys, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@book{abel2001, author = {Abel, Ann}, title = {A Book}, year = {2001}, publisher = {P}}\n"
                    "@book{broken, title = {Unclosed\n")
    code, out, err = run(capsys, "bib", str(path), "--style", "apa")
    # what could be read is printed; the bad record is named with its line; the exit says so
    assert code == 1 and out.startswith("Abel, A. (2001). A Book")
    assert f"{path}:2: broken:" in err
    code, out, err = run(capsys, "bib", str(path), "--style", "apa", "--strict")
    assert (code, out) == (1, "") and "broken" in err and "--strict" in err and len(err.splitlines()) == 1


def test_panel_fragment_and_page(capsys):
    code, out, _ = run(capsys, "panel", str(BRIEF), "--styles", "mla,apa")
    assert code == 0 and "<i>Council on Foreign Relations</i>" in out and "(2006, December 19)" in out
    assert "Chicago" not in out and "December 19, 2006." not in out
    code, out, _ = run(capsys, "panel", str(BRIEF), "--page")
    assert code == 0 and out.lstrip().lower().startswith("<!doctype html")
    code, out, err = run(capsys, "panel", str(BRIEF), "--styles", "mla,mlaa")
    assert (code, out) == (1, "") and "did you mean mla" in err
