"""Disambiguation, cite grouping and collapsing on small hand-made styles, and its
cost on large documents."""

from __future__ import annotations

import citekit
from citekit.csl import parse_style, process
from citekit.csl import disambiguate as disamb_module
from citekit.csl.disambiguate import year_suffix_letters


def _style(citation_attrs: str, layout: str, bibliography: str = "") -> str:
    return f"""<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><id>t</id><title>t</title><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation {citation_attrs}><layout prefix="(" suffix=")" delimiter="; ">{layout}</layout></citation>
  {bibliography}
</style>"""


AUTHOR_YEAR = """<group delimiter=" ">
  <names variable="author"><name form="short" initialize-with=". " and="symbol"/></names>
  <date variable="issued"><date-part name="year"/></date>
</group>"""


def _book(iid, authors, year, title="T"):
    return {"id": iid, "type": "book", "title": title, "issued": {"date-parts": [[year]]},
            "author": [{"family": f, "given": g} for f, g in authors]}


def _cite_all(style, items):
    return citekit.render(style, items, [[{"id": it["id"]}] for it in items]).citations


def test_add_givenname_by_cite_expands_only_what_separates():
    style = _style('disambiguate-add-givenname="true"', AUTHOR_YEAR)
    items = [_book("a", [("Doe", "John")], 2000), _book("b", [("Doe", "Mary")], 2000),
             _book("c", [("Roe", "Ann")], 2000)]
    assert _cite_all(style, items) == ["(J. Doe 2000)", "(M. Doe 2000)", "(Roe 2000)"]


def test_add_givenname_falls_back_to_full_names_when_initials_collide():
    style = _style('disambiguate-add-givenname="true"', AUTHOR_YEAR)
    items = [_book("a", [("Doe", "John")], 2000), _book("b", [("Doe", "Jane")], 2000)]
    assert _cite_all(style, items) == ["(John Doe 2000)", "(Jane Doe 2000)"]


def test_add_names_shows_hidden_names_one_by_one():
    style = _style('et-al-min="3" et-al-use-first="1" disambiguate-add-names="true"', AUTHOR_YEAR)
    items = [_book("a", [("Doe", "J"), ("Roe", "R"), ("Poe", "P")], 2000),
             _book("b", [("Doe", "J"), ("Roe", "R"), ("Lee", "L")], 2000),
             _book("c", [("Doe", "J"), ("Kim", "K"), ("Lee", "L")], 2000)]
    assert _cite_all(style, items) == [
        "(Doe, Roe, & Poe 2000)", "(Doe, Roe, & Lee 2000)", "(Doe, Kim, et al. 2000)"]


def test_all_names_rule_expands_ambiguous_names_in_unambiguous_cites():
    style = _style('disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"', AUTHOR_YEAR)
    items = [_book("a", [("Doe", "John")], 2000), _book("b", [("Doe", "Mary")], 2010)]
    assert _cite_all(style, items) == ["(J. Doe 2000)", "(M. Doe 2010)"]
    primary = _style('disambiguate-add-givenname="true" givenname-disambiguation-rule="primary-name"',
                     AUTHOR_YEAR)
    items = [_book("a", [("Roe", "Al"), ("Doe", "John")], 2000), _book("b", [("Doe", "Mary")], 2010)]
    # primary-name looks at first names only: a second author "Doe" clashes with nobody
    assert _cite_all(primary, items) == ["(Roe & Doe 2000)", "(Doe 2010)"]


def test_year_suffix_follows_bibliography_order_and_is_implicit():
    bib = """<bibliography><sort><key variable="title"/></sort>
      <layout><text variable="title" suffix=" "/><date variable="issued"><date-part name="year"/></date></layout>
    </bibliography>"""
    style = _style('disambiguate-add-year-suffix="true"', AUTHOR_YEAR, bib)
    items = [_book("a", [("Doe", "John")], 2000, "Zeta"), _book("b", [("Doe", "John")], 2000, "Alpha")]
    res = citekit.render(style, items, [[{"id": "a"}], [{"id": "b"}]])
    assert res.citations == ["(Doe 2000b)", "(Doe 2000a)"]
    assert [e.text for e in res.bibliography] == ["Alpha 2000a", "Zeta 2000b"]


