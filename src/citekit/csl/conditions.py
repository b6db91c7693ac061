"""<choose>: every condition of CSL 1.0.2 and the any/all/none match modes."""

from __future__ import annotations

from .numbers import tests_numeric
from .variables import NUMBER_VARIABLES


def evaluate_choose(ev, el, cite):
    """The first branch of a <choose> whose conditions hold, or None."""
    for branch in el.children:
        if branch.tag == "else":
            return branch
        if branch.tag in ("if", "else-if") and _holds(ev, branch, cite):
            return branch
    return None


def _holds(ev, branch, cite) -> bool:
    compiled = branch.extra.get("tests")
    if compiled is None:
        compiled = branch.extra["tests"] = _compile(branch)
    match, tests = compiled
    if not tests:
        return False
    if match == "any":
        for test in tests:
            if test(ev, cite):
                return True
        return False
    if match == "none":
        for test in tests:
            if test(ev, cite):
                return False
        return True
    for test in tests:
        if not test(ev, cite):
            return False
    return True


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
                # the common case: a plain item field, name list or date
                tests.append(lambda ev, cite, v=v: v in cite.item.names or v in cite.item.dates or (
                    cite.item.fields.get(v) not in (None, "", False)))
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
