"""The style registry: names → files, the cached index, and the parsed-style cache."""

import json
import os
import threading
import time
import tomllib
from pathlib import Path

import pytest

from citekit import registry
from citekit.errors import StyleNotFound
from citekit.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = registry.default_registry().styles_dir


def csl(title, *, style_id=None, parent=None, klass="in-text", body=True, extra_info=""):
    """A minimal CSL style, independent or (with `parent`) dependent."""
    style_id = style_id or title.lower().replace(" ", "-")
    link = f'<link href="http://www.zotero.org/styles/{parent}" rel="independent-parent"/>' if parent else ""
    layout = ('<citation><layout><text variable="title"/></layout></citation>'
              '<bibliography><layout><text variable="title"/></layout></bibliography>') if body else ""
    klass_attr = f' class="{klass}"' if klass else ""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n'
            f'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"{klass_attr}>\n'
            f'<info><title>{title}</title><id>http://www.zotero.org/styles/{style_id}</id>{link}'
            f'<category citation-format="author-date"/><category field="generic-base"/>{extra_info}'
            f'<updated>2024-01-01T00:00:00+00:00</updated></info>\n{layout}</style>\n')


@pytest.fixture
def tiny(tmp_path):
    """A folder of three styles (one dependent, one broken) and an empty cache."""
    styles = tmp_path / "styles"
    (styles / "dependent").mkdir(parents=True)
    (styles / "alpha-style.csl").write_text(csl("Alpha Style"))
    (styles / "beta-notes.csl").write_text(csl("Beta Notes", klass="note"))
    (styles / "dependent" / "gamma-journal.csl").write_text(csl("Gamma Journal", parent="alpha-style", klass=None,
                                                                 body=False))
    (styles / "broken.csl").write_text("<style><info>")
    (styles / "renamed-styles.json").write_text(json.dumps({"old-alpha": "alpha-style"}))
    return Registry(styles, cache_dir=tmp_path / "cache", aliases={"a": "alpha-style"})


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    """The real styles, with an index cache of its own (built once for this module)."""
    reg = Registry(cache_dir=tmp_path_factory.mktemp("cache"))
    reg.index()
    return reg


# --- the alias table -----------------------------------------------------------------------------

def test_every_alias_names_an_installed_style():
    table = tomllib.loads((ROOT / "styles" / "aliases.toml").read_text())
    assert table == registry.aliases()
    for alias, target in table.items():
        assert alias == alias.lower()
        assert (OFFICIAL / f"{target}.csl").is_file() or (OFFICIAL / "dependent" / f"{target}.csl").is_file(), alias
    for required in ("mla", "apa", "chicago", "chicago-author-date", "harvard", "ieee", "vancouver", "turabian",
                     "nature", "ama", "asa"):
        assert required in table


# --- names → files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, stem", [
    ("mla", "modern-language-association"),
    ("MLA", "modern-language-association"),
    ("chicago", "chicago-notes-bibliography"),
    ("vancouver", "nlm-citation-sequence"),
    ("apa", "apa"),
    ("modern-language-association", "modern-language-association"),
    ("http://www.zotero.org/styles/apa", "apa"),
    ("https://www.zotero.org/styles/ieee", "ieee"),
    ("ieee.csl", "ieee"),
    ("chicago-fullnote-bibliography", "chicago-notes-bibliography"),  # renamed
    ("mla-url", "modern-language-association"),  # renamed
    ("nature-digest", "nature-digest"),  # dependent
    ("APA Style 7th edition", "apa"),  # title
])
def test_locate(official, name, stem):
    assert official.locate(name).stem == stem


def test_locate_a_path(tmp_path, official):
    path = tmp_path / "mine.csl"
    path.write_text(csl("Mine"))
    assert official.locate(str(path)) == path
    assert official.locate(path) == path


@pytest.mark.parametrize("name", ["mlaa", "../../no/such/style", "nope/missing.csl", "", "styles/../apa", "apa/../../x"])
def test_unknown_names(official, name):
    with pytest.raises(StyleNotFound) as info:
        official.locate(name)
    assert info.value.name == name


def test_unknown_name_lists_closest_matches(official):
    with pytest.raises(StyleNotFound) as info:
        official.locate("mlaa")
    assert info.value.matches[0] == "mla"
    assert "did you mean mla" in str(info.value)
    with pytest.raises(StyleNotFound) as info:
        official.locate("chicago-autor-date")
    assert "chicago-author-date" in info.value.matches


def test_lookup_entry(official):
    mla = official.lookup("mla")
    assert (mla.id, mla.style_class, mla.parent, mla.dependent) == ("modern-language-association", "in-text",
                                                                    None, False)
    assert mla.url == "http://www.zotero.org/styles/modern-language-association"
    digest = official.lookup("nature-digest")
    assert (digest.parent, digest.style_class, digest.dependent) == ("nature", "in-text", True)
    assert official.lookup("chicago").style_class == "note"
    assert official.aliases_of("nlm-citation-sequence") == ["nlm", "vancouver"]


# --- the index ---------------------------------------------------------------------------------------

def test_index_covers_every_official_style(official):
    index = official.index()
    files = list(OFFICIAL.glob("*.csl")) + list((OFFICIAL / "dependent").glob("*.csl"))
    assert len(index) == len(files) > 10000
    assert all(e.style_class in ("in-text", "note") for e in index.values() if not e.dependent)


