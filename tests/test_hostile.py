"""Hostile input, round two (issue 12): every reproducer of the issue's engine, API and
command side, each ending in correct output or one of citekit's own errors, with work
bounded by the documented limits (docs/limits.md), never by a clock.

The readers' side of the issue (BibTeX, YAML, HTML pages, load()) is tested with them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

import citekit
from citekit.cli import main as cli_main
from citekit.csl import FORMATS, StyleError, parse_style, process
from citekit.csl.limits import LIMITS, limits
from citekit.errors import CitekitError, ItemError, LocaleNotFound, StyleNotFound

CSL = 'xmlns="http://purl.org/net/xbiblio/csl" version="1.0"'
INFO = "<info><title>Hostile</title><id>hostile</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
BOOK = {"id": "b1", "type": "book", "title": "A Title", "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[2001]]}}
OTHER = {"id": "b2", "type": "book", "title": "Another", "author": [{"family": "Roe", "given": "Rich"}],
         "issued": {"date-parts": [[1999]]}}
BIG = "9" * 5000  # past Python's 4,300-digit int/str limit


def style_xml(body: str, *, attrs: str = "", cls: str = "in-text") -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<style {CSL} class="{cls}" {attrs}>{INFO}{body}</style>\n'


def both(style, items, fmt="text"):
    """Citation of the first item and the whole bibliography, as one string."""
    result = citekit.render(style, items, [[{"id": items[0]["id"]}]], format=fmt)
    return "\n".join([*result.citations, *(e.text for e in result.bibliography)]), result


def exponential_style(levels: int, fan: int = 2) -> str:
    """Macros that each call the next `fan` times: 2.7 KB for 40 levels, 2^40 calls."""
    macros = "".join(f'<macro name="m{i}">' + f'<text macro="m{i + 1}"/>' * fan + "</macro>" for i in range(levels))
    macros += f'<macro name="m{levels}"><text variable="title"/></macro>'
    return style_xml(macros + '<citation><layout><text macro="m0"/></layout></citation>'
                     '<bibliography><layout><text macro="m0"/></layout></bibliography>')


# --- crashes: digits that int() refuses ---------------------------------------------------------

@pytest.mark.parametrize("style", ["apa", "mla", "chicago"])
@pytest.mark.parametrize("title", ["10²", "① Things", "Chapter ²³", "x ⑳ y"])
def test_unicode_digits_in_titles_sort_and_print(style, title):
    text, _ = both(style, [{**BOOK, "title": title}, {**OTHER, "author": BOOK["author"], "title": "10"}])
    assert all(ch in text for ch in title if not ch.isascii())


@pytest.mark.parametrize("issued", [
    {"date-parts": [[2001]], "season": "²"},
    {"date-parts": [[2001]], "season": "①"},
    {"raw": "① 2001"},
    {"raw": "2001²"},
    {"date-parts": [["2001²", "①"]]},
    {"date-parts": [[2001, "²", "③"]]},
])
def test_unicode_digits_in_dates_and_seasons(issued):
    text, _ = both("apa", [{**BOOK, "issued": issued}, OTHER])
    assert "Doe" in text


def test_a_sort_key_of_unicode_digits_sorts_as_text():
    style = style_xml('<macro name="t"><text variable="title"/></macro>'
                      '<citation><layout><text variable="title"/></layout></citation>'
                      '<bibliography><sort><key macro="t"/></sort><layout><text variable="title"/></layout></bibliography>')
    result = citekit.render(style, [{"id": "a", "title": "10²"}, {"id": "b", "title": "9"}, {"id": "c", "title": "10"}])
    assert [e.text for e in result.bibliography] == ["9", "10", "10²"]


# --- crashes: numbers past 4,300 digits -------------------------------------------------------------

@pytest.mark.parametrize("field", ["volume", "edition", "page", "issue", "number", "number-of-pages",
                                   "chapter-number", "collection-number"])
@pytest.mark.parametrize("style", ["apa", "chicago", "ieee"])
def test_numbers_of_thousands_of_digits_are_text(field, style):
    text, _ = both(style, [{**BOOK, "type": "article-journal", field: BIG, "container-title": "J"}, OTHER])
    assert "Doe" in text


@pytest.mark.parametrize("page", [f"{BIG}-{BIG}1", f"1-{BIG}", f"{BIG}–12", f"{BIG}, {BIG}"])
def test_page_ranges_with_huge_numbers(page):
    style = style_xml('<citation><layout><text variable="page"/></layout></citation>',
                      attrs='page-range-format="chicago"')
    text, _ = both(style, [{"id": "a", "page": page}])
    assert BIG[:200] in text and text[:1] == page[:1]


@pytest.mark.parametrize("year", [BIG, int(BIG[:4000]), float("inf"), float("nan"), 1e300, -(10 ** 200)])
def test_issued_years_past_the_limits(year):
    text, _ = both("apa", [{**BOOK, "issued": {"date-parts": [[year]]}}, OTHER])
    assert "Doe" in text


def test_a_python_int_too_long_to_print_is_left_out_with_a_warning():
    text, result = both("apa", [{**BOOK, "volume": int(BIG[:4000]) ** 2, "type": "article-journal"}])
    assert "Doe" in text
    assert any("LIMITS.max_digits" in w for w in result.warnings)


@pytest.mark.parametrize("attr", ["et-al-min", "et-al-use-first", "et-al-subsequent-min", "names-min",
                                  "near-note-distance"])
def test_numeric_style_attributes_of_thousands_of_digits(attr):
    where = "names-min" if attr == "names-min" else attr
    key = f'<sort><key variable="author" {where}="{BIG}"/></sort>' if attr == "names-min" else ""
    style = style_xml(f'<citation {"" if key else where + "=" + chr(34) + BIG + chr(34)}>{key}'
                      '<layout><names variable="author"/><text value="' + BIG + '"/></layout></citation>',
                      cls="note")
    text, _ = both(style, [BOOK, OTHER])
    assert "Jane Doe" in text and BIG in text


def test_number_form_ordinal_and_roman_of_a_huge_number():
    style = style_xml('<citation><layout><number variable="volume" form="ordinal"/><text value=" "/>'
                      '<number variable="edition" form="roman"/><text value=" "/>'
                      '<number variable="issue" form="long-ordinal"/></layout></citation>')
    text, _ = both(style, [{"id": "a", "volume": BIG, "edition": BIG, "issue": "2"}])
    assert text == f"{BIG} {BIG} second"


def test_a_json_number_literal_of_5000_digits_in_the_command(tmp_path, capsys):
    path = tmp_path / "big.json"
    path.write_text('{"id": "a", "type": "book", "title": "T", "volume": ' + BIG + "}")
    assert cli_main(["cite", str(path)]) == 1
    err = capsys.readouterr().err
    assert "more than 4,300 digits" in err and "internal error" not in err


def test_a_yaml_number_of_5000_digits_in_the_command(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text(f"id: a\ntype: book\ntitle: T\nvolume: {BIG}\n")
    assert cli_main(["cite", str(path)]) == 1
    err = capsys.readouterr().err
    assert "more than 4,300 digits" in err and "internal error" not in err


def test_a_validated_item_with_a_huge_number_is_an_item_error():
    with pytest.raises(ItemError, match="max_digits"):
        citekit.cite({**BOOK, "volume": int(BIG[:4000]) ** 2})
    with pytest.raises(ItemError, match="date-parts|max_digits"):
        citekit.cite({**BOOK, "issued": {"date-parts": [[int(BIG[:4000]) ** 2]]}})


# --- crashes: deep nesting ---------------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "<i>" * 1000 + "deep" + "</i>" * 1000,
    "<b><i>" * 600 + "deep",
    '<span class="nocase">' * 1000 + "deep" + "</span>" * 1000,
    '"a ' * 1000 + "deep",
    "“a ‘b " * 600 + "deep",
    "<sup>" * 3000 + "deep" + "</sup>" * 10,
])
@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_nested_a_thousand_deep_in_a_title(title, fmt):
    text, result = both("apa", [{**BOOK, "title": title}, OTHER], fmt)
    assert "deep" in text
    if title.startswith("<"):
        assert any("LIMITS.max_markup_depth" in w for w in result.warnings)


def test_markup_nested_a_thousand_deep_in_a_style_value():
    value = "&lt;i&gt;" * 1000 + "deep" + "&lt;/i&gt;" * 1000
    style = style_xml(f'<citation><layout><text value="{value}" text-case="title"/></layout></citation>'
                      f'<bibliography><layout><text value="{value}" font-style="italic"/></layout></bibliography>')
    for fmt in FORMATS:
        text, result = both(style, [BOOK], fmt)
        assert "deep" in text
    assert any("max_markup_depth" in w for w in result.warnings)


def test_nesting_within_limits_keeps_its_markup():
    title = "<i>" * LIMITS.max_markup_depth + "x" + "</i>" * LIMITS.max_markup_depth
    result = citekit.render(style_xml('<citation><layout><text variable="title"/></layout></citation>'),
                            [{"id": "a", "title": title}], [["a"]], format="html")
    assert "&#60;i&#62;" not in result.citations[0] and "x" in result.citations[0]
    assert not result.warnings


def test_a_thousand_slashes_in_a_raw_date():
    text, _ = both("apa", [{**BOOK, "issued": {"raw": "2001/" * 2000}}, OTHER])
    assert "Doe" in text


def test_a_deeply_nested_custom_field_is_an_item_error():
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(ItemError, match="max_item_depth"):
        citekit.cite({**BOOK, "custom": deep})
    text, _ = both("apa", [{**BOOK, "custom": deep}])  # render() does not read custom
    assert "Doe" in text
    doc = citekit.Document("apa", [{**BOOK, "custom": deep}])
    doc.add_items([{**BOOK, "custom": deep, "title": "Changed"}])
    assert "Changed" in doc.bibliography()[0].text


def test_a_document_item_with_an_id_too_long_to_print():
    doc = citekit.Document("apa", [{**BOOK, "id": int(BIG[:4000]) ** 2}])
    assert "Doe" in doc.bibliography()[0].text


# --- crashes: noteIndex --------------------------------------------------------------------------------

@pytest.mark.parametrize("note", [float("inf"), float("-inf"), float("nan"), 1e300, BIG, "Infinity", [1], {"a": 1},
                                  "3.0", -(10 ** 5000 // 10 ** 4800)])
def test_note_index_that_is_no_usable_number(note):
    result = citekit.render("chicago-fullnote-bibliography", [BOOK],
                            [{"citationItems": [{"id": "b1"}], "properties": {"noteIndex": note}}])
    assert result.citations and "Doe" in result.citations[0]


@pytest.mark.parametrize("note", [float("inf"), float("nan"), BIG])
def test_document_insert_cluster_with_an_infinite_note_index(note):
    doc = citekit.Document("chicago-fullnote-bibliography", [BOOK])
    updates = doc.insert_cluster({"citationID": "c1", "citationItems": [{"id": "b1"}],
                                  "properties": {"noteIndex": note}})
    assert updates and "Doe" in updates[0].text
    doc.insert_cluster({"citationID": "c2", "citationItems": [{"id": "b1"}], "properties": {"noteIndex": 2}})
    assert "Doe" in doc.citations[1]


# --- crashes: names the file system refuses ---------------------------------------------------------

@pytest.mark.parametrize("name", ["a" * 252, "a" * 300, "b" * 5000, "x" * 300 + ".csl", "dir/" + "y" * 300 + ".csl",
                                  "http://www.zotero.org/styles/" + "z" * 400])
def test_a_style_name_of_hundreds_of_characters(name):
    with pytest.raises(StyleNotFound):
        citekit.cite(BOOK, style=name)


@pytest.mark.parametrize("locale", ["a" * 252, "en-" + "b" * 300, "../../../etc/passwd", "de\x00DE", "en US"])
def test_a_locale_name_of_hundreds_of_characters(locale):
    # an unknown locale is a clear error (issue 11: never a silent fall-back), never an OSError
    with pytest.raises(LocaleNotFound):
        citekit.cite(BOOK, style="apa", locale=locale)
    assert "Doe" in citekit.cite(BOOK, style="apa", locale=None)


def test_the_locale_cache_of_a_style_stays_bounded():
    style = parse_style(style_xml('<citation><layout><text term="and"/></layout></citation>'))
    for i in range(3 * LIMITS.locale_cache_size):
        process(style, [BOOK], [["b1"]], locale=f"xx-{i}")
    assert len(style._locale_cache) <= LIMITS.locale_cache_size
    with limits(locale_cache_size=4):
        for i in range(20):
            process(style, [BOOK], [["b1"]], locale=f"yy-{i}")
        assert len(style._locale_cache) <= 4


# --- crashes: items that contain themselves ---------------------------------------------------------

def _self_containing(where: str) -> dict:
    item = dict(BOOK)
    if where == "id":
        item["id"] = item
    elif where == "custom":
        item["custom"] = item
    elif where == "custom-list":
        loop: list = []
        loop.append(loop)
        item["custom"] = {"loop": loop}
    else:
        item["author"] = [item]
    return item


@pytest.mark.parametrize("where", ["id", "custom", "custom-list", "author"])
def test_an_item_that_contains_itself(where):
    item = _self_containing(where)
    result = citekit.render("apa", [item], [[{"id": item["id"]}]] if where != "id" else None)
    assert result.bibliography and "Title" in result.bibliography[0].text
    with pytest.raises(ItemError, match="contains itself"):
        citekit.cite(item, "apa")
    with pytest.raises(ItemError, match="contains itself"):
        citekit.bibliography([item], "apa")
    doc = citekit.Document("apa", [item])
    assert "Title" in doc.bibliography()[0].text
    doc.add_items([item])  # the same item again: compared with the first, not recursed into
    doc.insert_cluster([{"id": doc.items[0]["id"] if isinstance(doc.items[0]["id"], str) else "x"}])
    assert "Title" in doc.bibliography()[0].text


# --- the command: closed and full outputs, surrogates ----------------------------------------------

def _run_citekit(args: list[str], shell_suffix: str = "", stdin: str | None = None):
    command = " ".join([f'"{sys.executable}"', "-m", "citekit", *args]) + shell_suffix
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, input=stdin,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture
def item_file(tmp_path):
    path = tmp_path / "item.json"
    path.write_text(json.dumps(BOOK))
    return path


def test_the_command_with_stdout_closed(item_file):
    done = _run_citekit(["cite", str(item_file)], " >&-")
    assert done.returncode == 1
    assert "standard output is closed" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_the_command_writing_to_dev_full(item_file):
    done = _run_citekit(["bib", str(item_file)], " > /dev/full")
    assert done.returncode == 1
    assert "No space left" in done.stderr and "Traceback" not in done.stderr


def test_the_command_with_a_lone_surrogate_in_a_json_title(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"id": "a", "type": "book", "title": "bad \\ud800 title"}')
    for fmt in ("text", "html"):
        done = _run_citekit(["cite", str(path), "--format", fmt])
        assert done.returncode == 0, done.stderr
        assert "bad \ufffd title" in done.stdout and "Traceback" not in done.stderr
    assert "bad \ufffd title" in citekit.cite({"id": "a", "type": "book", "title": "bad \ud800 title"})


def test_the_command_refuses_an_input_file_over_its_size_limit(item_file, capsys):
    assert cli_main(["--max-input-size", "20", "cite", str(item_file)]) == 1
    err = capsys.readouterr().err
    assert "--max-input-size" in err and "internal error" not in err
    LIMITS.max_input_size = type(LIMITS)().max_input_size
    assert cli_main(["--max-input-size", "1M", "cite", str(item_file)]) == 0
    LIMITS.max_input_size = type(LIMITS)().max_input_size


def test_the_command_refuses_too_much_stdin():
    done = _run_citekit(["--max-input-size", "100", "cite", "-"], stdin=json.dumps([BOOK] * 10))
    assert done.returncode == 1 and "--max-input-size" in done.stderr


# --- hangs: exponential styles --------------------------------------------------------------------

@pytest.mark.parametrize("levels", [18, 40, 140])
def test_macros_that_call_the_next_twice_stop_at_the_work_budget(levels):
    style = exponential_style(levels)
    assert levels < 40 or len(style) < 3000 or levels > 40
    with pytest.raises(StyleError, match="work budget.*LIMITS.work_factor"):
        citekit.render(style, [BOOK], [["b1"]])
    with pytest.raises(StyleError, match="work budget"):
        citekit.cite(BOOK, style=style)


def test_the_work_budget_counts_elements_not_time():
    """The budget is a count: raised far enough, the same style renders; lowered, a
    normal style stops. Official styles visit well under one element per element."""
    style = exponential_style(10)  # 2^10 calls
    assert citekit.render(style, [BOOK], [["b1"]]).citations == ["A Title" * 1024]
    with limits(min_work_budget=100, work_factor=1):
        with pytest.raises(StyleError, match="LIMITS.work_factor = 1 "):
            citekit.render(style, [BOOK], [["b1"]])
    apa = citekit.resolve_style("apa")
    assert apa.work_budget() >= LIMITS.work_factor * apa.element_count()


def test_fan_out_in_sort_keys_and_substitutes_is_bounded_too():
    levels = 40
    macros = "".join(f'<macro name="m{i}"><text macro="m{i + 1}"/><text macro="m{i + 1}"/></macro>'
                     for i in range(levels)) + f'<macro name="m{levels}"><text variable="title"/></macro>'
    style = style_xml(macros + '<citation><layout><names variable="editor"><substitute><text macro="m0"/>'
                               '</substitute></names></layout></citation><bibliography><sort><key macro="m0"/>'
                               '</sort><layout><text variable="title"/></layout></bibliography>')
    with pytest.raises(StyleError, match="work budget"):
        citekit.render(style, [BOOK, OTHER], [["b1"]])


def test_validate_warns_about_exponential_styles(tmp_path, capsys):
    path = tmp_path / "exponential.csl"
    path.write_text(exponential_style(40))
    assert cli_main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert "valid CSL" in captured.out
    assert "expand exponentially" in captured.err and "work budget" in captured.err
    assert cli_main(["validate", "apa", "chicago-fullnote-bibliography"]) == 0
    assert "exponentially" not in capsys.readouterr().err


def test_validate_reports_a_style_citekit_refuses(tmp_path, capsys):
    path = tmp_path / "loop.csl"
    path.write_text(style_xml('<macro name="a"><text macro="b"/></macro><macro name="b"><text macro="a"/></macro>'
                              '<citation><layout><text macro="a"/></layout></citation>'))
    assert cli_main(["validate", str(path)]) == 1
    assert "loop" in capsys.readouterr().out


# --- blow-ups: sizes ---------------------------------------------------------------------------------

def _peak_bytes(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_10_mb_title_in_mla_is_left_out_with_a_warning():
    title = "the lower case title " * 500_000  # 10.5 MB
    item = {**BOOK, "title": title}
    results = []
    peak = _peak_bytes(lambda: results.append(citekit.render("mla", [item], [["b1"]])))
    result = results[0]
    assert "Doe" in result.bibliography[0].text and "lower case" not in result.bibliography[0].text
    assert any("LIMITS.max_field_length" in w for w in result.warnings)
    assert peak < 20_000_000  # the title is never copied
    with pytest.raises(ItemError, match="title.*max_field_length"):
        citekit.cite(item, "mla")


def test_a_title_at_the_length_limit_is_title_cased():
    title = "the lower case title " * (LIMITS.max_field_length // 21)
    text = citekit.cite({**BOOK, "title": title.strip()}, "mla")
    assert text.count("Lower Case Title") == LIMITS.max_field_length // 21


def test_the_field_length_limit_is_configurable():
    with limits(max_field_length=5):
        result = citekit.render("apa", [BOOK])
    assert "A Title" not in result.bibliography[0].text
    assert "A Title" in citekit.render("apa", [BOOK]).bibliography[0].text
    with pytest.raises(TypeError, match="unknown limit"):
        with limits(no_such_limit=1):
            pass


def test_a_10_mb_style_is_refused_before_parsing(tmp_path):
    body = '<citation><layout>' + '<text variable="title" prefix="a"/>' * 300_000 + '</layout></citation>'
    xml = style_xml(body)
    assert len(xml) > 10_000_000
    peak = _peak_bytes(lambda: pytest.raises(StyleError, parse_style, xml))
    assert peak < 1_000_000
    with pytest.raises(StyleError, match="LIMITS.max_style_size"):
        citekit.render(xml, [BOOK])
    path = tmp_path / "huge.csl"
    path.write_text(xml)
    with pytest.raises(StyleError, match="LIMITS.max_style_size"):
        citekit.cite(BOOK, style=str(path))


def test_a_style_just_under_the_size_limit_renders():
    count = (LIMITS.max_style_size - 2000) // 36
    xml = style_xml('<citation><layout>' + '<text variable="title" prefix="a"/>' * count + '</layout></citation>')
    assert len(xml) <= LIMITS.max_style_size
    result = citekit.render(xml, [BOOK], [["b1"]])
    assert result.citations[0].count("aA Title") == count


# --- injection ----------------------------------------------------------------------------------------

def test_the_jinja_cite_filter_is_safe_inside_an_attribute():
    jinja2 = pytest.importorskip("jinja2")
    from citekit.jinja import install

    env = install(jinja2.Environment(autoescape=True))
    hostile = {**BOOK, "title": 'Hi" onmouseover=alert(1) x=\'', "URL": 'https://e.org/"onclick=alert(2)'}
    for style in ("apa", "mla", "chicago"):
        page = env.from_string('<p><span title="{{ b|cite(s) }}">x</span>'
                               "<span title='{{ b|cite(s) }}'>y</span>{{ b|cite(s) }}</p>").render(b=hostile, s=style)
        doc = html.fromstring(page)
        spans = doc.findall(".//span[@title]")
        assert len(spans) == 2
        for span in spans:
            assert set(span.attrib) == {"title"}
            assert 'hi" onmouseover=alert(1)' in span.get("title").lower()  # text, not an attribute
        assert not doc.xpath("//*[@onmouseover or @onclick]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_never_reach_the_output(fmt):
    controls = "".join(chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)])
    item = {**BOOK, "title": f"Ti{controls}tle \x1b]52;c;aGk=\x07 \x1b[2J", "publisher": "P\x00ub",
            "author": [{"family": "D\x1boe", "given": "J\x9bane"}], "issued": {"literal": "n\x07d"}}
    result = citekit.render("apa", [item], [[{"id": "b1", "locator": "1\x1b2", "prefix": "\x07see "}]], format=fmt)
    text = "\n".join([*result.citations, *(e.text for e in result.bibliography), result.bibliography_block()])
    assert not any(ch in text for ch in controls)
    assert "Title" in text and "Doe" in text
    assert any("control characters removed" in w for w in result.warnings)


def test_control_characters_in_a_style_are_removed_with_a_warning():
    style = style_xml('<citation><layout><text value="a&#133;b&#13;c" prefix="&#150;"/></layout></citation>')
    for fmt in FORMATS:
        result = citekit.render(style, [BOOK], [["b1"]], format=fmt)
        assert "abc" in result.citations[0]
        assert not any(0x7f <= ord(c) <= 0x9f or c == "\r" for c in result.citations[0])
    assert any("control characters" in w for w in result.warnings)


def test_escape_sequences_do_not_reach_the_terminal(tmp_path):
    path = tmp_path / "esc.json"
    path.write_text(json.dumps([{**BOOK, "title": "Clear\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07\x07"}]))
    for command in ("cite", "bib"):
        done = _run_citekit([command, str(path)])
        assert done.returncode == 0
        assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "Clear[2J" in done.stdout
        assert "warning" in done.stderr and "control characters" in done.stderr
    done = _run_citekit(["cite", "--title", "A\x1b[31mred"])
    assert "\x1b" not in done.stdout and "control characters" in done.stderr


def test_error_messages_carry_no_control_characters(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"id": "x\x1b[2J", "type": "no-such-type\x1b]0;owned\x07", "title": "T"}))
    done = _run_citekit(["cite", str(path)])
    assert done.returncode == 1 and "\x1b" not in done.stderr and "\x07" not in done.stderr


def test_every_documented_error_is_a_citekit_error():
    assert issubclass(StyleError, ValueError) and issubclass(ItemError, CitekitError)


# --- found by the long fuzzing run -----------------------------------------------------------------

@pytest.mark.parametrize("style", ["apa", "modern-language-association", "chicago-author-date", "ieee"])
@pytest.mark.parametrize("author", [{"family": "<i></i>"}, {"literal": "<b></b>"}])
def test_a_name_of_empty_markup_prints_nothing_and_no_crash(style, author):
    # the name renders as empty formatting: the names element prints nothing, the rest does
    result = citekit.render(style, [{"id": "a", "type": "book", "title": "Tidewater", "author": [author]}],
                            [[{"id": "a"}]])
    assert "Tidewater" in result.bibliography[0].text
    assert "<i>" not in result.bibliography[0].text and "<b>" not in result.bibliography[0].text


# --- the item check's quick pass ------------------------------------------------------------------

class _Map(Mapping):
    """A mapping that is not a dict: the quick pass leaves it to the full check."""

    def __init__(self, data):
        self.data = data

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)


_LEAVES = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(-10 ** 12, 10 ** 12),
                    st.text(max_size=12), st.just("x" * 9), st.just(10 ** 9 + 7))
_VALUES = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.text(max_size=3), inner, max_size=5),
    st.dictionaries(st.text(max_size=3), inner, max_size=3).map(_Map)), max_leaves=40)


@given(_VALUES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_item_checks_quick_pass_words_every_problem_as_the_full_check(value):
    """The quick pass without paths (normalize._plainly_safe) vouches only for what the full
    check passes: with small limits, random nesting, long strings and big numbers give the
    same answer, word for word, with the quick pass and without it."""
    from citekit import normalize

    with limits(max_field_length=8, max_digits=9, max_item_depth=4, max_item_values=30):
        quick = normalize.item_shape_problem(value)
        if normalize._plainly_safe(value):
            assert quick is None
        saved = normalize._plainly_safe
        normalize._plainly_safe = lambda data: False
        try:
            full = normalize.item_shape_problem(value)
        finally:
            normalize._plainly_safe = saved
    assert quick == full


def test_the_quick_pass_leaves_a_value_that_contains_itself_to_the_full_check():
    from citekit import normalize

    loop: list = [1]
    loop.append(loop)
    assert not normalize._plainly_safe({"id": "a", "note": loop})
    assert "contains itself" in normalize.item_shape_problem({"id": "a", "note": loop})
