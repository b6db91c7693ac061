"""Disambiguation across every registered item (CSL 1.0.2, "Disambiguation").

Each item's cite is rendered once in its plain "ambiguous form" (the subsequent
cite without locator or decorations) and items are bucketed by that text; only the
items of a bucket with more than one member are compared again, so the work grows
with the size of the ambiguous buckets, not with the square of the document.

Methods, in the order the specification (and citeproc-js) applies them:

1. global name expansion (givenname-disambiguation-rule other than by-cite): every
   rendered name that collides with another name of the same family is given
   initials or its full given name, in all cites;
2. per bucket, step by step: expand the given name of each rendered name (by-cite)
   and show names hidden by et-al (add-names), keeping only the steps that
   separated some cites;
3. add-year-suffix for what stays ambiguous, in bibliography order;
   otherwise the disambiguate="true" condition.
"""

from __future__ import annotations

import re

from .evaluate import Cite, DisambigState, Frame, tests_disambiguate
from .names import initialize
from .richtext import plain_text


def year_suffix_letters(n: int) -> str:
    """0 → a, 25 → z, 26 → aa, 27 → ab ..."""
    out = ""
    n += 1
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def style_uses_disambiguate_condition(style) -> bool:
    cached = getattr(style, "_citekit_has_disamb_cond", None)
    if cached is not None:
        return cached

    roots = [style.citation, *style.macros.values()]
    found = any(tests_disambiguate(style, r) for r in roots if r is not None)
    try:
        style._citekit_has_disamb_cond = found
    except AttributeError:
        pass
    return found


class _Ambig:
    """Renders items in their ambiguous form, with a cache shared across runs."""

    def __init__(self, doc):
        self.doc = doc
        cache = getattr(doc, "cache", None)
        # a run of its own keeps its renders for itself: those of a state the item has
        # left can go (drop)
        self.own = cache is None
        self.cache = cache.ambig if cache is not None else {}

    def key(self, iid, state) -> tuple:
        if self.own:
            return iid, state.key()  # (one run: the items' versions and numbers stay as they are)
        cache = self.doc.cache
        return (iid, cache.version(iid), self.doc.numbers.get(iid), state.key())

    def render(self, iid, state):
        doc = self.doc
        key = self.key(iid, state)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        cite = Cite(doc.items[iid], position="subsequent", near_note=True,
                    citation_number=doc.numbers.get(iid), disamb=state)
        frame = Frame()
        frame.for_disambiguation = True
        node = doc.cit.render_cite(cite, frame)
        text = plain_text(node) if node is not None else ""
        # (variable, names, shown, form, initialize-with): a list shown whole is the names
        # list itself rather than a copy of it, as the render is kept
        out = (text, tuple(e if e[2] is e[1] or len(e[2]) != len(e[1]) else (e[0], e[1], e[1], e[3], e[4])
                           for e in frame.names_seen))
        self.cache[key] = out
        return out

    def drop(self, key) -> None:
        """Forget a render (a key of `key`) no step will ask for again, unless the cache is
        an incremental document's, whose next run may."""
        if self.own:
            self.cache.pop(key, None)

    def text(self, iid, state):
        return self.render(iid, state)[0]


def disambiguates(doc) -> bool:
    """Does this run disambiguate at all (a method on, and two items or more)?"""
    if doc.style.citation is None or doc.cit.layout is None or len(doc.items) < 2:
        return False  # one item is never ambiguous
    opts = doc.cit.opts
    return any(opts.get(k) == "true" for k in ("disambiguate-add-names", "disambiguate-add-givenname",
                                                "disambiguate-add-year-suffix")) \
        or style_uses_disambiguate_condition(doc.style)


def registers_sort_names(doc) -> bool:
    """Does disambiguation read the names the bibliography's sort keys render (a global
    givenname-disambiguation-rule, whose registry counts them as citeproc-js does)?"""
    if not disambiguates(doc):
        return False
    opts = doc.cit.opts
    return (opts.get("disambiguate-add-givenname") == "true"
            and opts.get("givenname-disambiguation-rule", "by-cite") != "by-cite")


