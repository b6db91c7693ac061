"""readers.iter_load: references read one at a time, in memory that does not grow with the file."""

from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

import pytest

import citekit.readers.bibtex as bibtex_reader
from citekit.readers import Problem, ReaderError, iter_load, load

DATA = Path(__file__).parent / "data" / "readers"


def _split(found: list) -> tuple[list[dict], list[Problem]]:
    items = [f for f in found if not isinstance(f, Problem)]
    problems = [f for f in found if isinstance(f, Problem)]
    return items, problems


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, str(p)))


@pytest.mark.parametrize("name", ["references.bib", "malformed.bib", "references.ris", "malformed.ris"])
def test_stream_gives_what_load_gives(name):
    path = DATA / name
    whole = load(path)
    items, problems = _split(list(iter_load(path)))
    assert items == whole.items
    assert _by_line(problems) == _by_line(whole.problems)
    # the text itself (a str), in pieces of a few entries
    text_items, text_problems = _split(list(iter_load(path.read_text(encoding="utf-8"), name=str(path))))
    assert text_items == whole.items and _by_line(text_problems) == _by_line(whole.problems)


@pytest.mark.parametrize("name", ["references.bib", "malformed.bib"])
def test_stream_in_small_pieces(monkeypatch, name):
    path = DATA / name
    whole = load(path)
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 40)  # a new piece at nearly every entry
    items, problems = _split(list(iter_load(path)))
    assert items == whole.items
    assert [(p.line, p.key, p.skipped) for p in _by_line(problems)] == \
        [(p.line, p.key, p.skipped) for p in _by_line(whole.problems)]


def _json_items() -> list:
    items = json.loads((DATA / "references.bib.json").read_text(encoding="utf-8"))
    items = items if isinstance(items, list) else items["items"]
    items[3] = {**items[3], "issued": "not a date"}  # a problem the door reports
    items[4] = {k: v for k, v in items[4].items() if k != "id"}  # an id to make up
    return items + ["not an item"]


@pytest.mark.parametrize("shape", ["pretty", "compact", "lines"])
def test_stream_json(tmp_path, shape):
    items = _json_items()
    path = tmp_path / ("refs.jsonl" if shape == "lines" else "refs.json")
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n" if shape == "lines"
                    else json.dumps(items, indent=2 if shape == "pretty" else None), encoding="utf-8")
    whole = load(path)
    assert len(whole.items) == len(items) - 1
    found, problems = _split(list(iter_load(path)))
    assert found == whole.items
    assert _by_line(problems) == _by_line(whole.problems)
    if shape != "compact":  # each item's problems at its own line
        assert {p.line for p in problems} == {whole.problems[0].line, whole.problems[1].line}
        assert whole.problems[0].line > 1


def test_json_lines_keep_going_after_a_bad_line(tmp_path):
    path = tmp_path / "refs.jsonl"
    path.write_text('{"id": "a", "type": "book", "title": "A"}\n{"id": "b", "title": \n'
                    '{"id": "c", "type": "book", "title": "C"}\n', encoding="utf-8")
    items, problems = _split(list(iter_load(path)))
    assert [i["id"] for i in items] == ["a", "c"]
    assert [(p.line, p.skipped) for p in problems] == [(2, True)]
    assert load(path).items == items  # load() reads JSON Lines too


def test_broken_json_array_stops_at_the_break():
    text = '[{"id": "a", "type": "book", "title": "A"},\n {"id": "b", "type": "book", "title": },\n {"id": "c"}]'
    items, problems = _split(list(iter_load(text)))
    assert [i["id"] for i in items] == ["a"]
    assert len(problems) == 1 and problems[0].line == 2 and problems[0].message.startswith("not valid JSON")


