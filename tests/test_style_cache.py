"""The parsed-style cache (issue 14): a style read back from plain data is the style parsed
from XML, element by element and in what it prints; a cache file that is corrupt, cut
short, forged or made for something else is a miss (parsed again, rewritten), never an
error; a dependent style is read again when its parent changed; the limits parsing reads
are part of the key; the cache can be turned off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import citekit
from citekit import registry
from citekit.csl import Style, StyleError, locale, parse_style
from citekit.csl.limits import limits
from citekit.registry import Registry
from csl_suite import fixture_paths, read_fixture, run_fixture, suite_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "data" / "agreement"))

import regenerate  # noqa: E402

SUITE = suite_dir()
OFFICIAL = registry.default_registry().styles_dir
SLOTS = [s for s in ("tag", "attrs", "line", "fmt", "prefix", "suffix", "display", "quotes", "text_case",
                     "strip_periods", "delimiter", "brace_affixes", "bare", "unquoted")]


def tree(el) -> tuple:
    """Every field of an element that parsing sets, and its children's."""
    return (tuple(getattr(el, s) if s != "attrs" else tuple(el.attrs.items()) for s in SLOTS),
            el.extra.get("text"), tuple(tree(c) for c in el.children))


def shape(style: Style) -> tuple:
    """Everything of a parsed style that evaluation reads, and the budgets derived from it."""
    locales = tuple((d.lang, tuple((k, vars(t)) for k, t in d.terms.items()),
                     tuple((f, x.attrs, x.parts) for f, x in d.dates.items()), tuple(d.options.items()),
                     d.has_ordinals) for d in style.locales)
    return (style.info, tuple(style.options.items()), style.warnings, locales,
            None if style.citation is None else tree(style.citation),
            None if style.bibliography is None else tree(style.bibliography),
            tuple((name, tree(m)) for name, m in style.macros.items()),
            style.element_count(), style.work_budget(), style.expanded_size("citation"),
            style.expanded_size("bibliography"))


def round_trip(style: Style) -> Style:
    return Style.from_data(json.loads(json.dumps(style.to_data())))


# --------------------------------------------------------------------------- the data itself


@pytest.mark.skipif(SUITE is None, reason="CSL test suite not found")
def test_every_test_suite_style_reads_back_the_same_and_prints_the_same():
    """The suite's 845 styles: the same tree, budgets and warnings, and the same output
    (every fixture run with the style read back, against the style parsed)."""
    checked = 0
    for path in fixture_paths(SUITE):
        fx = read_fixture(path)
        try:
            parsed = parse_style(fx["csl"])
        except StyleError:
            continue  # a fixture of a broken style: nothing is cached
        back = round_trip(parsed)
        assert shape(back) == shape(parsed), path.stem
        assert back.to_data() == parsed.to_data(), path.stem

        def render(style_xml, items, clusters, fmt, style=None):
            return citekit.render(style, items, clusters, format=fmt)
        try:
            fresh = run_fixture(fx, lambda s, i, c, f: render(s, i, c, f, style=parse_style(fx["csl"])))
        except Exception as exc:  # noqa: BLE001  (a fixture that fails must fail the same way)
            fresh = f"{type(exc).__name__}: {exc}"
        try:
            cached = run_fixture(fx, lambda s, i, c, f: render(s, i, c, f, style=round_trip(parsed)))
        except Exception as exc:  # noqa: BLE001
            cached = f"{type(exc).__name__}: {exc}"
        assert cached == fresh, path.stem
        checked += 1
    assert checked > 800