def disambiguate(doc) -> None:
    style = doc.style
    if not disambiguates(doc):
        return
    opts = doc.cit.opts
    add_names = opts.get("disambiguate-add-names") == "true"
    add_given = opts.get("disambiguate-add-givenname") == "true"
    rule = opts.get("givenname-disambiguation-rule", "by-cite")
    add_year = opts.get("disambiguate-add-year-suffix") == "true"
    has_cond = style_uses_disambiguate_condition(style)
    amb = _Ambig(doc)
    doc.suffix_groups = []  # the cites that share a series of year suffixes
    ids = list(doc.order)
    before_names = None
    if registers_sort_names(doc):  # (a global rule: add_given and rule != "by-cite")
        if add_year and not add_names:  # (rendered anyway by _global_names: cached)
            before_names = {iid: amb.text(iid, doc.disamb[iid]) for iid in ids}
        _global_names(doc, amb, ids, rule)
    buckets: dict = {}  # ambiguous form → the item's id, or a list of the items that share it
    for iid in ids:
        text = amb.text(iid, doc.disamb[iid])
        found = buckets.get(text)
        if found is None:
            buckets[text] = iid  # (most forms are one item's: no list for them)
        elif found.__class__ is list:
            found.append(iid)
        else:
            buckets[text] = [found, iid]
    bib_rank = {iid: i for i, iid in enumerate(doc.bib_order)}
    for group in buckets.values():
        if group.__class__ is list:
            _resolve_group(doc, amb, group, add_names, add_given and rule == "by-cite", add_year, has_cond,
                           bib_rank)
    if before_names is not None:
        _suffix_whole_groups(doc, before_names, bib_rank)


def _suffix_whole_groups(doc, before_names, bib_rank) -> None:
    """citeproc-js under a global givenname-disambiguation-rule, without add-names: when
    cites that were alike before the given names were added still need year suffixes,
    every cite of that former group gets one, in bibliography order ("John Smith 2019a",
    "Julia Smith 2019b", "Julia Smith 2019c"); a group the given names told apart gets none."""
    groups: dict = {}
    for iid, text in before_names.items():
        groups.setdefault(text, []).append(iid)
    for group in groups.values():
        if len(group) > 1 and any(doc.disamb[i].year_suffix for i in group):
            doc.suffix_groups = [g for g in doc.suffix_groups if not set(g) <= set(group)]
            _give_suffixes(doc, group, bib_rank)


def _give_suffixes(doc, group, bib_rank) -> None:
    doc.suffix_groups.append(group)
    for n, iid in enumerate(sorted(group, key=lambda i: bib_rank.get(i, len(bib_rank)))):
        doc.disamb[iid].year_suffix = year_suffix_letters(n)


# -- 1. global name expansion ------------------------------------------------------

def _strip_periods(s: str) -> str:
    return re.sub(r"\s+", " ", (s or "").replace(".", " ")).strip()


def _name_keys(name: dict, demote: str, memo: dict | None = None):
    """memo: a run's keys of the names it has seen (a run sees each name many times; the
    memo goes with the run rather than staying in the process)."""
    family = name.get("family")
    if not family or "literal" in name:
        return None
    ndp = name.get("non-dropping-particle", "") if demote == "never" else ""
    if memo is None:
        return _keys(family, name.get("given", ""), ndp)
    args = (family, name.get("given", ""), ndp)
    found = memo.get(args)
    if found is None:
        found = memo[args] = _keys(*args)
    return found


def _keys(family, given, ndp):
    """(family, initials, given) with periods dropped: the three levels a name can
    be told apart at. A particle that is never demoted belongs to the family."""
    pkey = _strip_periods(family)
    if ndp:
        pkey = ndp + " " + pkey
    skey = _strip_periods(given)
    ikey = initialize(skey, "", True) if skey else ""
    return pkey, ikey, skey


SEVERAL = object()  # (_register)


def _register(table: dict, key, value) -> None:
    """Note that key goes with value: table[key] is the value while only one was seen,
    SEVERAL once another was."""
    found = table.get(key, SEVERAL)
    if found is SEVERAL:
        if key not in table:
            table[key] = value
    elif found != value:
        table[key] = SEVERAL


