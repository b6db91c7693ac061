"""Issue 12, reader side: hostile files of a few kilobytes neither hang nor blow up.

Each reproducer from the issue is read here and must give a clear problem that names
the limit (or the correct result) with bounded work and memory. Work is checked by
counting (merges, nodes, attributes handed to libxml2) and memory with tracemalloc,
never with a clock.
"""

from __future__ import annotations

import tracemalloc

import lxml.html
import pytest

from citekit.readers import Limits, load
from citekit.readers import bibtex as bibtex_reader
from citekit.readers.html import _cap_attributes, extract

MB = 1024 * 1024


def _peak(fn):
    """(result, peak bytes allocated while fn ran)."""
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def merges(monkeypatch):
    """Counts the entries whose inherited fields the BibTeX reader merges."""
    calls: list[str] = []
    original = bibtex_reader._Inheritance._merge

    def counting(self, key, parents):
        calls.append(key)
        return original(self, key, parents)

    monkeypatch.setattr(bibtex_reader._Inheritance, "_merge", counting)
    return calls


# --------------------------------------------------------------------------- BibTeX


def _xdata_fanout(levels: int) -> str:
    lines = ["@xdata{x0, publisher={Fan Press}}"]
    lines += [f"@xdata{{x{i}, xdata={{x{i - 1},x{i - 1}}}}}" for i in range(1, levels)]
    lines.append(f"@book{{b, xdata={{x{levels - 1}}}, title={{T}}, author={{Roe, Rick}}, year=2002}}")
    return "\n".join(lines)


def test_xdata_fanout_is_merged_once_per_entry(merges):
    text = _xdata_fanout(20)
    assert len(text) < 700  # the 650-byte file: 20.8 s before
    result, peak = _peak(lambda: load(text, "bibtex"))
    assert result.problems == []
    assert result.items[0]["publisher"] == "Fan Press"
    assert sorted(merges) == sorted({f"x{i}" for i in range(20)} | {"b"})  # 21 merges, not 2**20
    assert peak < 8 * MB


def test_xdata_fanout_forty_levels(merges):
    # 11 minutes and 5 GB before.
    result, peak = _peak(lambda: load(_xdata_fanout(40), "bibtex"))
    assert result.problems == [] and result.items[0]["publisher"] == "Fan Press"
    assert len(merges) == 41
    assert peak < 8 * MB


def test_string_doubling_is_cut_at_the_limit():
    lines = ['@string{s0="ab"}'] + [f"@string{{s{i}=s{i - 1}#s{i - 1}}}" for i in range(1, 40)]
    lines.append("@book{b,title=s39,author={Roe, Rick},year=2002}")
    text = "\n".join(lines)
    assert len(text) < 900  # the 806-byte file: 5.3 GB before
    result, peak = _peak(lambda: load(text, "bibtex"))
    assert peak < 64 * MB
    assert len(result.items) == 1
    assert len(result.items[0].get("title", "")) <= Limits().bibtex_value_chars
    messages = [str(p) for p in result.problems]
    assert any("limit bibtex_value_chars" in m and "@string s19" in m for m in messages)
    assert any("limit bibtex_macro_chars" in m for m in messages)
    assert all(":" in m.split(" ")[0] for m in messages)  # each names its line


def test_macro_budget_is_configurable_and_names_the_record():
    # A 1,024-character macro (ten doublings) used by 100 entries: 100 KB from 4 KB.
    lines = ['@string{s0="x"}'] + [f"@string{{s{i}=s{i - 1}#s{i - 1}}}" for i in range(1, 11)]
    lines += [f"@misc{{m{i}, title = s10, year = 2000}}" for i in range(100)]
    text = "\n".join(lines)
    assert load(text, "bibtex", limits=Limits(bibtex_macro_chars=200_000)).problems == []
    limits = Limits(bibtex_macro_chars=1)
    budget = limits.macro_budget(len(text))  # the budget never falls below one per character of the file
    assert budget == len(text)
    result = load(text, "bibtex", limits=limits)
    assert len(result.items) == 100
    assert sum(len(i.get("title", "")) for i in result.items) <= budget
    over = [p for p in result.problems if "limit bibtex_macro_chars" in p.message]
    assert over[0].key == f"m{budget // 1024 - 2}" and over[0].line == budget // 1024 + 10


