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