def test_forward_crossref_and_xdata(monkeypatch):
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 60)  # child and parents in different pieces
    text = ("@inbook{c1, title = {Chapter}, crossref = {book}, pages = {1--9}}\n"
            "@misc{filler, title = {Something between}}\n"
            "@inbook{c2, title = {Other}, xdata = {pub}, crossref = {Book}}\n"
            "@book{book, title = {The Book}, editor = {Smith, Ann}, year = 2001, xdata = {pub}}\n"
            "@xdata{pub, publisher = {Oxford University Press}, location = {Oxford}}\n")
    items, problems = _split(list(iter_load(text, "bibtex")))
    assert problems == []
    by_id = {i["id"]: i for i in items}
    assert list(by_id) == ["c1", "filler", "c2", "book"]
    assert by_id["c1"]["container-title"] == "The Book" and by_id["c1"]["publisher"] == "Oxford University Press"
    assert by_id["c1"]["issued"] == {"date-parts": [[2001]]} and by_id["c1"]["editor"][0]["family"] == "Smith"
    assert by_id["c2"]["publisher-place"] == "Oxford" and by_id["c2"]["container-title"] == "The Book"
    assert items == load(text, "bibtex").items


def test_malformed_entry_in_the_middle(tmp_path, monkeypatch):
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 200)
    entries = [f"@article{{a{i},\n  title = {{Title {i}}},\n  journal = {{J}},\n  year = 2000\n}}\n" for i in range(40)]
    entries[20] = "@article{broken,\n  title = {Unclosed,\n  year = 2000\n\n"
    path = tmp_path / "refs.bib"
    path.write_text("".join(entries), encoding="utf-8")
    items, problems = _split(list(iter_load(path)))
    assert [i["id"] for i in items] == [f"a{i}" for i in range(40) if i != 20]
    assert len(problems) == 1
    assert problems[0].line == 1 + 5 * 20 and problems[0].key == "broken" and problems[0].skipped


def _big(n: int) -> str:
    # entries of about 1 KB, most of it in a field no reader maps, so that reading is quick;
    # every 25th names a parent further on, and the first is everybody's parent
    pad = "x" * 900
    return "".join(f"@misc{{m{i},\n  title = {{Title {i}}},\n  year = {{2000}},\n"
                   f"  crossref = {{m{i + 3 if i % 25 == 0 else 0}}},\n  file = {{{pad}}}\n}}\n"
                   for i in range(1, n + 1)) + "@misc{m0, publisher = {P}}\n"


def _traced_peak(path: Path) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        count = sum(1 for found in iter_load(path) if not isinstance(found, Problem))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 1 << 14)
    small, large = tmp_path / "small.bib", tmp_path / "large.bib"
    small.write_text(_big(80), encoding="utf-8")
    large.write_text(_big(800), encoding="utf-8")
    list(iter_load(small))  # the readers' imports are not counted
    count_small, peak_small = _traced_peak(small)
    count_large, peak_large = _traced_peak(large)
    assert (count_small, count_large) == (81, 801)
    per_entry = (peak_large - peak_small) / (800 - 80)
    # What grows is the keys and ids seen (to tell a repeated one), a few hundred bytes an
    # entry: not the text (about 1,000 bytes an entry), nor the items (load() holds
    # several kilobytes an entry).
    assert per_entry < 500, per_entry


def test_files_only_through_a_path():
    with pytest.raises(ReaderError, match="looks like a file name"):
        list(iter_load("refs.bib"))
    with pytest.raises(ReaderError, match="no such file"):
        list(iter_load(Path("no-such-file.bib")))
    with pytest.raises(ReaderError, match="no such file"):
        list(iter_load(path="no-such-file.bib"))


def test_other_formats_are_read_whole_and_yielded():
    text = "- id: a\n  type: book\n  title: A\n- id: b\n  type: book\n  title: B\n  issued: not a date\n"
    items, problems = _split(list(iter_load(text, "yaml")))
    whole = load(text, "yaml")
    assert items == whole.items and problems == whole.problems


# --------------------------------------------------------------------------- streams, lines not UTF-8, bounds