def test_value_limit_is_configurable():
    text = '@string{z = "z"}\n@misc{m, title = {' + "y" * 300 + '} # z, year = 2000}\n' \
           '@misc{n, title = {' + "y" * 300 + '}, year = 2000}'
    result = load(text, "bibtex", limits=Limits(bibtex_value_chars=100))
    assert len(result.items[0]["title"]) == 100
    assert [p.key for p in result.problems if "limit bibtex_value_chars" in p.message] == ["m"]
    assert len(result.items[1]["title"]) == 300  # no macro: as long as the file holds it


def _chain(length: int, link: str = "crossref") -> str:
    lines = ["@book{c0, title = {Root Title}, publisher = {Chain Press}, year = 2000}"]
    for i in range(1, length):
        lines.append(f"@book{{c{i}, {link} = {{c{i - 1}}}, author = {{Roe, Rick}}}}")
    return "\n".join(lines)


@pytest.mark.parametrize("link", ["crossref", "xdata"])
def test_a_chain_longer_than_32_is_not_a_cycle(link):
    result = load(_chain(60, link), "bibtex")
    assert result.problems == []
    deepest = next(i for i in result.items if i["id"] == "c59")
    assert deepest["publisher"] == "Chain Press"


def test_a_long_cycle_is_reported_as_a_cycle(merges):
    lines = [f"@book{{c{i}, crossref = {{c{(i + 1) % 50}}}, title = {{T{i}}}}}" for i in range(50)]
    result = load("\n".join(lines), "bibtex")
    assert len(result.items) == 50
    cycles = [p for p in result.problems if "cycle" in p.message]
    assert len(cycles) == 1 and "own ancestor" in cycles[0].message
    assert len(merges) == 50


def test_chain_depth_limit_names_itself():
    result = load(_chain(30), "bibtex", limits=Limits(bibtex_chain_depth=10))
    over = [p for p in result.problems if "limit bibtex_chain_depth" in p.message]
    assert [p.key for p in over] == ["c10", "c20"]
    assert over[0].line == 11
    by_id = {i["id"]: i for i in result.items}
    assert by_id["c9"]["publisher"] == "Chain Press" and "publisher" not in by_id["c10"]


def test_inherited_fields_budget(merges):
    # Fan-in: every child inherits the 200 fields of one parent; the budget stops the copying.
    parent = "@misc{p, " + ", ".join(f"f{i} = {{v}}" for i in range(200)) + ", title = {P}}"
    children = "\n".join(f"@misc{{k{i}, crossref = {{p}}}}" for i in range(300))
    text = parent + "\n" + children
    limits = Limits(bibtex_inherited_fields=10_000)
    assert limits.inheritance_budget(len(text)) == 10_000
    result = load(text, "bibtex", limits=limits)
    assert len(result.items) == 301
    over = [p for p in result.problems if "limit bibtex_inherited_fields" in p.message]
    assert over and over[0].key == "k49"  # 49 children of 201 fields, then the budget is spent
    assert len(merges) == 301


def test_limits_are_checked():
    with pytest.raises(ValueError, match="yaml_alias_nodes"):
        Limits(yaml_alias_nodes=0)
    with pytest.raises(ValueError, match="html_attributes"):
        Limits(html_attributes="many")


# --------------------------------------------------------------------------- YAML


