"""<choose>: every condition of CSL 1.0.2 and the any/all/none match modes."""

from __future__ import annotations

from .numbers import tests_numeric
from .variables import NUMBER_VARIABLES


def evaluate_choose(ev, el, cite):
    """The first branch of a <choose> whose conditions hold, or None."""
    branches = el.extra.get("branches")
    if branches is None:
        branches = el.extra["branches"] = _compile_choose(el)
    for branch, holds in branches:
        if holds is None or holds(ev, cite):
            return branch
    return None


def branches_of(el):
    """(branch, test or None for an else) for each branch the choose can take, in order."""
    branches = el.extra.get("branches")
    if branches is None:
        branches = el.extra["branches"] = _compile_choose(el)
    return branches


# the conditions that ask only for the item's type and which variables it has (shapes.py)
_STATIC_CONDITIONS = frozenset(("type", "variable", "match"))


def tests_statically(branch) -> bool:
    """Does the branch ask only for the item's type and for plain variables (never the
    locator, a position, a number's form...)? Then every item of a shape decides it alike."""
    a = branch.attrs
    if not _STATIC_CONDITIONS.issuperset(a):  # (an attribute of another kind: decided per cite)
        return False
    return _SPECIAL_VARIABLES.isdisjoint(a.get("variable", "").split())


def static_test_variables(style) -> frozenset:
    """Every variable a branch that tests statically asks for, anywhere in the style."""
    found = set()

    def walk(el):
        if el.tag in ("if", "else-if") and "variable" in el.attrs and tests_statically(el):
            found.update(el.attrs["variable"].split())
        for c in el.children:
            walk(c)
    for root in (style.citation, style.bibliography, *style.macros.values()):
        if root is not None:
            walk(root)
    return frozenset(found)


def _compile_choose(el):
    """(branch, test of (evaluator, cite), None for an else) for each branch a choose can
    take, in order, built once per element: choosing is on every entry's hot path."""
    branches = []
    for branch in el.children:
        if branch.tag == "else":
            branches.append((branch, None))
            break  # nothing after an else is ever taken
        if branch.tag in ("if", "else-if"):
            branches.append((branch, _branch_test(*_compile(branch))))
    return tuple(branches)


def _never(ev, cite):
    return False


def _branch_test(match, tests):
    """One function for a branch's tests under its match mode, each test run in order
    and only as far as needed (a disambiguate test counts when it is run)."""
    if not tests:
        return _never
    if len(tests) == 1 and match != "none":
        return tests[0]
    if match == "any":
        def holds(ev, cite):
            for test in tests:
                if test(ev, cite):
                    return True
            return False
    elif match == "none":
        def holds(ev, cite):
            for test in tests:
                if test(ev, cite):
                    return False
            return True
    else:
        def holds(ev, cite):
            for test in tests:
                if not test(ev, cite):
                    return False
            return True
    return holds


def _compile(branch):
    """The branch's conditions as small functions of (evaluator, cite), built once."""
    tests = []
    for attr in ("disambiguate", "is-numeric", "is-uncertain-date", "locator", "position",
                 "type", "variable"):
        value = branch.get(attr)
        if value is None:
            continue
        if attr == "type":
            # the types of one attribute are one test, met by any of them, whatever the
            # match (as in citeproc-js, which styles rely on: type="book chapter" without
            # match="any" means "a book or a chapter")
            types = frozenset(value.split())
            tests.append(lambda ev, cite, types=types: cite.item.type in types)
            continue
        for v in value.split():
            if attr == "variable" and v not in _SPECIAL_VARIABLES:
                # the common case: a plain item field, name list or date (Item.present holds
                # exactly those with a value: a non-empty field, names or a date)
                tests.append(lambda ev, cite, v=v: v in cite.item.present)
            else:
                tests.append(lambda ev, cite, a=attr, v=v: _test(ev, a, v, cite))
    return branch.get("match", "all"), tuple(tests)


_SPECIAL_VARIABLES = frozenset(("locator", "citation-number", "year-suffix", "first-reference-note-number",
                                "page-first"))


def _test(ev, attr, value, cite) -> bool:
    item = cite.item
    if attr == "type":
        return item.type == value
    if attr == "variable":
        return has_variable(item, value, cite)
    if attr == "is-numeric":
        if value == "locator":
            v = cite.locator
        elif value == "citation-number":
            v = cite.citation_number
        else:
            v = item.fields.get(value)
        return v is not None and tests_numeric(str(v), value in NUMBER_VARIABLES)
    if attr == "is-uncertain-date":
        d = item.dates.get(value)
        return bool(d and d.circa)
    if attr == "locator":
        label = (cite.label or "page") if cite.locator else None
        if label is None:
            return False
        return label.replace(" ", "-") == value
    if attr == "position":
        return _position(ev, value, cite)
    if attr == "disambiguate":
        # the item's level n makes the first n disambiguate="true" tests of a rendering hold
        level = cite.disamb.disambiguate
        if value != "true" or not level:
            return not level if value != "true" else False
        met = ev.disambiguate_tests
        ev.disambiguate_tests = met + 1
        return met < level
    return False


def _position(ev, value, cite) -> bool:
    if ev.mode == "bibliography":
        return False  # positions belong to cites; every position test fails in a bibliography
    pos = cite.position
    if value == "first":
        return pos == "first"
    if value == "subsequent":
        return pos in ("subsequent", "ibid", "ibid-with-locator")
    if value == "ibid":
        return pos in ("ibid", "ibid-with-locator")
    if value == "ibid-with-locator":
        return pos == "ibid-with-locator"
    if value == "near-note":
        return pos != "first" and cite.near_note
    return False


def has_variable(item, name, cite) -> bool:
    if name == "locator":
        return bool(cite.locator)
    if name == "citation-number":
        return cite.citation_number is not None
    if name == "year-suffix":
        return bool(cite.disamb.year_suffix)
    if name == "first-reference-note-number":
        return bool(cite.first_note) and cite.position != "first"
    if name in item.names:
        return True
    if name in item.dates:
        return True
    if name == "page-first" and item.fields.get("page"):
        return True
    v = item.fields.get(name)
    return v is not None and v != "" and v is not False