@pytest.mark.parametrize("name", ["references.bib", "malformed.bib", "references.ris", "references.bib.json"])
def test_a_binary_stream_gives_what_the_file_gives(name):
    import io

    path = DATA / name
    from_file = list(iter_load(path))
    from_stream = list(iter_load(io.BytesIO(path.read_bytes()), name=str(path)))
    assert from_stream == from_file


def test_a_stream_is_read_as_it_comes():
    """JSON Lines from a pipe: each item is yielded before the next line is read."""
    import io

    lines = [json.dumps({"id": f"i{n}", "type": "book", "title": f"T{n}"}).encode() + b"\n" for n in range(50)]
    served = []

    class Pipe(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            if len(served) == len(lines):
                return 0
            line = lines[len(served)]
            served.append(line)
            buffer[:len(line)] = line
            return len(line)

    pipe = io.BufferedReader(Pipe(), buffer_size=64)
    ahead = []
    for found in iter_load(pipe, name="<stdin>"):
        ahead.append(len(served) - int(found["id"][1:]))
    assert len(ahead) == 50 and max(ahead) <= 2  # the line it reads to tell the format, and the one after


NOT_UTF8 = {
    "bib": lambda n: "".join(f"@book{{k{i}, title = {{Caf\u00e9 {i}}}, year = 2001}}\n" for i in range(n)),
    "ris": lambda n: "".join(f"TY  - BOOK\nID  - k{i}\nTI  - Caf\u00e9 {i}\nER  - \n" for i in range(n)),
    "jsonl": lambda n: "".join(json.dumps({"id": f"k{i}", "type": "book", "title": f"Caf\u00e9 {i}"},
                                          ensure_ascii=False) + "\n" for i in range(n)),
    "yaml": lambda n: "".join(f"- id: k{i}\n  type: book\n  title: Caf\u00e9 {i}\n" for i in range(n)),
}


@pytest.mark.parametrize("ext", sorted(NOT_UTF8))
def test_one_rule_for_lines_not_utf8_in_load_and_iter_load(ext, tmp_path):
    """Each line that is not UTF-8 is read as Windows-1252; the first five are reported at
    their lines, the others counted in one problem: the same in load() (which reads
    CSL-YAML whole) and iter_load (which streams the others), from a file or a stream."""
    import io

    text = NOT_UTF8[ext](8)
    path = tmp_path / f"refs.{ext}"
    path.write_bytes(text.encode("cp1252"))
    bad = [n for n, line in enumerate(text.splitlines(), 1) if "Caf" in line]
    expected = [f"{path}:{n}: not UTF-8 on line {n}; that line was read as Windows-1252" for n in bad[:5]]
    expected.append(f"{path}:{bad[5]}: not UTF-8 on 3 more lines from line {bad[5]} on; those lines were read "
                    "as Windows-1252")
    whole = load(path)
    assert [str(p) for p in whole.problems] == expected
    assert [i["title"] for i in whole.items] == [f"Caf\u00e9 {i}" for i in range(8)]
    for found in (list(iter_load(path)), list(iter_load(io.BytesIO(path.read_bytes()), name=str(path)))):
        items, problems = _split(found)
        assert items == whole.items
        assert [str(p) for p in problems] == expected


def test_streamed_lines_not_utf8_are_reported_where_they_are_met(tmp_path):
    path = tmp_path / "refs.jsonl"
    lines = [json.dumps({"id": f"k{i}", "type": "book", "title": f"Caf\u00e9 {i}" if i == 2 else f"T{i}"},
                        ensure_ascii=False) for i in range(5)]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    found = list(iter_load(path))
    assert [f["id"] if isinstance(f, dict) else f.line for f in found] == ["k0", "k1", 3, "k2", "k3", "k4"]


def test_a_line_over_the_limit_is_not_read(tmp_path):
    from citekit.readers import Limits

    path = tmp_path / "refs.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"k{i}", "type": "book", "title": "T" * (i * 600)})
                              for i in range(1, 4)) + "\n", encoding="utf-8")
    items, problems = _split(list(iter_load(path, limits=Limits(line_bytes=1000))))
    assert [i["id"] for i in items] == ["k1"]
    assert [(p.line, p.skipped) for p in problems] == [(2, True), (3, True)]
    assert "over the 1,000 a line may have" in problems[0].message