def test_search_ranks_the_alias_target_first(official):
    hits = official.search("chicago")
    assert hits[0].id == "chicago-notes-bibliography"
    assert all("chicago" in f"{e.id} {e.title.lower()} {e.title_short.lower()}" for e in hits)
    assert official.search("author date chicago")[0].id == "chicago-author-date"
    assert official.search("zzzz-no-such-style") == []
    assert len(official.search("")) == len(official.index())


def test_index_is_written_once_and_reused(tiny, monkeypatch):
    index = tiny.index()
    assert set(index) == {"alpha-style", "beta-notes", "gamma-journal"}  # broken.csl is left out
    assert index["gamma-journal"].style_class == "in-text"  # from its parent
    assert index["gamma-journal"].parent == "alpha-style"
    assert index["beta-notes"].fields == ("generic-base",)
    files = list(tiny._index_path().parent.glob("styles-index-*.json"))
    assert len(files) == 1

    again = Registry(tiny.styles_dir, cache_dir=tiny._index_path().parent, aliases={})
    monkeypatch.setattr(registry, "_read_info", lambda path: pytest.fail("the cached index was not used"))
    assert again.index() == index


def test_corrupt_or_stale_index_is_rebuilt(tiny):
    tiny.index()
    path = tiny._index_path()
    path.write_text("{not json")
    fresh = Registry(tiny.styles_dir, cache_dir=path.parent, aliases={})
    assert set(fresh.index()) == {"alpha-style", "beta-notes", "gamma-journal"}
    assert json.loads(path.read_text())["count"] == 4

    (tiny.styles_dir / "delta.csl").write_text(csl("Delta"))  # a new style: the count no longer matches
    newer = Registry(tiny.styles_dir, cache_dir=path.parent, aliases={})
    assert "delta" in newer.index()


def test_unwritable_cache_still_works(tiny, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    reg = Registry(tiny.styles_dir, cache_dir=blocker / "cache", aliases={})
    assert "alpha-style" in reg.index()


def test_index_reader_refuses_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    styles = tmp_path / "styles"
    (styles / "dependent").mkdir(parents=True)
    (styles / "evil.csl").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        + csl("&x;").split("\n", 1)[1])
    reg = Registry(styles, cache_dir=tmp_path / "cache", aliases={})
    entries = reg.index()
    assert all("TOP-SECRET" not in e.title for e in entries.values())


def test_cached_index_is_read_not_rebuilt(official, monkeypatch):
    # A warm index answers searches without reading a single style file (that is what makes it fast).
    official.index()
    fresh = Registry(cache_dir=official._index_path().parent)
    monkeypatch.setattr(registry, "_read_info", lambda path: pytest.fail(f"style file read: {path}"))
    hits = fresh.search("chicago")
    assert hits and hits[0].id.startswith("chicago")


def test_tiny_registry_names(tiny):
    assert tiny.locate("a").name == "alpha-style.csl"
    assert tiny.locate("old-alpha").name == "alpha-style.csl"
    assert tiny.locate("Gamma Journal").name == "gamma-journal.csl"
    assert tiny.load_parent("http://www.zotero.org/styles/alpha-style") == (
        tiny.styles_dir / "alpha-style.csl").read_bytes()
    assert tiny.load_parent("old-alpha") is not None
    assert tiny.load_parent("gamma-journal") is None  # dependent styles are no parents
    assert tiny.load_parent("../styles/alpha-style") is None


# --- parsing and the parsed-style cache -----------------------------------------------------------------

def test_resolve_caches_per_file(tiny):
    first = tiny.resolve("alpha-style")
    assert tiny.resolve("a") is first
    assert tiny.resolve(tiny.styles_dir / "alpha-style.csl") is first
    assert tiny.resolve(first) is first
    assert first.info.title == "Alpha Style"


def test_resolve_reparses_a_changed_file(tiny):
    path = tiny.styles_dir / "alpha-style.csl"
    first = tiny.resolve(path)
    path.write_text(csl("Alpha Style Revised", style_id="alpha-style"))
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    second = tiny.resolve(path)
    assert second is not first and second.info.title == "Alpha Style Revised"


def test_resolve_dependent_uses_parent(tiny):
    style = tiny.resolve("gamma-journal")
    assert style.info.is_dependent and style.info.title == "Gamma Journal"
    assert style.info.style_class == "in-text"


def test_resolve_xml_text(tiny):
    text = csl("Inline")
    style = tiny.resolve(text)
    assert style.info.title == "Inline"
    assert tiny.resolve(text) is style
    assert tiny.resolve(text.encode()) is style


def test_resolve_rejects_other_types(tiny):
    with pytest.raises(TypeError, match="a style is a name"):
        tiny.resolve(42)


def test_resolve_is_thread_safe(official):
    official.clear_cache()
    results, barrier = [], threading.Barrier(8)

    def work():
        barrier.wait()
        results.append(official.resolve("apa"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r is official.resolve("apa") for r in results)


def test_official_dependent_style(official):
    style = official.resolve("nature-digest")
    assert style.info.title == "Nature Digest"
    assert style.info.default_locale == "en-GB"  # the dependent's own locale is kept
    assert style.info.parent_id == "http://www.zotero.org/styles/nature"