def test_what_parsing_changed_in_the_tree_reads_back():
    """display= dropped below the top level, a leaf's text, a style's own locale with dates."""
    xml = ('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
           '<info><title>T</title><id>t</id></info>'
           '<locale xml:lang="en"><date form="text"><date-part name="year" suffix="!"/></date>'
           '<terms><term name="editor" form="short"><single>ed.</single><multiple>eds.</multiple></term></terms>'
           '</locale><macro name="m"><group display="block"><text variable="title"/></group></macro>'
           '<citation><layout><text macro="m"/></layout></citation><bibliography><layout>'
           '<group display="block"><group display="indent"><text value="x&amp;#160;y"/></group></group>'
           '<date variable="issued" form="text"/></layout></bibliography></style>')
    parsed = parse_style(xml)
    outer = parsed.bibliography.child("layout").children[0]
    assert outer.display == "block" and outer.children[0].display is None
    assert parsed.macros["m"].children[0].display is None
    back = round_trip(parsed)
    assert shape(back) == shape(parsed)
    assert back.bibliography.child("layout").children[0].children[0].display is None
    item = [{"id": "a", "type": "book", "title": "Tales", "issued": {"date-parts": [[1845]]}}]
    for fmt in ("text", "html"):
        assert citekit.render(back, item, format=fmt).bibliography == citekit.render(parsed, item, format=fmt).bibliography


def outputs(style: Style, items, clusters) -> dict:
    out = {}
    for fmt in ("text", "html"):
        result = citekit.render(style, items, clusters, format=fmt)
        out[fmt] = (list(result.citations), [(e.id, e.text) for e in result.bibliography], list(result.warnings))
    return out


def test_cached_official_styles_print_byte_identical_output(tmp_path, monkeypatch):
    """The agreement sample (40+ official styles, dependent ones included) through the
    registry's cache on disk: text and HTML of every citation and entry of the corpus."""
    items, clusters, _ = regenerate.agreement.load_corpus()
    items = items[:80]  # (a part of the corpus: the suite's styles above cover every feature)
    ids = {i["id"] for i in items}
    clusters = [c for c in clusters if all(ci["id"] in ids for ci in c["citationItems"])]
    assert len(clusters) > 50
    styles = list(regenerate.agreement.TEST_STYLES)
    writer = Registry(cache_dir=tmp_path)
    fresh = {sid: writer.resolve(sid) for sid in styles}  # parsed from XML, and written
    assert len(list((tmp_path / "styles").iterdir())) == len(set(styles))

    import citekit.csl

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed from XML: the cache was not read")
    monkeypatch.setattr(citekit.csl, "parse_style", no_parse)
    reader = Registry(cache_dir=tmp_path)
    for sid in styles:
        cached = reader.resolve(sid)
        assert cached is not fresh[sid]
        assert shape(cached) == shape(fresh[sid]), sid
        assert outputs(cached, items, clusters) == outputs(fresh[sid], items, clusters), sid


# --------------------------------------------------------------------------- misses, never errors


def cache_file(folder: Path) -> Path:
    (found,) = (folder / "styles").iterdir()
    return found