def _global_names(doc, amb, ids, rule):
    primary = rule.startswith("primary-name")
    with_initials = rule.endswith("-with-initials")
    # The registry, as far as the levels ask of it: whether a family has names of several
    # initials, and a family and initials several given names (a value seen, or SEVERAL:
    # no set of them each)
    families: dict = {}  # family → its initials, or SEVERAL
    givens: dict = {}  # (family, initials) → the given name, or SEVERAL
    seen = {}
    memo: dict = {}  # (the keys of each name, made once)
    for iid in ids:
        _, sets = amb.render(iid, doc.disamb[iid])
        seen[iid] = sets
        # The names that can make a name ambiguous: with the primary-name rules, the
        # first name of each name list the cite renders (citeproc-js registers names as
        # it renders them: a chapter's editor missing from its cite does not count);
        # otherwise every name of the cite, hidden ones too.
        # The bibliography's sort keys render names too, and citeproc-js counts them (read
        # here alone: each item's are let go as they are read).
        lists = [names for _var, names, _shown, _form, _iw in sets] + doc.sort_names.pop(iid, [])
        if primary:
            pool = [names[0] for names in lists if names]
        else:
            pool = [name for names in lists for name in names]
        for name in pool:
            k = _name_keys(name, doc.cit.demote_particle, memo)
            if k:
                _register(families, k[0], k[1])
                _register(givens, k[:2], k[2])
    shared: dict = {}  # equal levels: one dict (and one set) for every item that has them
    for iid in ids:
        levels = {}
        full_for_cite = set()
        for var, names, shown, form, iw in seen[iid]:
            for i, name in enumerate(names):
                if primary and i > 0:
                    break
                k = _name_keys(name, doc.cit.demote_particle, memo)
                if not k or not name.get("given"):
                    continue
                default = 0 if form == "short" else (1 if iw is not None else 2)
                several_inits = families.get(k[0]) is SEVERAL
                level = default
                if with_initials:
                    # the rule only ever adds initials (without initialize-with: "A García",
                    # as citeproc-js prints them)
                    if several_inits:
                        level = max(level, 1)
                else:
                    if several_inits:
                        level = max(level, 1)
                    if givens.get(k[:2]) is SEVERAL:
                        level = 2
                    elif several_inits and iw is None:
                        level = 2
                        full_for_cite.add((var, i))
                if level > default:
                    levels[(var, i)] = level
        if levels:
            st = doc.disamb[iid]
            before = amb.key(iid, st)
            # (one dict for both when the item has no levels of its own, and one for the items
            # with equal levels: none is changed in place, a later step makes new ones)
            levels = shared.setdefault(tuple(levels.items()), levels)
            if full_for_cite:
                full_for_cite = shared.setdefault(("full", *full_for_cite), full_for_cite)
            st.name_levels = {**st.name_levels, **levels} if st.name_levels else levels
            st.global_levels = levels
            st.global_full_for_cite = full_for_cite or None
            # the render of the state the item left is not asked for again (its levels only grow)
            amb.drop(before)


# -- 2-3. per bucket ----------------------------------------------------------------

def _steps(doc, amb, group, add_names, add_given):
    """The expansion steps, as (counts, levels) snapshots applied on top of each item's
    state: given names of each shown name, then each hidden name (and its given name).
    Steps address a name list by its place in the cite, not by its variable, as citeproc-js
    does: an edited book's editors (standing in for the author) and a chapter's authors are
    the same list, so expanding "Goodin" in both tells nothing apart."""
    sets = amb.render(group[0], doc.disamb[group[0]])[1]
    counts: dict = {}
    levels: dict = {}
    seen_vars = []
    for k, (var, names, shown, form, iw) in enumerate(sets):
        if var in seen_vars:
            continue
        seen_vars.append(var)
        total = len(names)
        for iid in group:
            other = amb.render(iid, doc.disamb[iid])[1]
            if k < len(other):
                total = max(total, len(other[k][1]))
        n_shown = len(shown)
        for i in range(total):
            if i >= n_shown:
                if not add_names:
                    break
                n_shown = i + 1
                counts = {**counts, k: n_shown}
                yield counts, levels
            if add_given:
                default = 0 if form == "short" else (1 if iw is not None else 2)
                for level in (1, 2):
                    if level <= default or (level == 1 and iw is None):
                        continue
                    levels = {**levels, (k, i): level}
                    yield counts, levels


