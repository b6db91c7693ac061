"""Cold start (issue 14): the command and `import citekit` do not import what they do not use.

Pydantic is imported when a model is used, never to format clean input: the one door
(citekit.normalize) tells records in the common shapes without it (citekit._plain).
These tests check the outcome in fresh interpreters (sys.modules), and that the plain
path gives exactly what the models give (same items, same problems, same errors).
"""

from __future__ import annotations

import copy
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citekit import _vocabulary as vocab
from citekit._plain import brief_csl, reference_csl
from citekit.errors import ItemError
from citekit.normalize import check_item

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "brief.json"
HEAVY = ("pydantic", "pydantic_core", "importlib.metadata", "yaml")


def modules_after(code: str, *, cwd: Path = ROOT) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith("importlib.metadata"))


def engine(modules: set[str]) -> list[str]:
    """The engine's modules among these, but for the two small helpers the face uses too
    (regular expressions on first use, value classes), which load nothing else."""
    return sorted(m for m in modules if (m == "citekit.csl" or m.startswith("citekit.csl."))
                  and m not in ("citekit.csl", "citekit.csl.lazy", "citekit.csl.record"))


def command(*argv: str) -> str:
    # the command's own entry point, its exit caught so that sys.modules can be printed
    return ("import sys\nfrom citekit.cli import main\nsys.stdout = open('/dev/null', 'w')\n"
            f"code = main({list(argv)!r})\nsys.stdout = sys.__stdout__\nassert code == 0, code")


# --------------------------------------------------------------------------- what is imported


def test_import_citekit_imports_neither_pydantic_nor_the_engine():
    found = modules_after("import citekit")
    assert heavy(found) == []
    assert "citekit.models" not in found and engine(found) == []


def test_a_model_imports_pydantic_on_first_use():
    found = modules_after("import citekit\ncitekit.Brief")
    assert "pydantic" in found and "citekit.models" in found


def test_the_cite_command_does_not_import_pydantic():
    found = modules_after(command("cite", str(BRIEF), "--style", "apa"))
    assert heavy(found) == []
    assert "citekit.models" not in found
    # the version is read only for --version; ICU only to sort two items or more
    assert "importlib.metadata" not in found and "icu" not in found


def test_csl_json_and_bibliographies_do_not_import_pydantic(tmp_path):
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([
        {"id": "a", "type": "book", "title": "Tales", "author": [{"family": "Poe", "given": "Edgar Allan"}],
         "issued": {"date-parts": [[1845]]}, "publisher": "Wiley and Putnam"},
        {"type": "article-journal", "title": "On Names", "author": ["Zissis, Carin"], "issued": "2006-12-19",
         "container-title": "J", "volume": 3, "page": "1-9", "note": "an unknown field follows",
         "mystery": {"kept": True}},
    ]))
    for argv in (("cite", str(refs), "--style", "mla"), ("bib", str(refs), "--style", "apa", "-f", "html"),
                 ("cite", str(refs), "--citation", "-s", "chicago")):
        code = command(*argv).replace("assert code == 0", "assert code in (0, 1)")  # the unknown field: exit 1
        found = modules_after(code)
        assert heavy(found) == [], argv


def test_cite_of_a_dict_does_not_import_pydantic():
    found = modules_after("import citekit\n"
                          "t = citekit.cite({'type': 'book', 'title': 'Tales', 'author': 'Poe, Edgar Allan', "
                          "'issued': 1845}, style='apa')\nassert t == 'Poe, E. A. (1845). Tales.', t")
    assert "pydantic" not in found