def _alias_bomb(field: str = "custom", width: int = 9, depth: int = 9) -> str:
    items = ", ".join(["x"] * width)
    lines = ["- id: bomb", "  type: book", "  title: Bomb", f"  {field}:", f"    a0: &a0 [{items}]"]
    for level in range(1, depth):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"    a{level}: &a{level} [{refs}]")
    lines += ["- id: fine", "  type: book", "  title: Fine"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("field", ["custom", "unknown-field"])
def test_yaml_alias_bomb_is_refused(field):
    text = _alias_bomb(field)
    assert len(text) < 900  # the 756-byte file: past 3.9 GB before
    result, peak = _peak(lambda: load(text, "yaml"))
    assert peak < 16 * MB
    assert [r.id for r in result.references] == ["fine"]
    (problem,) = result.problems
    assert "limit yaml_alias_nodes" in problem.message and problem.skipped
    assert problem.line == 1 and problem.key == "#1"
    assert result.references[0].to_csl()["title"] == "Fine"


def test_yaml_aliases_within_the_limit_are_read():
    text = _alias_bomb(width=3, depth=3)
    result = load(text, "yaml")
    assert result.problems == []
    bomb = next(i for i in result.items if i["id"] == "bomb")
    assert bomb["custom"]["a2"] == [[["x"] * 3] * 3] * 3
    small = load(text, "yaml", limits=Limits(yaml_alias_nodes=10))
    assert [p.key for p in small.problems] == ["#1"]


def test_self_referring_yaml_alias_is_refused():
    result = load("- &a\n  id: loop\n  type: book\n  title: Loop\n  custom: *a\n", "yaml")
    assert result.references == []
    assert "limit yaml_alias_nodes" in result.problems[0].message


def test_yaml_number_too_large_is_a_problem_not_an_exception():
    text = f"- id: huge\n  type: book\n  title: H\n  volume: {'9' * 5000}\n- id: ok\n  type: book\n  title: O\n"
    result = load(text, "yaml")
    assert [r.id for r in result.references] == ["ok"]
    (problem,) = result.problems
    assert problem.key == "#1" and problem.line == 1 and "4,300 digits" in problem.message


# --------------------------------------------------------------------------- HTML


def _many_attributes(count: int) -> str:
    attributes = " ".join(f"a{i}=x" for i in range(count))
    return (f"<html><head><title>Many attributes</title>"
            f'<meta name="citation_title" content="Real Title"></head>'
            f"<body><div {attributes}>text</div></body></html>")


@pytest.mark.parametrize("count", [80_000, 300_000])
def test_html_attributes_are_capped_before_libxml2(count):
    page = _many_attributes(count)
    capped, cut = _cap_attributes(page.encode(), Limits().html_attributes)
    assert cut == [(1, count)]
    root = lxml.html.document_fromstring(capped)
    assert max(len(el.attrib) for el in root.iter()) == Limits().html_attributes
    assert len(capped) < 5_000
    problems: list[str] = []
    item, peak = _peak(lambda: extract(page, problems=problems))
    assert peak < 6 * MB + 2 * len(page)  # the page and its UTF-8 bytes (+ imports): no per-attribute objects
    assert item["title"] == "Real Title"
    assert problems == [f"line 1: an element with {count:,} attributes; only the first 256 are read "
                        "(limit html_attributes)"]


def test_html_attribute_cap_through_load():
    result = load(_many_attributes(1_000), "html", limits=Limits(html_attributes=10))
    assert result.items[0]["title"] == "Real Title"
    assert ["limit html_attributes" in p.message for p in result.problems] == [True]


@pytest.mark.parametrize("hiding", [
    '<script>a<b x="</script>{tag}"',           # a quote in script text does not hide a tag
    "<!-- x --!>{tag}<!-- -->",                 # HTML5 ends a comment at --!>
    "<title><x a b c d></title>{tag}",          # raw text ends at its end tag
    "<textarea></TEXTAREA >{tag}",
])
def test_html_attribute_scan_sees_every_tag(hiding):
    tag = "<div " + " ".join(f"a{i}" for i in range(20)) + ">"
    capped, cut = _cap_attributes(hiding.format(tag=tag).encode(), 5)
    assert [count for _, count in cut] == [20]
    assert b"a5" not in capped and b"a4" in capped


def test_html_attribute_scan_leaves_ordinary_pages_alone():
    page = (b'<html lang="en"><head><meta name="citation_title" content="a > b, &quot;c&quot;">'
            b"<script>if (a<b && c>d) {}</script><!-- <div> --></head><body x=1 y='2' z=\"3\">"
            b"</body></html>")
    assert _cap_attributes(page, 3) == (page, [])


# --------------------------------------------------------------------------- the command


def test_command_reads_hostile_bib_and_front_matter(tmp_path, capsys):
    from citekit.cli import main

    bib = tmp_path / "fan.bib"
    bib.write_text(_xdata_fanout(40), encoding="utf-8")
    (result, peak) = _peak(lambda: main(["bib", str(bib), "--style", "apa"]))
    out, err = capsys.readouterr()
    assert result == 0 and "Fan Press" in out and err == ""
    assert peak < 32 * MB

    page = tmp_path / "bomb.md"
    page.write_text("---\nreferences:\n" + "".join("  " + line + "\n" for line in
                                                  _alias_bomb().splitlines()) + "---\nText.\n",
                    encoding="utf-8")
    (result, peak) = _peak(lambda: main(["bib", str(page), "--style", "apa"]))
    out, err = capsys.readouterr()
    assert result == 1  # a record was skipped
    assert "Fine" in out and "Bomb" not in out
    assert "limit yaml_alias_nodes" in err and "bomb.md:3: #1" in err
    assert peak < 32 * MB


def test_latex_url_in_math_does_not_become_markup():
    # Found by the fuzzer: pylatexenc writes \url{x} as "<x>" where citekit does not handle it itself.
    result = load(r"@misc{m, title = {See $\url{http://e.org}$ and \href{http://e.org}{here}}, year = 2000}",
                  "bibtex")
    title = result.items[0]["title"]
    assert "<" not in title.replace('<span class="nocase">', "").replace("</span>", "")
    assert "http://e.org" in title and "here" in title


# --------------------------------------------------------------------------- streaming


@pytest.mark.parametrize("name", ["references.bib", "malformed.bib"])
def test_bib_read_in_pieces_equals_bib_read_whole(monkeypatch, name):
    from pathlib import Path

    path = Path(__file__).parent / "data" / "readers" / name
    whole = load(path)
    monkeypatch.setattr(bibtex_reader, "_CHUNK", 40)  # a new piece at nearly every entry
    pieces = load(path)
    assert pieces.items == whole.items
    assert [(p.line, p.key, p.skipped) for p in pieces.problems] == \
        [(p.line, p.key, p.skipped) for p in whole.problems]


def test_big_bib_is_parsed_in_pieces(monkeypatch):
    seen: list[int] = []
    original = bibtex_reader._blocks

    def spying(text, chunk=None):
        import bibtexparser

        real = bibtexparser.parse_string

        def parse_piece(piece, **kw):
            seen.append(len(piece))
            return real(piece, **kw)

        monkeypatch.setattr(bibtexparser, "parse_string", parse_piece)
        yield from original(text, 10_000)

    monkeypatch.setattr(bibtex_reader, "_blocks", spying)
    text = "\n".join(f"@misc{{m{i}, title = {{Title {i}}}, year = 2000}}" for i in range(3000))
    result = load(text, "bibtex")
    assert len(result.items) == 3000 and result.problems == []
    assert len(seen) > 10 and max(seen) < 10_100  # pieces, not the whole 130 KB at once
    assert result.items[2999]["title"] == "Title 2999"


def test_many_elements_over_the_attribute_limit():
    element = "<i " + " ".join(f"a{i}" for i in range(300)) + "></i>\n"
    page = "<html><head><title>Many</title></head><body>" + element * 500 + "</body></html>"
    capped, cut = _cap_attributes(page.encode(), 256)
    assert [line for line, _ in cut] == list(range(1, 501)) and {n for _, n in cut} == {300}
    root = lxml.html.document_fromstring(capped)
    assert max(len(el.attrib) for el in root.iter()) == 256
    problems: list[str] = []
    assert extract(page, problems=problems)["title"] == "Many"
    assert problems == ["line 1: an element with 300 attributes; only the first 256 are read "
                        "(limit html_attributes); the same for 499 more elements"]


def test_yaml_items_sharing_one_big_anchor_are_charged():
    # One anchor of 2,000 nodes, then 200 items that alias it: 400,000 nodes once expanded.
    big = "[" + ", ".join(f"v{i}" for i in range(2000)) + "]"
    lines = [f"- {{id: i0, type: book, title: T, custom: {{list: &big {big}}}}}"]
    lines += [f"- {{id: i{k}, type: book, title: T, custom: {{list: *big}}}}" for k in range(1, 200)]
    result = load("\n".join(lines) + "\n", "yaml")
    kept = len(result.references)
    assert 1 < kept < 200
    assert kept - 1 <= Limits().yaml_alias_nodes // 2000 + 1  # each alias adds its 2,000 nodes and more
    assert all("limit yaml_alias_nodes" in p.message for p in result.problems)
    assert len(result.problems) == 200 - kept


def test_json_number_too_large_is_a_problem():
    result = load('[{"id": "a", "type": "book", "title": "T", "volume": ' + "9" * 5000 + "}]", "json")
    assert result.references == []
    assert [p.message for p in result.problems] == [
        "not valid JSON: a number with more than 4,300 digits (write it as a string)"]


def test_long_date_values_are_read_at_once():
    # Found by the fuzzer: the readers' old date patterns were quadratic on 4,000-digit values.
    from citekit.readers._common import date_or_literal

    tracemalloc.start()
    try:
        for value in ("9" * 100_000, "2006/" + "1" * 100_000, "2006-" + "9" * 100_000):
            date_or_literal(value)
        result = load("TY  - JOUR\nTI  - x\nDA  - " + "9" * 100_000 + "\nER  - \n", "ris")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.problems and peak < 16 * MB  # reported (the door refuses it), in one pass