def forged(body) -> bytes:
    """A cache file whose header and digests are right but whose data is not a style's."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    head = {"format": registry._STYLE_CACHE_FORMAT, "engine": registry._engine_stamp(),
            "source": registry._digest((OFFICIAL / "apa.csl").read_bytes()), "parent": None,
            "check": registry._digest(raw)}
    return json.dumps(head).encode() + b"\n" + raw


def corruptions(good: bytes, other: bytes) -> dict:
    data = json.loads(good.partition(b"\n")[2])
    loop = json.loads(json.dumps(data))
    name, node = loop["macros"][0]
    node[3] = [["text", {"macro": name}, 1, [], None, False]]  # a macro that calls itself
    missing = json.loads(json.dumps(data))
    missing["macros"] = []  # macros called and not defined
    wrong_type = json.loads(json.dumps(data))
    wrong_type["citation"][1] = {"prefix": 3}
    other_limits = json.loads(json.dumps(data))
    other_limits["limits"]["max_markup_depth"] += 1

    def deep_node(d: dict) -> list:  # the first element two levels down in the last macro
        return d["macros"][-1][1][3][0]
    bad_nodes = {}
    for what, change in {"a number for a value deep in a macro": lambda n: n[1].update(variable=3),
                         "a null for a value deep in a macro": lambda n: n[1].update(variable=None),
                         "a list for the attributes": lambda n: n.__setitem__(1, [["variable", "title"]]),
                         "a node of five fields": lambda n: n.pop(),
                         "a node of seven fields": lambda n: n.append(None),
                         "a number for a tag": lambda n: n.__setitem__(0, 7),
                         "a dict for the children": lambda n: n.__setitem__(3, {}),
                         "a text for the line": lambda n: n.__setitem__(2, "12")}.items():
        forged_data = json.loads(json.dumps(data))
        change(deep_node(forged_data))
        bad_nodes[what] = forged(forged_data)
    undefined_in_bibliography = json.loads(json.dumps(data))
    undefined_in_bibliography["bibliography"][3][-1][3].append(["text", {"macro": "no-such-macro"}, 1, [], None, False])
    return {
        "empty": b"",
        "cut short": good[:len(good) // 2],
        "header only": good.partition(b"\n")[0],
        "one byte changed": good[:-40] + bytes([good[-40] ^ 1]) + good[-39:],
        "garbage": os.urandom(5000),
        "not UTF-8": b"\xff\xfe" * 100,
        "another style's file": other,
        "a macro loop": forged(loop),
        "a missing macro": forged(missing),
        "a number for a text": forged(wrong_type),
        "other limits": forged(other_limits),
        "an older format": forged({**data, "format": 0}),
        "a list": forged([1, 2, 3]),
        "deep nesting": forged(b"[" * 100_000 + b"]" * 100_000),
        "pickle": b"\x80\x04\x95" + good,
        "a macro called in the bibliography and not defined": forged(undefined_in_bibliography),
        **bad_nodes,
    }


def test_corrupt_cache_files_are_misses_and_are_rewritten(tmp_path):
    expected = shape(parse_style((OFFICIAL / "apa.csl").read_bytes()))
    Registry(cache_dir=tmp_path / "other").resolve("mla")
    other = cache_file(tmp_path / "other").read_bytes()
    Registry(cache_dir=tmp_path).resolve("apa")
    path = cache_file(tmp_path)
    good = path.read_bytes()
    for what, content in corruptions(good, other).items():
        path.write_bytes(content)
        got = Registry(cache_dir=tmp_path).resolve("apa")
        assert shape(got) == expected, what
        assert path.read_bytes() == good, what  # written again, whole
    assert sorted(p.name for p in (tmp_path / "styles").iterdir()) == [path.name]  # no temporary files left


def test_a_cache_that_cannot_be_read_or_written_is_no_error(tmp_path):
    expected = shape(parse_style((OFFICIAL / "apa.csl").read_bytes()))
    Registry(cache_dir=tmp_path).resolve("apa")
    path = cache_file(tmp_path)
    path.unlink()
    path.mkdir()  # a folder where the file should be
    assert shape(Registry(cache_dir=tmp_path).resolve("apa")) == expected
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    assert shape(Registry(cache_dir=blocker / "cache").resolve("apa")) == expected


def test_a_dependent_style_is_read_again_when_its_parent_changes(tmp_path):
    from test_registry import csl

    styles = tmp_path / "styles"
    (styles / "dependent").mkdir(parents=True)
    parent = styles / "alpha-style.csl"
    parent.write_text(csl("Alpha Style"))
    (styles / "dependent" / "gamma-journal.csl").write_text(csl("Gamma Journal", parent="alpha-style", klass=None,
                                                                 body=False))
    item = [{"id": "a", "type": "book", "title": "Tales"}]
    first = Registry(styles, cache_dir=tmp_path / "cache", aliases={}).resolve("gamma-journal")
    assert citekit.render(first, item).bibliography[0].text == "Tales"
    assert len(list((tmp_path / "cache" / "styles").iterdir())) == 1
    again = Registry(styles, cache_dir=tmp_path / "cache", aliases={}).resolve("gamma-journal")
    assert shape(again) == shape(first)
    parent.write_text(csl("Alpha Style").replace('<text variable="title"/></layout></bibliography>',
                                                 '<text variable="title" prefix="New: "/></layout></bibliography>'))
    changed = Registry(styles, cache_dir=tmp_path / "cache", aliases={}).resolve("gamma-journal")
    assert citekit.render(changed, item).bibliography[0].text == "New: Tales"


def test_the_limits_parsing_reads_are_part_of_the_key(tmp_path):
    path = tmp_path / "deep.csl"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n'
                    '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="in-text">'
                    '<info><title>Deep</title><id>deep</id></info><citation><layout>'
                    '<text value="&lt;i&gt;&lt;b&gt;x&lt;/b&gt;&lt;/i&gt;"/></layout></citation></style>')
    assert Registry(cache_dir=tmp_path / "cache").resolve(path).warnings == ()
    with limits(max_markup_depth=1):
        deep = Registry(cache_dir=tmp_path / "cache").resolve(path)
        assert deep.warnings == parse_style(path.read_bytes()).warnings
        assert "LIMITS.max_markup_depth" in deep.warnings[0]


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    Registry(cache_dir=tmp_path, style_cache=False).resolve("apa")
    monkeypatch.setenv("CITEKIT_STYLE_CACHE", "off")
    Registry(cache_dir=tmp_path).resolve("mla")
    assert list(tmp_path.iterdir()) == []


def test_the_cache_directory_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CITEKIT_CACHE_DIR", str(tmp_path / "own"))
    Registry().resolve("apa")
    assert len(list((tmp_path / "own" / "styles").iterdir())) == 1


# --------------------------------------------------------------------------- locale files


def test_locale_files_read_back_the_same_and_corrupt_ones_are_misses(tmp_path):
    def read() -> list:
        locale._load_file.cache_clear()
        return locale.locale_file("de-AT").to_data()
    try:
        locale.set_file_store(None)
        expected = read()
        store = registry._LocaleStore(tmp_path)
        locale.set_file_store(store)
        assert read() == expected  # read from XML, and kept
        (path,) = (tmp_path / "locales").iterdir()
        assert read() == expected  # read from the store
        good = path.read_bytes()
        for what, content in {"cut short": good[:100], "garbage": os.urandom(300), "empty": b"",
                              "a changed byte": good[:-30] + bytes([good[-30] ^ 1]) + good[-29:]}.items():
            path.write_bytes(content)
            assert read() == expected, what
            assert path.read_bytes() == good, what

        class Forged:  # a store whose data has the right digests but not locale data's shape
            def __init__(self, data):
                self.data = data

            def load(self, name, raw):
                return self.data

            def save(self, name, raw, data):
                pass
        term = expected[1][0]
        for what, bad in {"a number for a term's text": [*term[:3], 5, *term[4:]],
                          "a null for a term's name": [None, *term[1:]],
                          "a number for a term's gender": [*term[:5], 1, term[6]],
                          "a term of six fields": term[:6]}.items():
            locale.set_file_store(Forged([expected[0], [bad, *expected[1][1:]], *expected[2:]]))
            assert read() == expected, what
    finally:
        locale.set_file_store(None)
        locale._load_file.cache_clear()


# --------------------------------------------------------------------------- the command


def test_the_command_with_a_warm_cache_reads_no_xml(tmp_path):
    """The second `citekit cite --style apa` reads the style and en-US from the cache:
    no XML parser is even imported (nor `dataclasses` and `inspect`, which nothing else needs).
    The engine reads XML with pyexpat, never lxml: the first run imports no lxml either."""
    env = {**os.environ, "CITEKIT_CACHE_DIR": str(tmp_path)}
    env.pop("CITEKIT_STYLE_CACHE", None)
    probe = ("import sys, json\nfrom citekit.cli import main\nsys.stdout = open('/dev/null', 'w')\n"
             "code = main(['cite', 'examples/brief.json', '--style', 'apa'])\nsys.stdout = sys.__stdout__\n"
             "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('lxml') or m in "
             "('pyexpat', 'dataclasses', 'inspect'))]))\n")
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                                      env=env, timeout=120, check=True).stdout.splitlines()[-1]) for _ in range(2)]
    assert runs[0][0] == runs[1][0] == 0
    assert runs[0][1] == ["pyexpat"]  # the first run parsed the XML, without lxml
    assert runs[1][1] == []
    outs = [subprocess.run([sys.executable, "-m", "citekit", "cite", "examples/brief.json", "--style", "apa"],
                           capture_output=True, text=True, cwd=ROOT, env=e, timeout=120, check=True).stdout
            for e in (env, {**env, "CITEKIT_STYLE_CACHE": "0"})]
    assert outs[0] == outs[1] and outs[0].startswith("Zissis, C. (2006, December 19).")