def test_input_the_models_must_judge_still_gets_their_messages(tmp_path, capsys):
    # a value the plain path cannot take goes to the models, which say what is wrong
    from citekit.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "type": "book", "title": "T", "author": [{"given": ""}]}]))
    assert main(["cite", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "x: author[0]: a name needs a family name, a given name or a literal name (skipped)" in err


def test_the_version_is_read_when_asked(capsys):
    from citekit import __version__
    from citekit.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"citekit {__version__}\n"


def test_version_does_not_import_the_engine():
    found = modules_after("import sys\nfrom citekit.cli import main\ntry:\n    main(['--version'])\n"
                          "except SystemExit:\n    pass")
    assert engine(found) == [] and "pydantic" not in found


def test_the_command_formats_list_is_the_engines():
    from citekit.cli import FORMATS
    from citekit.csl import FORMATS as ENGINE_FORMATS

    assert FORMATS == ENGINE_FORMATS


# --------------------------------------------------------------------------- the vocabulary is the models'


def test_vocabulary_matches_the_models():
    from citekit import models

    assert tuple(models.Reference.model_fields) == vocab.REFERENCE_FIELDS
    assert tuple(models.Brief.model_fields) == vocab.BRIEF_FIELDS
    assert tuple(models.Name.model_fields) == vocab.MODEL_FIELDS["Name"]
    assert tuple(models.Date.model_fields) == vocab.DATE_OBJECT_FIELDS
    assert models.ITEM_TYPES == vocab.ITEM_TYPES
    for name in ("NAME_VARIABLES", "DATE_VARIABLES", "NUMBER_VARIABLES", "STANDARD_VARIABLES",
                 "BRIEF_KEYS", "REFERENCE_KEYS"):
        assert getattr(models, name) == getattr(vocab, name), name
    kinds = {"text": str | None, "flag": bool | int | str | None}
    for field, kind in vocab.NAME_PART_FIELDS:
        assert models.Name.model_fields[field].annotation == kinds[kind], field
    for model in (models.Reference, models.Name, models.Date):
        assert all(f.alias == vocab.csl_alias(n) for n, f in model.model_fields.items())


# --------------------------------------------------------------------------- plain path == models


def outcome(data, **kwargs):
    """What check_item gives (item and problems, in order) or raises."""
    try:
        item, problems = check_item(copy.deepcopy(data), **kwargs)
    except ItemError as exc:
        return ("error", str(exc), exc.item_id, exc.field)
    except Exception as exc:  # noqa: BLE001  (a key that is no text: the same failure either way)
        return ("exception", type(exc).__name__, str(exc))
    return ("ok", repr(item), [str(p) for p in problems])


def same_as_models(data):
    for strict in (True, False):
        for keep in ((False,) if strict else (False, True)):
            plain = outcome(data, strict=strict, keep=keep)
            models = outcome(data, strict=strict, keep=keep, models=[])  # `models` asks for the models' path
            assert plain == models, (strict, keep)


def models_csl(model_name, item):
    """`Model.model_validate(item).to_csl()` as the lenient doors call it, or None when refused."""
    from pydantic import ValidationError

    from citekit import models

    token = models.KEEP_UNKNOWN_FIELDS.set(True)
    try:
        return getattr(models, model_name).model_validate(copy.deepcopy(item)).to_csl()
    except ValidationError:
        return None
    finally:
        models.KEEP_UNKNOWN_FIELDS.reset(token)


def plain_is_models(item):
    for name, plain in (("Reference", reference_csl), ("Brief", brief_csl)):
        told = plain(copy.deepcopy(item))
        if told is not None:
            # key order too: the command prints through these dicts
            assert repr(told) == repr(models_csl(name, item)), name


# Records in the shapes the plain path takes, each value now and then replaced by one next
# to them: what the models convert (a float, a Python field name, pandoc's {year: ...}),
# refuse (an empty name, month 17, day 32) or keep as given (fields of one's own).
TEXT = st.one_of(st.sampled_from(["Tales", " padded ", "", "javascript:alert(1)", "https://example.org/x",
                                  "Zissis, Carin", "2006-12-19", "Council on Foreign Relations", "van Gogh, V."]),
                 st.text(max_size=8))
ODD = st.sampled_from([True, False, None, 2.0, 2.5, float("nan"), 2 ** 70, -3, 12, datetime.date(2006, 12, 19),
                       [], {}, ["x"], {"a": 1}, {1: "x"}, ("t",)])
JSONISH = st.recursive(st.one_of(TEXT, st.integers(-3, 3000), st.booleans(), st.none(), st.floats(allow_nan=False)),
                       lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
                       max_leaves=6)


def sometimes(good, odd=ODD):
    """Mostly `good`, one time in eight a value next to it."""
    return st.one_of(*[good] * 7, odd)


NAME = sometimes(st.one_of(
    st.fixed_dictionaries({}, optional={"family": sometimes(TEXT), "given": sometimes(TEXT),
                                        "literal": sometimes(TEXT), "suffix": sometimes(TEXT),
                                        "dropping-particle": sometimes(TEXT),
                                        "non-dropping-particle": sometimes(TEXT),
                                        "comma-suffix": sometimes(st.one_of(st.booleans(), TEXT)),
                                        "parse-names": sometimes(st.sampled_from([True, False, "false", 0])),
                                        "static-ordering": st.booleans(), "isInstitution": sometimes(JSONISH),
                                        "dropping_particle": TEXT, "_private": TEXT}),
    TEXT))
PART = st.one_of(st.integers(0, 40), st.integers(1500, 2100), st.integers(-50, 0),
                 st.sampled_from(["2006", " 12", "05", "xii", "", "13", "-44"]), ODD)
POINT = sometimes(st.lists(PART, min_size=1, max_size=3), st.lists(PART, max_size=4))
DATE = sometimes(st.one_of(
    st.fixed_dictionaries({"date-parts": sometimes(st.lists(POINT, min_size=1, max_size=2),
                                                   st.lists(POINT, max_size=3))},
                          optional={"season": sometimes(st.one_of(st.integers(1, 4), TEXT)),
                                    "circa": sometimes(st.one_of(st.booleans(), TEXT, st.integers(0, 2))),
                                    "literal": sometimes(TEXT), "raw": TEXT, "x": JSONISH, "date_parts": ODD}),
    st.fixed_dictionaries({}, optional={"literal": TEXT, "raw": TEXT, "year": st.integers(1900, 2020),
                                        "month": st.integers(1, 12)}),
    st.sampled_from(["2006-12-19", "2006", "Dec 19 2006", "in press", "19/12/2006", "2004/2006", "spring 2001"]),
    st.integers(1900, 2030)))
FIELDS = ["id", "type", "title", "URL", "url", "DOI", "doi", "container-title", "container_title", "volume",
          "page", "edition", "author", "editor", "issued", "accessed", "categories", "custom", "note", "mystery",
          "_hidden", 7]
BRIEF_FIELDS = ["title", "authors", "author", "date", "publisher", "url", "kind", "accessed", "updated", "id",
                "mystery"]


def field_value(field):
    if field in ("author", "editor", "authors"):
        return sometimes(st.lists(NAME, max_size=3), NAME)
    if field in ("issued", "accessed", "date", "updated"):
        return DATE
    if field == "type":
        return sometimes(st.sampled_from(["book", "webpage", "article-journal", "legal_case"]),
                         st.sampled_from(["bok", "", 3]))
    if field == "id":
        return sometimes(st.one_of(TEXT, st.integers(-5, 10 ** 6)))
    if field in ("volume", "page", "edition"):
        return sometimes(st.one_of(TEXT, st.integers(0, 500)))
    if field == "categories":
        return sometimes(st.lists(TEXT, max_size=2))
    if field in ("custom", "mystery", "_hidden", 7):
        return JSONISH
    if field in ("url", "URL"):
        return sometimes(st.sampled_from(["https://example.org/x", " http://a.b/c ", "javascript:x", "nope"]))
    return sometimes(TEXT)


@st.composite
def records(draw):
    brief = draw(st.booleans())
    fields = draw(st.lists(st.sampled_from(BRIEF_FIELDS if brief else FIELDS), max_size=7, unique=True))
    record = {field: draw(field_value(field)) for field in fields}
    if draw(st.integers(0, 7)):  # mostly records that could be right
        if not brief:
            record.setdefault("type", "book")
        record.setdefault("title", "Tales")
    return record


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(records())
def test_the_plain_path_gives_what_the_models_give(record):
    same_as_models(record)
    plain_is_models(record)


def told_by_models(model_name, value):
    from pydantic import ValidationError

    from citekit import models

    try:
        return getattr(models, model_name).model_validate(copy.deepcopy(value)).to_csl()
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(DATE)
def test_plain_dates_are_the_models(value):
    from citekit._plain import _date

    told = _date(copy.deepcopy(value))
    if told is not None:
        assert repr(told) == repr(told_by_models("Date", value))


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(NAME)
def test_plain_names_are_the_models(value):
    from citekit._plain import _name

    told = _name(copy.deepcopy(value))
    if told is not None:
        assert repr(told) == repr(told_by_models("Name", value))


def test_the_plain_path_on_hostile_items():
    from strategies import csl_item

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(csl_item())
    def check(item):
        if item.get("custom") is item:
            item = {k: v for k, v in item.items() if k != "custom"}
        same_as_models(item)
        plain_is_models(item)

    check()


def corpus():
    """Real records: the agreement corpus, the benchmark's generated items, the examples."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import items as item_gen
    finally:
        sys.path.pop(0)
    data = json.loads((ROOT / "tests" / "data" / "agreement" / "corpus.json").read_text(encoding="utf-8"))
    found = data if isinstance(data, list) else data.get("items", [])
    return [*found, *item_gen.generate(300, 7), json.loads(BRIEF.read_text())]


def test_real_records_take_the_plain_path_and_agree():
    records = corpus()
    assert len(records) > 300
    taken = 0
    for record in records:
        same_as_models(record)
        item, _ = check_item(copy.deepcopy(record), strict=False)
        taken += reference_csl(item) is not None
        plain_is_models(item)
    # the point of the plain path: clean records never need the models
    assert taken == len(records)


def test_readers_give_the_models_csl(tmp_path):
    from citekit.readers import load

    for path in (ROOT / "examples" / "refs.bib", ROOT / "tests" / "data" / "readers" / "references.ris",
                 ROOT / "tests" / "data" / "readers" / "references.bib", BRIEF):
        result = load(path=path)
        assert repr(result._csl_items()) == repr([r.to_csl() for r in result.references]), path


# --------------------------------------------------------------------------- the registry reads little


def test_the_alias_table_reads_as_toml_without_tomllib():
    import tomllib

    from citekit.registry import _parse_aliases

    shipped = (ROOT / "styles" / "aliases.toml").read_text(encoding="utf-8")
    assert _parse_aliases(shipped) == {k.lower(): v for k, v in tomllib.loads(shipped).items()}
    # anything else TOML allows goes to tomllib, errors included
    assert _parse_aliases('"Quoted Key" = "x"\r\nB = "y" # note\n') == {"quoted key": "x", "b": "y"}
    with pytest.raises(tomllib.TOMLDecodeError):
        _parse_aliases('a = "x"\na = "y"\n')
    assert "tomllib" not in modules_after("from citekit import registry\nregistry.aliases()")


def test_an_official_id_is_found_without_the_style_index(tmp_path):
    from citekit.registry import Registry

    reg = Registry(cache_dir=tmp_path)
    assert reg.redirect_note("modern-language-association") is None
    assert reg.resolve("modern-language-association").info.id.endswith("modern-language-association")
    # the index (10,000 styles' <info>) was neither built nor read; the parsed style was kept
    assert list(tmp_path.glob("styles-index-*")) == []
    assert [p.parent.name for p in tmp_path.rglob("*.json")] == ["styles"]
    # an old edition asked for is still redirected, with the index
    assert "is now 'modern-language-association'" in reg.redirect_note("modern-language-association-8th-edition")


# --------------------------------------------------------------------------- value classes without dataclasses


def test_value_classes_behave_as_dataclasses():
    import dataclasses

    from citekit.csl import record as engine_record

    @engine_record.record(frozen=True)
    class Point:
        x: int
        y: int = 0
        tags: tuple = ()

    @dataclasses.dataclass(frozen=True)
    class Reference:
        x: int
        y: int = 0
        tags: tuple = ()
    fields, replace = engine_record.fields, engine_record.replace
    frozen_error = engine_record.FrozenInstanceError
    for args, kwargs in (((1,), {}), ((1, 2), {}), ((), {"x": 3, "tags": ("a",)}), ((1,), {"y": 5})):
        p, r = Point(*args, **kwargs), Reference(*args, **kwargs)
        assert repr(p).replace("Point", "Reference") == repr(r)
        assert (p.x, p.y, p.tags) == (r.x, r.y, r.tags)
        assert p == Point(*args, **kwargs) and hash(p) == hash(Point(*args, **kwargs)) and p != r
        assert p != Point(p.x + 1)
    with pytest.raises(frozen_error):
        p.x = 2
    with pytest.raises(AttributeError):
        del p.y
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, x=1)
    assert fields(Point) == ("x", "y", "tags")
    assert replace(Point(1, 2), y=7) == Point(1, 7)
    with pytest.raises(TypeError):
        replace(Point(1), z=1)


def test_mutable_records_have_fresh_defaults_and_no_hash():
    from citekit.csl.record import field, record

    @record
    class Bag:
        name: str
        items: list = field(default_factory=list)
        hidden: dict = field(default_factory=dict, repr=False)

        def __post_init__(self):
            self.items.append("made")

    a, b = Bag("a"), Bag("b")
    assert a.items == ["made"] and a.items is not b.items
    assert repr(a).endswith(".Bag(name='a', items=['made'])")  # the qualified name, as dataclasses'
    a.name = "c"
    assert a == Bag("c") and a != Bag("a")
    with pytest.raises(TypeError):
        hash(a)


# --------------------------------------------------------------------------- regular expressions on first use


def test_a_lazy_pattern_compiles_on_first_use_and_takes_its_place():
    import re

    from citekit.csl import lazy
    namespace: dict = {}
    namespace["WORDS"] = stand_in = lazy.pattern(namespace, "WORDS", r"[a-z]+", re.I)
    assert type(namespace["WORDS"]) is lazy.LazyPattern
    assert namespace["WORDS"].findall("Ab cd") == ["Ab", "cd"]
    assert namespace["WORDS"] is re.compile(r"[a-z]+", re.I)  # the module's global is the pattern now
    assert stand_in.sub("-", "ab1") == "-1"  # a reference kept elsewhere still works


def test_the_command_leaves_unused_patterns_uncompiled():
    probe = (command("cite", str(BRIEF), "--style", "apa")
             + "\nimport citekit.csl.numbers as n, citekit.normalize as d\n"
               "print(type(n._ROMAN_RE).__name__, type(d._WORD_DATE).__name__)")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["LazyPattern", "LazyPattern"]
