"""format_each and `citekit bib --each`: one standalone entry per item, streamed, in order,
with constant memory, on one core or several."""

from __future__ import annotations

import io
import json
import random
import tracemalloc

import pytest

import citekit
from citekit import cli
from citekit.each import Formatted, format_each

# A small style: memory is measured over tens of thousands of items, which a full style
# would make slow; it still goes through the door and the engine (names, dates, text).
SMALL_STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
  <info><title>Small</title><id>small</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout suffix=".">
    <group delimiter=". ">
      <names variable="author"><name initialize-with=". " name-as-sort-order="first"/></names>
      <date variable="issued"><date-part name="year"/></date>
      <text variable="title" font-style="italic"/>
    </group>
  </layout></bibliography>
</style>"""

FAMILIES = ["Smith", "Nowak", "Tanaka", "Okafor", "Lindqvist", "García"]
GIVEN = ["Anna", "Ben", "Chidi", "Dana", "Emil"]


def generated(n: int, seed: int = 1):
    """n CSL-JSON items, made one at a time (never a list): a stream."""
    rng = random.Random(seed)
    for i in range(n):
        yield {"id": f"r{i}", "type": rng.choice(["book", "article-journal", "report"]),
               "title": f"Work number {i} on {rng.choice(['trade', 'memory', 'cities'])}",
               "author": [{"family": rng.choice(FAMILIES), "given": rng.choice(GIVEN)}
                          for _ in range(rng.randint(1, 3))],
               "issued": {"date-parts": [[rng.randint(1950, 2024)]]}}


BOOK = {"id": "poe", "type": "book", "title": "Tales", "author": "Poe, Edgar Allan", "issued": 1845}
ARTICLE = {"id": "z1", "type": "article-journal", "title": "Dim prospects", "author": [{"family": "Zissis", "given": "Carin"}],
           "container-title": "Foreign Affairs", "issued": {"date-parts": [[2006, 12]]}, "volume": "3", "page": "1-9"}
BAD_DATE = {"id": "bad", "type": "book", "title": "T", "issued": "2006-13-01"}
REPAIRED = {"type": "book", "title": "No id", "issued": "next tuesday"}


def test_each_entry_is_what_cite_prints():
    entries = list(format_each([BOOK, ARTICLE], "apa"))
    assert [e.id for e in entries] == ["poe", "z1"]
    assert [e.text for e in entries] == [citekit.cite(BOOK, "apa"), citekit.cite(ARTICLE, "apa")]
    assert entries[0].text == "Poe, E. A. (1845). Tales."
    assert all(e.ok and not e.problems for e in entries)


def test_no_sorting_and_no_disambiguation():
    # Two works by one author in one year: a bibliography adds year suffixes and sorts;
    # standalone entries do neither, and keep the input's order.
    a = {"id": "b", "type": "book", "title": "Zebra", "author": "Poe, Edgar Allan", "issued": 1845}
    b = {"id": "a", "type": "book", "title": "Apple", "author": "Poe, Edgar Allan", "issued": 1845}
    entries = list(format_each([a, b], "apa"))
    assert [e.text for e in entries] == ["Poe, E. A. (1845). Zebra.", "Poe, E. A. (1845). Apple."]
    bib = citekit.bibliography([a, b], "apa")
    assert "1845a" in bib and bib.index("Apple") < bib.index("Zebra")


def test_several_styles_one_record_per_item():
    entries = list(format_each([BOOK, ARTICLE], ["apa", "mla", "ieee"], format="html"))
    assert [list(e.texts) for e in entries] == [["apa", "mla", "ieee"]] * 2
    for entry, item in zip(entries, [BOOK, ARTICLE]):
        for style in ("apa", "mla", "ieee"):
            assert entry.texts[style] == citekit.cite(item, style, format="html")
    assert entries[0].record() == {"id": "poe", **entries[0].texts}


def test_bad_records_are_reported_and_the_others_formatted():
    entries = list(format_each([BOOK, BAD_DATE, "not a record", REPAIRED, ARTICLE], "apa"))
    assert [e.ok for e in entries] == [True, False, False, True, True]
    bad = entries[1]
    assert bad.id == "bad" and bad.texts == {} and bad.text is None
    (problem,) = bad.problems
    # the one door's own message and field, as every other entry point reports it
    assert (problem.key, problem.field, problem.skipped) == ("bad", "issued", True)
    assert "no month 13" in problem.message
    assert str(problem) == "bad: issued: '2006-13-01' is no date (no month 13) (skipped)"
    assert entries[2].problems[0].position == 3 and "expected a CSL-JSON dict" in str(entries[2].problems[0])
    # repaired (a date kept as written), formatted, reported; an item without id gets its position
    repaired = entries[3]
    assert repaired.id == "item-4" and repaired.text == "No id. (next tuesday)."
    assert repaired.problems[0].field == "issued" and not repaired.problems[0].skipped
    assert "problems" in repaired.record() and "problems" not in entries[0].record()


def test_same_rules_as_the_other_doors():
    from citekit.normalize import check_items

    records = [BOOK, BAD_DATE, REPAIRED]
    _, expected = check_items(records, strict=False, missing_ids="position")
    found = [p for e in format_each(records, "apa") for p in e.problems]
    assert found == expected


def test_models_and_briefs_are_items_too():
    brief = citekit.Brief(title="Dim Prospects for Six-Party Deal", authors=["Carin Zissis"], date="2006-12-19",
                          publisher="Council on Foreign Relations", url="http://www.cfr.org/p12242")
    (entry,) = format_each([brief], "mla")
    assert entry.text == citekit.cite(brief, "mla")


def test_reads_lazily_from_a_generator():
    taken = []

    def source():
        for i, item in enumerate(generated(10_000)):
            taken.append(i)
            yield item

    stream = format_each(source(), SMALL_STYLE)
    first = next(stream)
    assert first.id == "r0" and len(taken) == 1  # nothing read ahead in one process
    stream.close()


def test_unknown_style_format_or_locale_fail_before_any_item():
    def never():
        raise AssertionError("the items were read")
        yield

    with pytest.raises(citekit.StyleNotFound):
        format_each(never(), "no-such-style-xyz")
    with pytest.raises(ValueError, match="unknown output format"):
        format_each(never(), "apa", format="pdf")
    with pytest.raises(citekit.LocaleNotFound):
        format_each(never(), "apa", locale="klingon")
    with pytest.raises(ValueError, match="given twice"):
        format_each(never(), ["apa", "apa"])
    with pytest.raises(ValueError, match="jobs"):
        format_each(never(), "apa", jobs=-1)
    with pytest.raises(TypeError):
        format_each("not items", "apa")


def _peak(n: int) -> int:
    tracemalloc.start()
    try:
        count = 0
        for entry in format_each(generated(n, seed=n), SMALL_STYLE):
            count += entry.ok
        assert count == n
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_items():
    _peak(300)  # the style's parse, the locale and the engine's bounded caches, once
    small, large = _peak(1_000), _peak(10_000)
    # Ten times the items, the same peak: nothing is kept per item (a list of 20,000
    # entries alone would take megabytes). The slack covers bounded caches filling up.
    assert large < small + 256 * 1024, (small, large)
    assert large < 4 * 1024 * 1024, large


# --------------------------------------------------------------------------- worker processes


def test_jobs_give_the_same_entries_in_the_same_order():
    items = [BOOK, BAD_DATE, *generated(150), REPAIRED, ARTICLE]
    one = list(format_each(items, ["apa", SMALL_STYLE]))
    two = list(format_each(iter(items), ["apa", SMALL_STYLE], jobs=2, chunk_size=7))
    assert two == one
    assert [e.position for e in two] == list(range(1, len(items) + 1))


def test_jobs_read_the_input_only_as_far_as_the_workers_go():
    taken = []

    def source():
        for i, item in enumerate(generated(100_000)):
            taken.append(i)
            yield item

    stream = format_each(source(), SMALL_STYLE, jobs=2, chunk_size=10)
    assert next(stream).id == "r0"
    # 2 workers × 3 chunks in flight, of 10 records, and the one chunk read next
    assert len(taken) <= 2 * 3 * 10 + 10
    stream.close()


def test_jobs_memory_of_the_parent_does_not_grow():
    import gc

    tracemalloc.start()
    try:
        seen = {}
        for n, entry in enumerate(format_each(generated(2_500), SMALL_STYLE, jobs=2, chunk_size=20), 1):
            assert entry.ok
            if n in (500, 2_500):
                gc.collect()
                seen[n] = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # what is in flight is bounded (2 workers × 3 chunks of 20), whatever the count done
    assert seen[2_500] < seen[500] + 256 * 1024, seen


def test_jobs_zero_is_every_core_and_a_registry_style_object_travels_by_id():
    apa = citekit.resolve_style("apa")
    entries = list(format_each([BOOK, ARTICLE], apa, jobs=0))
    key = apa.info.id
    assert [e.texts for e in entries] == [{key: citekit.cite(BOOK, "apa")}, {key: citekit.cite(ARTICLE, "apa")}]


def test_a_parsed_style_the_registry_does_not_know_cannot_go_to_workers():
    own = citekit.resolve_style(SMALL_STYLE.replace("<id>small</id>", "<id>small-2</id>"))
    assert [e.text for e in format_each([BOOK], own)] == ["Poe, E. A. 1845. Tales."]
    with pytest.raises(TypeError, match="give its path or its CSL XML text"):
        format_each([BOOK], own, jobs=2)


# --------------------------------------------------------------------------- the command


def run(argv, stdin: str | None = None, monkeypatch=None, capsys=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_command_writes_json_lines(tmp_path, capsys, monkeypatch):
    src = tmp_path / "refs.jsonl"
    src.write_text("\n".join(json.dumps(i) for i in [BOOK, ARTICLE]) + "\n", encoding="utf-8")
    code, out, err = run(["bib", "--each", str(src), "--style", "apa", "--style", "mla"], capsys=capsys)
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert records == [{"id": i["id"], "apa": citekit.cite(i, "apa"), "mla": citekit.cite(i, "mla")}
                       for i in [BOOK, ARTICLE]]


def test_command_reports_bad_lines_and_writes_the_others(tmp_path, capsys, monkeypatch):
    lines = [json.dumps(BOOK), "", json.dumps(BAD_DATE), "{not json", json.dumps(REPAIRED), json.dumps(ARTICLE)]
    src = tmp_path / "refs.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["bib", "--each", str(src), "--jobs", "2"], capsys=capsys)
    assert code == 1
    # an item without an id is named as `citekit bib` and load() name it (from its title here)
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["poe", "no", "z1"]
    said = err.splitlines()
    assert f"citekit: {src}:3: bad: issued: '2006-13-01' is no date (no month 13) (skipped)" in said
    assert any(line.startswith(f"citekit: {src}:4: not valid JSON") for line in said)
    assert any(line.startswith(f"citekit: {src}:5: item 3: issued: 'next tuesday'") for line in said)
    assert said[-1] == "citekit: 3 of 5 records had problems (reported above); 3 written"


def test_command_reads_stdin(capsys, monkeypatch):
    text = json.dumps(BOOK) + "\n"
    code, out, err = run(["bib", "--each", "-", "-s", "ieee", "-f", "html"], stdin=text, monkeypatch=monkeypatch,
                         capsys=capsys)
    assert code == 0
    assert json.loads(out) == {"id": "poe", "ieee": citekit.cite(BOOK, "ieee", format="html")}


def test_command_strict_stops_at_the_first_bad_record(tmp_path, capsys):
    src = tmp_path / "refs.jsonl"
    src.write_text("\n".join(json.dumps(i) for i in [BOOK, BAD_DATE, ARTICLE]) + "\n", encoding="utf-8")
    code, out, err = run(["bib", "--each", str(src), "--strict"], capsys=capsys)
    assert code == 1
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["poe"]
    assert "no month 13" in err and "--strict" in err


@pytest.mark.parametrize("argv, message", [
    (["bib", "refs.json", "--each", "x.jsonl"], "give either FILE (one bibliography) or --each"),
    (["bib"], "give a FILE"),
    (["bib", "refs.json", "--jobs", "2"], "--jobs goes with --each"),
    (["bib", "refs.json", "--style", "apa", "--style", "mla"], "several --style"),
    (["cite", "refs.json", "--style", "apa", "--style", "mla"], "several --style"),
    (["bib", "--each", "x.jsonl", "--style", "id"], "'id' cannot name a style"),
])
def test_command_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_command_missing_file_and_style_without_bibliography(tmp_path, capsys):
    code, _, err = run(["bib", "--each", str(tmp_path / "none.jsonl")], capsys=capsys)
    assert code == 1 and "none.jsonl: no such file" in err
    src = tmp_path / "refs.jsonl"
    src.write_text(json.dumps(BOOK) + "\n", encoding="utf-8")
    citations_only = tmp_path / "citations-only.csl"
    citations_only.write_text(SMALL_STYLE.split("<bibliography>")[0] + "</style>", encoding="utf-8")
    code, out, err = run(["bib", "--each", str(src), "--style", "apa", "--style", str(citations_only)], capsys=capsys)
    assert code == 1 and out == "" and "citations-only.csl has no bibliography" in err


def test_help_mentions_each():
    text = cli.build_parser()._subparsers._group_actions[0].choices["bib"].format_help()
    assert "--each" in text and "--jobs" in text and "JSON Lines" in text


def test_command_progress_bar_only_on_a_terminal(tmp_path):
    import os
    import subprocess
    import sys

    src = tmp_path / "refs.jsonl"
    src.write_text("".join(json.dumps(i) + "\n" for i in generated(20)), encoding="utf-8")
    command = [sys.executable, "-m", "citekit", "bib", "--each", str(src), "--style", SMALL_STYLE_FILE(tmp_path)]
    # stderr a terminal: the bar (records and the rate) is drawn there
    import fcntl
    import struct
    import termios

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal has a size
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, timeout=120)
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 20
    assert b"20 records" in drawn and b"records/s" in drawn
    # stderr a pipe (a log): nothing but what is wrong
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stderr == b""


def SMALL_STYLE_FILE(folder) -> str:  # noqa: N802 - reads as the constant it writes
    path = folder / "small.csl"
    path.write_text(SMALL_STYLE, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- the command: every format the readers read

READERS = __import__("pathlib").Path(__file__).parent / "data" / "readers"


def _expected(path, style="apa"):
    from citekit.readers import load

    return [{"id": item["id"], style: citekit.cite(item, style)} for item in load(path).items]


@pytest.mark.parametrize("name, jobs", [("references.bib", "1"), ("references.bib", "2"), ("references.ris", "1"),
                                        ("references.bib.json", "2")])
def test_command_reads_bibtex_ris_and_csl_json(name, jobs, tmp_path, capsys):
    path = READERS / name
    if name.endswith(".bib.json"):  # a CSL-JSON array
        path = tmp_path / "refs.json"
        path.write_bytes((READERS / name).read_bytes())
    code, out, err = run(["bib", "--each", str(path), "--jobs", jobs], capsys=capsys)
    assert code == 0 and err == ""
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) > 3 and records == _expected(path)  # what `citekit bib` reads, each entry as cite() prints it


def test_command_reads_csl_yaml_whole(tmp_path, capsys):
    path = tmp_path / "refs.yaml"
    path.write_text("- id: a\n  type: book\n  title: A book\n  issued: 2001\n- id: b\n  type: book\n  title: B\n",
                    encoding="utf-8")
    code, out, err = run(["bib", "--each", str(path)], capsys=capsys)
    assert code == 0 and [json.loads(line) for line in out.splitlines()] == _expected(path)
    code, out, err = run(["--max-input-size", "20", "bib", "--each", str(path)], capsys=capsys)
    from citekit.csl.limits import LIMITS

    LIMITS.max_input_size = type(LIMITS)().max_input_size
    assert code == 1 and out == "" and "read whole" in err


BROKEN_BIB = """@string{jn = "Journal of Names"}
@book{a, title = {First}, author = {Poe, Edgar}, year = 2001}
@book{a, title = {Again}, year = 2002}
@article{c, title = {Uses a macro}, journal = undefined, year = 2003}
@book{broken, title = {Unclosed, year = 2004

@article{d, title = {Last}, journal = jn, date = {2005-13-01}}
@article{f, title = {Fine}, journal = jn, year = 2006}
@book{e, title = {No year}}
"""


def test_command_reports_bibtex_problems_at_their_lines_and_formats_the_rest(tmp_path, capsys):
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN_BIB, encoding="utf-8")
    code, out, err = run(["bib", "--each", str(path), "--jobs", "2"], capsys=capsys)
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a", "c", "f", "e"] and records == _expected(path)
    said = err.splitlines()
    assert f"citekit: {path}:3: a: duplicate entry key; the first entry with this key is kept (skipped)" in said
    assert f"citekit: {path}:4: c: undefined @string macro 'undefined'; its name is used as text" in said
    assert any(line.startswith(f"citekit: {path}:5: broken: ") and line.endswith("(skipped)") for line in said)
    assert f"citekit: {path}:7: d: issued: '2005-13-01' is no date (no month 13) (skipped)" in said
    # the same problems as `citekit bib` (load()) reports
    from citekit.readers import load

    assert sorted(line[len("citekit: "):] for line in said[:-1]) == sorted(str(p) for p in load(path).problems)
    assert said[-1] == "citekit: 4 of 7 records had problems (reported above); 4 written"


def test_command_reads_bibtex_and_ris_from_stdin(capsys, monkeypatch):
    for name in ("references.bib", "references.ris"):
        text = (READERS / name).read_text(encoding="utf-8")
        code, out, err = run(["bib", "--each", "-"], stdin=text, monkeypatch=monkeypatch, capsys=capsys)
        assert code == 0 and err == ""
        assert [json.loads(line) for line in out.splitlines()] == _expected(READERS / name)


def test_command_reads_json_lines_from_a_pipe_in_small_reads(capsys, monkeypatch):
    """stdin as a pipe gives it: a few bytes at a time, never the whole input at once."""
    class Feed(io.RawIOBase):
        data = (json.dumps(BOOK) + "\n" + json.dumps(ARTICLE) + "\n").encode()

        def readable(self):
            return True

        def readinto(self, buffer):
            n = min(len(buffer), 7, len(self.data))
            buffer[:n], self.data = self.data[:n], self.data[n:]
            return n

    written = []

    class Out(io.StringIO):
        def write(self, text):
            written.extend(text.splitlines())
            return len(text)

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(Feed(), buffer_size=16)))
    monkeypatch.setattr("sys.stdout", Out())
    assert cli.main(["bib", "--each", "-"]) == 0
    assert [json.loads(line)["id"] for line in written] == ["poe", "z1"]


def test_command_a_line_over_the_size_limit_is_reported_and_skipped(tmp_path, capsys):
    from citekit.csl.limits import LIMITS

    path = tmp_path / "refs.jsonl"
    long_line = json.dumps({**ARTICLE, "id": "long", "note": "x" * 5000})
    path.write_text("\n".join([json.dumps(BOOK), long_line, json.dumps(ARTICLE)]) + "\n", encoding="utf-8")
    try:
        code, out, err = run(["--max-input-size", "1000", "bib", "--each", str(path)], capsys=capsys)
    finally:
        LIMITS.max_input_size = type(LIMITS)().max_input_size
    assert code == 1 and [json.loads(line)["id"] for line in out.splitlines()] == ["poe", "z1"]
    assert f"citekit: {path}:2: a line of {len(long_line) + 1:,} bytes, over the 1,000 a line may have" in err
    assert err.splitlines()[-1] == "citekit: 1 of 3 records had problems (reported above); 2 written"


@pytest.mark.parametrize("suffix", [".jsonl", ".bib", ".ris"])
def test_command_and_load_agree_on_a_line_that_is_not_utf8(suffix, tmp_path, capsys):
    """One rule in every door: the line is read as Windows-1252 and reported at its line."""
    from citekit.readers import load

    if suffix == ".jsonl":
        text = json.dumps(BOOK) + "\n" + json.dumps({**ARTICLE, "title": "Caf\u00e9 prospects"}, ensure_ascii=False) + "\n"
    elif suffix == ".bib":
        text = "@book{poe, title = {Tales}, year = 1845}\n@article{z1,\n  title = {Caf\u00e9 prospects},\n  year = 2006\n}\n"
    else:
        text = "TY  - BOOK\nID  - poe\nTI  - Tales\nPY  - 1845\nER  - \n\nTY  - JOUR\nID  - z1\nTI  - Caf\u00e9 prospects\nER  - \n"
    line = text.split("\n").index(next(x for x in text.split("\n") if "Caf" in x)) + 1
    path = tmp_path / f"refs{suffix}"
    path.write_bytes(text.encode("utf-8").replace("Caf\u00e9".encode("utf-8"), b"Caf\xe9"))
    expected = f"{path}:{line}: not UTF-8 on line {line}; that line was read as Windows-1252"
    assert [str(p) for p in load(path).problems] == [expected]
    code, out, err = run(["bib", "--each", str(path)], capsys=capsys)
    assert code == 1
    records = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in records] == ["poe", "z1"] and "Caf\u00e9 prospects" in records[1]["apa"]
    assert f"citekit: {expected}" in err.splitlines()
    code, _, err = run(["bib", str(path)], capsys=capsys)  # the whole-file command says the same
    assert code == 1 and f"citekit: {expected}" in err.splitlines()


def test_command_memory_does_not_grow_with_a_bibtex_file(tmp_path, capsys, monkeypatch):
    """The parent's memory over a .bib of 300 and of 1,200 entries (jobs 1: reading and
    formatting in this process): what stays is bounded, not a share of the file."""
    import gc

    import citekit.readers.bibtex as bibtex_reader

    monkeypatch.setattr(bibtex_reader, "_CHUNK", 1 << 14)  # pieces of a few entries, as 1 MB ones are of thousands
    style = SMALL_STYLE_FILE(tmp_path)

    def bib(n):
        path = tmp_path / f"refs{n}.bib"
        path.write_text("".join(f"@article{{k{i},\n  author = {{Smith, Anna and Nowak, B.}},\n"
                                f"  title = {{Work {i} on {{DNA}} \\emph{{in vivo}}}},\n  journal = {{J}},\n"
                                f"  year = {1950 + i % 70},\n  abstract = {{{'word ' * 80}}}\n}}\n" for i in range(n)),
                        encoding="utf-8")
        return path

    def peak(path):
        gc.collect()
        tracemalloc.start()
        try:
            assert cli.main(["bib", "--each", str(path), "--style", style]) == 0
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            out = capsys.readouterr().out
            assert out.count("\n") == int(path.stem[4:])

    small, large = bib(300), bib(1200)
    peak(small)  # imports and caches are not counted
    grown = peak(large) - peak(small)
    # 900 more entries of about 560 bytes: holding the items (1.5 KB each, 1.3 MB) would show;
    # both runs fill the output's buffer of 256 lines. What grows (200 to 340 KB measured) is
    # partly the tables of ids and keys kept (16-byte slots, doubled as they fill)
    assert grown < 640 * 1024, grown