def test_the_ids_kept_are_bounded(tmp_path):
    from citekit.readers import Limits

    path = tmp_path / "refs.jsonl"
    records = [{"id": f"k{i % 60}", "type": "book", "title": "T"} for i in range(120)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items, problems = _split(list(iter_load(path)))
    assert [i["id"] for i in items[58:62]] == ["k58", "k59", "k0-2", "k1-2"] and len(problems) == 60
    items, problems = _split(list(iter_load(path, limits=Limits(stream_ids=50))))
    # past 50 ids, the later ones are no longer compared with the earlier ones: said once
    assert [i["id"] for i in items[58:62]] == ["k58", "k59", "k0-2", "k1-2"]
    assert [p.line for p in problems if "Limits.stream_ids" in p.message] == [51]
    assert sum("used twice" in p.message for p in problems) == 50  # k0..k49 seen; k50..k59 not kept
    assert load(path).items == _split(list(iter_load(path)))[0]  # load() compares them all


def test_keys_table():
    from citekit.readers import _Keys

    keys = _Keys()
    for i in range(5000):  # grows several times
        assert keys.add(f"key{i}", i)
    assert all(keys.get(f"key{i}") == i for i in range(5000)) and keys.get("other") is None
    assert "key42" in keys and "key5000" not in keys and keys.count == 5000
    assert len(keys._table) * 8 <= 16 * 5000 * 8 / 3  # 16 bytes a slot, at least 3/8 of the slots used
    small = _Keys(limit=3)
    assert [small.add(k) for k in "abcd"] == [True, True, True, False] and "d" not in small
    assert small.add("a", 7) and small.get("a") == 7  # a key kept already is updated


def test_memory_does_not_grow_with_json_lines(tmp_path):
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    for path, n in ((small, 500), (large, 5000)):
        path.write_text("".join(json.dumps({"id": f"r{i}", "type": "book", "title": f"Title {i}", "note": "x" * 400})
                                + "\n" for i in range(n)), encoding="utf-8")
    list(iter_load(small))
    count_small, peak_small = _traced_peak(small)
    count_large, peak_large = _traced_peak(large)
    assert (count_small, count_large) == (500, 5000)
    # 4,500 more lines of 500 bytes (2.2 MB): what grows is the ids' table, 16 bytes a slot
    assert (peak_large - peak_small) / 4500 < 64, peak_large - peak_small


def test_parents_are_let_go_once_their_children_are_read(tmp_path, monkeypatch):
    """Every other entry is a parent (a book and its chapter, as in real files): a parent
    is kept only until the entries that name it are read, so memory does not grow with
    the number of parents either."""
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 1 << 14)
    pad = "x" * 900

    def write(path, n):
        path.write_text("".join(f"@book{{b{i}, title = {{Book {i}}}, year = 2001, publisher = {{P}}, note = {{{pad}}}}}\n"
                                f"@inbook{{c{i}, title = {{Chapter {i}}}, crossref = {{b{i}}}}}\n"
                                for i in range(n)), encoding="utf-8")

    small, large = tmp_path / "small.bib", tmp_path / "large.bib"
    write(small, 100)
    write(large, 1000)
    items = [f for f in iter_load(large) if not isinstance(f, Problem)]
    assert items[1]["container-title"] == "Book 0" and items[-1]["container-title"] == "Book 999"
    assert items == load(large).items
    count_small, peak_small = _traced_peak(small)
    count_large, peak_large = _traced_peak(large)
    assert (count_small, count_large) == (200, 2000)
    # kept, each parent would be more than 1,000 bytes an entry
    assert (peak_large - peak_small) / 1800 < 300, peak_large - peak_small
