"""Item shapes: a style's tree specialised once for each kind of item it meets.

Most conditions of a style ask only for the item's type and for which variables it
has (95% of the tests of APA, MLA, Chicago and IEEE, and a catalogue's items fall into
a few dozen such kinds). Items alike in those respects, an item *shape*, take the same
branches, so those chooses are settled once per shape: the shaped tree holds the taken
branch's elements where the choose stood (a choose is transparent, so this renders
alike), and the evaluator walks it as it walks the style's own tree. A branch that asks
for anything else (a position, a locator, a number, disambiguation) stays in a smaller
choose, decided per cite.

Shaped trees share every element that holds no choose with the style's own tree, and
copy the rest with its derived fields: a copy renders as its original does for the
shape's items. What a copy needs is its own (an item of the shape takes none of the
branches settled away, so what those need does not count, and more is skipped); whether
it holds a date is asked of the original. `tests/test_differential.py`
renders the CSL test suite and the agreement corpus both ways and requires identical
output.
"""

from __future__ import annotations

from .conditions import branches_of, static_test_variables, tests_statically

# Shaping can be switched off (the differential test compares both walks).
ENABLED = True
# Shapes kept per style: past this many kinds of items (in one process) the shapes are
# dropped and built again as items ask, so that memory stays bounded whatever the data.
MAX_SHAPES = 256
# Elements copied into shapes per style, all shapes together (about half a kilobyte each):
# past it, items of a shape not built yet walk the style's own tree, so that a huge style
# met by items of many kinds cannot fill memory with copies of itself.
MAX_COPIES = 100_000


class _Shape:
    """One shape's specialised trees: layouts by mode and macros by name, built on demand."""

    __slots__ = ("layouts", "macros", "owner")

    def __init__(self, owner):
        self.layouts = {}
        self.macros = {}
        self.owner = owner  # the style's _Shapes, which counts the copies


class _Shapes:
    """A style's shapes, found by (type, present variables) and by what conditions see of them."""

    __slots__ = ("tested", "by_item", "by_key", "copies")

    def __init__(self, style):
        # the variables static conditions test: two items that differ in others alone share a shape
        self.tested = static_test_variables(style)
        self.by_item = {}  # (type, present) → _Shape
        self.by_key = {}  # (type, present & tested) → _Shape
        self.copies = 0  # elements copied into the shapes kept (MAX_COPIES)

    def find(self, item) -> _Shape | None:
        """The item's shape, or None when no more shapes may be built (MAX_COPIES)."""
        key = (item.type, item.present)
        shape = self.by_item.get(key)
        if shape is None:
            narrow = (item.type, item.present & self.tested)
            shape = self.by_key.get(narrow)
            if shape is None:
                if self.copies >= MAX_COPIES:
                    return None
                if len(self.by_key) >= MAX_SHAPES:
                    self.by_key.clear()
                    self.by_item.clear()
                    self.copies = 0
                shape = self.by_key[narrow] = _Shape(self)
            if len(self.by_item) >= 4 * MAX_SHAPES:
                self.by_item.clear()
            self.by_item[key] = shape
        return shape


def _shapes(style) -> _Shapes:
    found = style._facts.get("shapes")
    if found is None:
        found = style._facts["shapes"] = _Shapes(style)
    return found


def shaped_layout(ev, cite):
    """The evaluator's layout specialised for the cite's item (the layout itself when
    shaping is off or the style has no layout)."""
    layout = ev.layout
    if not ENABLED or layout is None:
        return layout
    shape = _shapes(ev.style).find(cite.item)
    if shape is None:
        return layout
    found = shape.layouts.get(ev.mode)
    if found is None:
        found = shape.layouts[ev.mode] = _Specializer(ev, cite, shape).element(layout)
    return found


def shaped_macro(ev, name, cite):
    """The macro called name specialised for the cite's item, or None if there is none."""
    macro = ev.style.macros.get(name)
    if not ENABLED or macro is None:
        return macro
    shape = _shapes(ev.style).find(cite.item)
    if shape is None:
        return macro
    found = shape.macros.get(name)
    if found is None:
        _Specializer(ev, cite, shape).macro(name)
        found = shape.macros[name]
    return found


class _Specializer:
    """Builds one shape's trees, deciding static conditions with the cite that asked first
    (every item of the shape decides them alike)."""

    def __init__(self, ev, cite, shape):
        self.ev = ev
        self.cite = cite
        self.shape = shape
        self.building = set()  # macros being shaped (parsing refuses loops; this guards anyway)

    def macro(self, name):
        """The shaped macro (stored in the shape), or None when it is the original."""
        shape = self.shape
        if name in shape.macros:
            found = shape.macros[name]
            return None if found is self.ev.style.macros[name] else found
        if name in self.building:
            return None
        self.building.add(name)
        original = self.ev.style.macros[name]
        shaped = self.element(original)
        self.building.discard(name)
        shape.macros[name] = shaped
        return None if shaped is original else shaped

    def element(self, el):
        """el for this shape: el itself when nothing inside it changes (or when the style
        has used its copies: the original walks alike, deciding its chooses per cite)."""
        if self.shape.owner.copies >= MAX_COPIES:
            return el
        if el.tag == "text":
            name = el.attrs.get("macro")
            if name is None or name not in self.ev.style.macros:
                return el
            shaped = self.macro(name)
            if shaped is None:
                return el
            copy = self._copy(el, el.children)
            copy.extra["shaped"] = shaped  # Evaluator.r_text renders this in place of the style's macro
            return copy
        children = el.children
        if not children:
            return el
        new = self.children(children)
        return el if new is children else self._copy(el, new)

    def children(self, children):
        """The shaped list of elements (the same list when nothing in it changes)."""
        out = []
        changed = False
        for c in children:
            if c.tag == "choose" and self.shape.owner.copies < MAX_COPIES:
                changed = True
                out.extend(self.choose(c))
            else:
                n = self.element(c)
                changed = changed or n is not c
                out.append(n)
        return out if changed else children

    def choose(self, el) -> list:
        """What stands for a choose in this shape: the taken branch's elements when every
        branch before it is decided by the shape, else a choose of the branches left."""
        kept = []
        taken = None
        for branch, holds in branches_of(el):
            if holds is None:  # an else
                taken = branch
                break
            if not tests_statically(branch):
                kept.append(self._copy(branch, self.children(branch.children)))
            elif holds(self.ev, self.cite):
                taken = branch
                break
        if not kept:
            return list(self.children(taken.children)) if taken is not None else []
        if taken is not None:
            # the branch the shape takes when no branch before it holds
            last = self._copy(taken, self.children(taken.children))
            last.tag = "else"
            kept.append(last)
        return [self._copy(el, kept)]  # (a copy's branches are its own: El.with_children)

    def _copy(self, el, children):
        """A copy of el with other children (what depends on its whole content is asked of
        the style's own element: El.with_children)."""
        self.shape.owner.copies += 1
        return el.with_children(children)