def _by_variable(amb, doc, iid, counts, levels):
    """Steps' (place, index) keys as the item's own (variable, index) keys."""
    sets = amb.render(iid, doc.disamb[iid])[1]
    out_counts = {sets[k][0]: n for k, n in counts.items() if k < len(sets)}
    out_levels = {(sets[k][0], i): v for (k, i), v in levels.items() if k < len(sets)}
    return out_counts, out_levels


def _with(state, counts, levels):
    s = state.copy()
    if counts:
        s.name_counts = {**(s.name_counts or {}), **counts}
    if levels:
        merged = dict(s.name_levels or {})
        for k, v in levels.items():
            if v > merged.get(k, 0):
                merged[k] = v
        s.name_levels = merged
    return s


def _partition(amb, states, iids):
    classes: dict = {}
    for iid in iids:
        classes.setdefault(amb.text(iid, states[iid]), []).append(iid)
    return list(classes.values())


def _resolve_group(doc, amb, group, add_names, add_given, add_year, has_cond, bib_rank):
    remaining = _expand_names(doc, amb, group, add_names, add_given) if (add_names or add_given) else [group]
    for cls in remaining:
        if len(cls) < 2:
            continue
        if add_year:
            _give_suffixes(doc, cls, bib_rank)
        elif has_cond:
            # As citeproc-js: the disambiguate="true" tests a cite meets hold one more at a
            # time (level n: the first n), and a cite keeps the level that told it apart.
            pending = cls
            for level in range(1, _disambiguate_tests(doc.style) + 1):
                for iid in pending:
                    doc.disamb[iid].disambiguate = level
                pending = [i for c in _partition(amb, {i: doc.disamb[i] for i in pending}, pending)
                           if len(c) > 1 for i in c]
                if not pending:
                    break
            if pending and (add_names or add_given):
                _expand_names(doc, amb, pending, add_names, add_given)


def _disambiguate_tests(style) -> int:
    """How many disambiguate="true" tests the style's citation has (a bound on the levels)."""
    n = style._facts.get("disambiguate-tests")
    if n is None:
        def count(el):
            own = el.tag in ("if", "else-if") and el.get("disambiguate") == "true"
            return own + sum(count(c) for c in el.children)
        n = sum(count(r) for r in (style.citation, *style.macros.values()) if r is not None)
        style._facts["disambiguate-tests"] = n
    return n


def _set(doc, iid, state):
    # Cites already hold the item's state object: update it in place.
    doc.disamb[iid].__init__()
    target = doc.disamb[iid]
    for slot in DisambigState.__slots__:
        setattr(target, slot, getattr(state, slot))


def _expand_names(doc, amb, group, add_names, add_given) -> list:
    """Step through name expansions; items are settled as soon as their cite is unique.
    Returns the classes still ambiguous at the end."""
    states = {iid: doc.disamb[iid].copy() for iid in group}
    active = [list(group)]
    best_counts: dict = {}
    best_levels: dict = {}
    prev_levels: dict = {}
    for counts, levels in _steps(doc, amb, group, add_names, add_given):
        ids = [i for c in active for i in c]
        trial = {iid: _with(states[iid], *_by_variable(amb, doc, iid, {**best_counts, **counts},
                                                       {**best_levels, **levels})) for iid in ids}
        classes = _partition(amb, trial, ids)
        if len(classes) > len(active):
            # this step told cites apart: keep what it added
            # the names shown so far count; of the given names, only the one this step expanded
            best_counts.update(counts)
            for k, v in levels.items():
                if prev_levels.get(k) != v:
                    best_levels[k] = v
            for c in classes:
                if len(c) == 1:
                    iid = c[0]
                    _set(doc, iid, _with(states[iid], *_by_variable(amb, doc, iid, best_counts, best_levels)))
            active = [c for c in classes if len(c) > 1]
            if not active:
                return []
        prev_levels = levels
    for c in active:
        for iid in c:
            _set(doc, iid, _with(states[iid], *_by_variable(amb, doc, iid, best_counts, best_levels)))
    return active
