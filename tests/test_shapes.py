"""Item shapes (issue 14, shapes.py): what a shaped tree holds, which items share a shape,
and that the number of shapes kept is bounded. tests/test_differential.py holds shaped and
unshaped output identical over the CSL test suite and the agreement corpus."""

from __future__ import annotations

import pytest

import citekit
from citekit.csl import parse_style, shapes
from citekit.csl.evaluate import Cite, Evaluator
from citekit.csl.variables import Item


@pytest.fixture
def unshaped(monkeypatch):
    """Run with shaping off: the evaluator walks the style's own tree."""
    def switch(on: bool):
        monkeypatch.setattr(shapes, "ENABLED", on)
    return switch


STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" class="note">
<info><title>T</title><id>t</id></info>
<macro name="title">
  <choose>
    <if type="book"><text variable="title" font-style="italic"/></if>
    <else-if variable="container-title"><text variable="title" quotes="true"/></else-if>
    <else><text variable="title"/></else>
  </choose>
</macro>
<citation><layout delimiter="; ">
  <names variable="author" suffix=", "/>
  <text macro="title"/>
  <choose>
    <if position="subsequent"><text value="sub"/></if>
    <else-if type="book"><text variable="publisher"/></else-if>
    <else-if type="article-journal"><text variable="container-title"/></else-if>
  </choose>
  <group delimiter=" "><text variable="page"/></group>
</layout></citation></style>"""


def _item(**fields):
    return Item({"id": "x", **fields}, [])


def test_a_shaped_tree_settles_the_conditions_on_type_and_variables():
    style = parse_style(STYLE)
    ev = Evaluator(style, style.locale(), "citation", [])
    book = Cite(_item(type="book", title="T", publisher="P"))
    layout = shapes.shaped_layout(ev, book)
    assert layout is not ev.layout
    tags = [c.tag for c in layout.children]
    # the choose on position stays, with the branches a book can take: the position test,
    # then the book's branch as its else; the journal's branch is gone
    assert tags == ["names", "text", "choose", "group"]
    choose = layout.children[2]
    assert [b.tag for b in choose.children] == ["if", "else"]
    assert choose.children[1].children[0].attrs == {"variable": "publisher"}
    # the macro is shaped too: the book's italic title in place of the choose
    macro = layout.children[1].extra["shaped"]
    assert [(c.tag, c.attrs) for c in macro.children] == [("text", {"variable": "title", "font-style": "italic"})]
    # what holds no choose is the style's own element, shared by every shape
    assert layout.children[0] is ev.layout.children[0]
    assert layout.children[3] is ev.layout.children[3]


def test_items_alike_in_what_conditions_ask_share_a_shape_and_others_do_not():
    style = parse_style(STYLE)
    ev = Evaluator(style, style.locale(), "citation", [])
    a = shapes.shaped_layout(ev, Cite(_item(type="chapter", title="A", page="3")))
    b = shapes.shaped_layout(ev, Cite(_item(type="chapter", title="B", publisher="Q")))
    c = shapes.shaped_layout(ev, Cite(_item(type="chapter", title="C", **{"container-title": "Y"})))
    assert a is b  # page and publisher are tested by no condition
    assert c is not a
    macro_a, macro_c = a.children[1].extra["shaped"], c.children[1].extra["shaped"]
    assert macro_a.children[0].quotes is False and macro_c.children[0].quotes is True


def test_the_shapes_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(shapes, "MAX_SHAPES", 8)
    xml = STYLE.replace('<else-if variable="container-title">',
                        '<else-if variable="' + " ".join(f"v{i}" for i in range(12)) + '" match="all">')
    style = parse_style(xml)
    ev = Evaluator(style, style.locale(), "citation", [])
    for n in range(200):
        fields = {f"v{i}": "x" for i in range(12) if n >> i & 1}
        shapes.shaped_layout(ev, Cite(Item({"id": str(n), "type": "chapter", "title": "T", **fields}, [])))
    kept = style._facts["shapes"]
    assert 0 < len(kept.by_key) <= 8 and len(kept.by_item) <= 32


def test_items_print_alike_whatever_order_their_shapes_are_built_in(unshaped):
    """A shape is built with the first cite of its kind: later items of the kind print their own data."""
    items = [{"id": "a", "type": "book", "title": "One", "publisher": "P", "author": [{"family": "Ng"}]},
             {"id": "b", "type": "book", "title": "Two", "publisher": "Q"},
             {"id": "c", "type": "article-journal", "title": "Three", "container-title": "J", "page": "4"},
             {"id": "d", "type": "article-journal", "title": "Four", "container-title": "K"}]
    clusters = [[{"id": "a"}], [{"id": "c"}], [{"id": "a"}], [{"id": "b"}], [{"id": "d"}]]
    unshaped(False)
    plain = citekit.render(parse_style(STYLE), items, clusters).citations
    unshaped(True)
    shaped = citekit.render(parse_style(STYLE), items, clusters).citations
    # (the layout has no delimiter between its elements; the second cite of "a" is subsequent)
    assert shaped == plain == ["Ng, OneP", "“Three”J4", "Ng, Onesub", "TwoQ", "“Four”K"]


def test_the_copies_a_style_makes_are_bounded_and_what_is_not_shaped_prints_alike(monkeypatch, unshaped):
    """A style met by items of many kinds stops copying itself at MAX_COPIES: items of a
    new kind then walk the style's own tree (partly shaped trees walk alike too)."""
    monkeypatch.setattr(shapes, "MAX_COPIES", 40)
    branches = "".join(f'<else-if variable="v{i}"><text variable="v{i}" prefix="{i}:"/></else-if>'
                       for i in range(10))
    xml = STYLE.replace('<else-if variable="container-title">', branches + '<else-if variable="container-title">')
    items = [{"id": str(n), "type": "chapter", "title": f"T{n}", f"v{n % 10}": "x", "page": str(n)}
             for n in range(40)]
    clusters = [[{"id": str(n)}] for n in range(40)]
    unshaped(False)
    plain = citekit.render(parse_style(xml), items, clusters).citations
    unshaped(True)
    style = parse_style(xml)
    shaped = citekit.render(style, items, clusters).citations
    assert shaped == plain and len(set(shaped)) == 40
    kept = style._facts["shapes"]
    assert 40 <= kept.copies <= 40 + 10  # (past the bound: at most the copies of one path, parents of what reached it)
    assert len(kept.by_key) < 10  # later kinds were not shaped