def test_year_suffix_letters_go_past_z():
    assert [year_suffix_letters(n) for n in (0, 25, 26, 27, 51, 52)] == ["a", "z", "aa", "ab", "az", "ba"]


def test_disambiguate_condition_adds_what_the_style_says():
    layout = """<group delimiter=", ">
      <names variable="author"><name form="short"/></names>
      <choose><if disambiguate="true"><text variable="title" quotes="true"/></if></choose>
    </group>"""
    style = _style("", layout)
    items = [_book("a", [("Doe", "John")], 2000, "One"), _book("b", [("Doe", "John")], 2001, "Two"),
             _book("c", [("Roe", "Ann")], 2000, "Three")]
    assert _cite_all(style, items) == ["(Doe, “One”)", "(Doe, “Two”)", "(Roe)"]


def test_collapse_year_suffix_ranged_with_groups():
    style = _style('disambiguate-add-year-suffix="true" collapse="year-suffix-ranged"', AUTHOR_YEAR)
    items = [_book(f"d{i}", [("Doe", "John")], 2000, f"T{i}") for i in range(4)]
    items.append(_book("r", [("Roe", "Ann")], 1999))
    items.append(_book("d9", [("Doe", "John")], 2003))
    cluster = [{"id": i} for i in ("d0", "r", "d1", "d2", "d3", "d9")]
    res = citekit.render(style, items, [cluster])
    # no cs:sort: only neighbouring cites are grouped (citeproc-js 2.4.63)
    assert res.citations == ["(Doe 2000a; Roe 1999; Doe 2000b–d, 2003)"]


def test_cite_group_delimiter_and_after_collapse_delimiter():
    style = _style('collapse="year" cite-group-delimiter="," after-collapse-delimiter="; "', AUTHOR_YEAR)
    # grouping across other cites needs a sorted citation
    style = style.replace("<layout", '<sort><key variable="author"/></sort><layout', 1)
    items = [_book("a", [("Doe", "John")], 2000), _book("b", [("Roe", "Ann")], 2001),
             _book("c", [("Doe", "John")], 2005)]
    res = citekit.render(style, items, [[{"id": "a"}, {"id": "b"}, {"id": "c"}]])
    assert res.citations == ["(Doe 2000,2005; Roe 2001)"]


# -- scale ------------------------------------------------------------------------------

def _many(n):
    # many families, each shared by a handful of authors, several works per year
    return [{"id": f"i{i}", "type": "book", "title": f"Title {i}",
             "author": [{"family": f"Fam{i % (n // 4)}", "given": "ABCDEFGH"[i % 8] + "x"}],
             "issued": {"date-parts": [[2000 + i % 3]]}} for i in range(n)]


def test_disambiguation_renders_each_item_a_bounded_number_of_times(monkeypatch):
    """Buckets by ambiguous form: the number of renders grows with the items, not
    with their square."""
    counts = []
    original = disamb_module._Ambig.render

    def counting(self, iid, state):
        before = len(self.cache)
        out = original(self, iid, state)
        if len(self.cache) != before:
            counts[-1] += 1
        return out

    monkeypatch.setattr(disamb_module._Ambig, "render", counting)
    style = citekit.registry.resolve("apa")
    for n in (200, 2000):
        counts.append(0)
        process(style, _many(n), None)
    small, large = counts
    assert large <= 3 * 2000
    assert large <= 12 * small  # linear: ten times the items, about ten times the renders


def test_parse_style_once_and_render_large_documents():
    style = parse_style(_style('disambiguate-add-givenname="true" disambiguate-add-year-suffix="true" '
                               'collapse="year"', AUTHOR_YEAR))
    items = _many(1000)
    res = process(style, items, [[{"id": f"i{i}"}, {"id": f"i{(i * 7) % 1000}"}] for i in range(1000)])
    assert len(res.citations) == 1000
    assert all(c.startswith("(") for c in res.citations)
