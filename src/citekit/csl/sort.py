"""Sorting cites and bibliography entries by a context's <sort> keys.

Keys are computed once per item; missing values sort last whatever the direction.
Strings compare with the locale's collation (ICU), at the strength citeproc-js uses;
ties keep the input order.
"""

from __future__ import annotations

import functools
import re

from .dates import date_key, macro_date_key
from .evaluate import _CITE_LEVEL, Cite, Frame, _first_page
from .limits import to_int
from .names import _name_sort_keys, base_given_level, name_options, name_sort_key
from .numbers import is_numeric
from .richtext import parse_markup, plain_text
from .variables import DATE_VARIABLES, NAME_VARIABLES, NUMBER_VARIABLES


@functools.lru_cache(maxsize=64)
def _collator(tag: str):
    """The locale's ICU collator set as citeproc-js sets the platform's (Intl.Collator
    with sensitivity "base", ignorePunctuation and numeric): case and accents fold
    away, punctuation and spaces are ignored, digit runs compare by value ("Vol. 9" <
    "Vol. 10"), and each locale orders its scripts and letters its own way (ru-RU puts
    Cyrillic before Latin, sv-SE puts Å after Z)."""
    import icu  # PyICU (pyicu-wheels), imported on the first sort: about 40 ms

    c = icu.Collator.createInstance(icu.Locale(tag.replace("-", "_")))
    c.setStrength(icu.Collator.PRIMARY)
    c.setAttribute(icu.UCollAttribute.ALTERNATE_HANDLING, icu.UCollAttributeValue.SHIFTED)
    c.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return c.getSortKey


def _text_key(ev, s: str) -> bytes:
    """The sort key of a string under the locale of the evaluator's run; keys of one
    locale compare as bytes. As citeproc-js builds its keys: lower-cased, each space
    turned into "|" and one "|" at the end, a symbol the collator does not ignore and
    sorts before letters and digits, so a shorter word sorts first ("Dale, Zippy"
    before "Dalebout, Arnie")."""
    return _collator(ev.locale.tag)(s.lower().replace(" ", "|") + "|")


def _number_key(s: str):
    m = re.search(r"-?\d+", s)
    return to_int(m.group(0)) if m else None  # None (sorted as text) past LIMITS.max_digits


class SortKeys(list):
    """An item's sort keys, and the name lists rendering them went through (citeproc-js
    registers those names for given-name disambiguation as it does the cites').
    given_floor: the least given-name level the names of macro keys print by themselves
    (2 when none print); a given-name expansion up to it leaves the keys as they are.
    A key made only when a comparison reaches it stands as LATER until then (fill)."""

    __slots__ = ("names", "given_floor", "ev", "key_els", "cite", "index", "item", "number", "disamb")

    def fill(self, index: int):
        """The key at index, made now: it was left for later."""
        cite = self.cite
        if cite is None:  # a bibliography's cite, made again (compute_keys' keep_cite)
            cite = Cite(self.item, citation_number=self.number, disamb=self.disamb)
        value = self[index] = _key(self.ev, self.key_els[index], cite, self)
        return value

    def __lt__(self, other) -> bool:
        # the order of a sort (sort_cites): by the keys, then by the place in the input
        # (index); the keys sort themselves, without a wrapper or a tuple each
        r = _cmp(self, other)
        return r < 0 if r else self.index < other.index


# A key not made yet: most comparisons are settled by the first key or two, and a macro
# key can cost as much as the entry (MLA's container, Chicago's source).
LATER = object()

# What a key may be left for later (compute_keys' `later`):
EAGER = 0  # none
INVARIANT = 1  # the keys whose text depends on the item alone (_invariant_key)
AFTER_FIRST = 2  # every key after the first: the keys serve this sort only, before disambiguation


def compute_keys(ev, sort_el, cite, names_of: SortKeys | None = None, later: int = EAGER,
                 keep_cite: bool = True) -> SortKeys:
    """names_of: the item's keys before name expansion; only the keys that render names
    are made again, the others are taken from it (the re-sort after disambiguation).
    later: which keys may be left for a comparison to make (EAGER, INVARIANT, AFTER_FIRST).
    keep_cite=False (a bibliography's cite: its item, number and state alone): the keys
    keep what makes the cite again rather than the cite."""
    keys = SortKeys()
    keys.names = [] if names_of is None else names_of.names
    keys.given_floor = 2 if names_of is None else names_of.given_floor
    key_els = _key_elements(sort_el)
    # what fill() needs (a later key depends on the item alone, or is made in this sort)
    keys.ev, keys.key_els, keys.cite = ev, key_els, cite
    values = []
    for index, key in enumerate(key_els):
        if names_of is not None and not _key_renders_names(ev.style, key):
            values.append(names_of[index])
        elif index and (later == AFTER_FIRST or (later == INVARIANT and _invariant_key(ev.style, key))):
            values.append(LATER)
        else:
            values.append(_key(ev, key, cite, keys))
    keys.extend(values)  # (at once: the list is given its size, not grown a key at a time)
    if not keep_cite:
        keys.cite = None
        keys.item, keys.number, keys.disamb = cite.item, cite.citation_number, cite.disamb
    return keys


def _key_elements(sort_el) -> tuple:
    """The cs:key elements of a cs:sort, in order (listed once per element)."""
    found = sort_el.extra.get("keys")
    if found is None:
        found = sort_el.extra["keys"] = tuple(key for key in sort_el.children if key.tag == "key")
    return found


def _key(ev, key, cite, keys: SortKeys) -> tuple:
    """(value, descending) of one key; the names it renders are added to keys'."""
    value = None
    var = key.get("variable")
    if var:
        value = _variable_key(ev, key, var, cite)
        if var in NAME_VARIABLES and cite.item.names.get(var):
            keys.names.append(cite.item.names[var])
            # its names print as the context's cs:name options say (_variable_name_keys)
            o = key.extra[("name-opts", ev.mode)]
            floor = base_given_level(o["form"], o.get("initialize-with"))
            if floor < keys.given_floor:
                keys.given_floor = floor
    elif key.get("macro"):
        text, frame = _macro_key_text(ev, key, cite, True)
        for seen in frame.names_seen:
            keys.names.append(seen[1])
            floor = base_given_level(seen[3], seen[4])
            if floor < keys.given_floor:
                keys.given_floor = floor
        if text:
            num = to_int(text) if text.isdecimal() else None  # "10²" is text: int() refuses it
            value = (0, num) if num is not None else (1, _text_key(ev, text))
    descending = key.get("sort", "ascending") == "descending"
    if value is None:
        return _EMPTY_KEYS[descending]  # (most keys of most items are empty: one tuple for them all)
    return value, descending


_EMPTY_KEYS = {False: (None, False), True: (None, True)}


def _invariant_key(style, key) -> bool:
    """Is the key's text the item's alone, whenever it is made: a macro key without names
    (which disambiguation expands), disambiguate or position conditions, or cite-level
    variables, or a key of a variable that is neither names nor cite-level? (computed once
    per key)"""
    found = key.extra.get("invariant")
    if found is None and key.get("variable"):
        # a variable other than names (which disambiguation expands) or a cite's own
        var = key.get("variable")
        found = key.extra["invariant"] = var not in NAME_VARIABLES and var not in _CITE_LEVEL
    if found is None:
        macro = style.macros.get(key.get("macro") or "")

        def varies(el):
            a = el.attrs
            return (el.tag == "names" or "disambiguate" in a or "position" in a or "locator" in a
                    or not _CITE_LEVEL.isdisjoint(a.get("variable", "").split())
                    or not _CITE_LEVEL.isdisjoint(a.get("is-numeric", "").split()))
        found = key.extra["invariant"] = macro is not None and not style.finds(macro, varies)
    return found


def first_key_text(ev, sort_el, cite) -> str | None:
    """The text of the first sort key for this cite, as citeproc-js builds the key string
    (words joined by "|", one "|" at the end), or None when the key is empty."""
    key_els = _key_elements(sort_el)
    key = key_els[0] if key_els else None
    if key is None:
        return None
    if cite.position != "first":
        # keys are made as for a first cite, whatever the cite's position (citeproc-js)
        cite = Cite(cite.item, citation_number=cite.citation_number, disamb=cite.disamb)
    var = key.get("variable")
    text = None
    if var:
        item = cite.item
        if var in NAME_VARIABLES:
            names = item.names.get(var)
            if names:
                text = " ".join(_variable_name_keys(ev, key, names, cite, var))
        elif var in DATE_VARIABLES:
            text = date_key(item.dates.get(var)) or None
        elif var == "citation-number":
            text = str(cite.citation_number or 0)
        else:
            v = item.fields.get(var)
            text = None if v is None or v == "" else str(v)
    elif key.get("macro"):
        text, _ = _macro_key_text(ev, key, cite, "delimited")
    if not text:
        return None
    return text.lower().replace(" ", "|") + "|"


def _macro_key_text(ev, key, cite, sort_mode):
    """The text a macro sort key renders to, and the frame that rendered it (its names).
    sort_mode: True for a key compared part by part, "delimited" for citeproc-js's key string."""
    frame = Frame(sort_mode=sort_mode)
    frame.sort_overrides = _overrides(key, ev)
    macro = ev.style.macros.get(key.get("macro"))
    if macro is not None and ev.has_date(macro):
        # a macro with a date sorts by its dates alone (citeproc-js drops the rest)
        frame.date_keys = []
    ev.disambiguate_tests = 0
    node = ev.render_macro(key.get("macro"), cite, frame)
    text = "".join(frame.date_keys) if frame.date_keys is not None else plain_text(node)
    return text, frame


def _key_renders_names(style, key) -> bool:
    """Does this sort key print names (a name variable, or a macro that holds a cs:names,
    in itself or in a macro it calls)? (computed once per style)"""
    var = key.get("variable")
    if var:
        return var in NAME_VARIABLES
    facts = style._facts.setdefault("macro-has-names", {})
    name = key.get("macro")
    found = facts.get(name)
    if found is None:
        macro = style.macros.get(name)
        found = facts[name] = macro is not None and style.finds(macro, lambda el: el.tag == "names")
    return found


def _overrides(key, ev=None):
    """The et-al options a key imposes on the names it renders: its names-min,
    names-use-first and names-use-last, else (for a macro key, ev given) those that
    cs:bibliography or cs:citation (or cs:style) set, which win over a cs:name's own in
    citeproc-js's keys (et-al-min="4" on the name, "3" on the bibliography: "3" sorts)."""
    cache = key.extra.get("overrides") if ev is not None else None
    if cache is not None:
        return cache
    o = {}
    for a, b in (("names-min", "et-al-min"), ("names-use-first", "et-al-use-first"),
                 ("names-use-last", "et-al-use-last")):
        if key.get(a) is not None:
            o[b] = key.get(a)
        elif ev is not None and ev.name_opts.get(b) is not None:
            o[b] = ev.name_opts[b]
    if ev is not None:
        key.extra["overrides"] = o
    return o


def _variable_name_keys(ev, key, names, cite, var) -> list:
    """The names of a name variable key as citeproc-js renders them: a cs:name that
    inherits the context's options (initialize-with="." on cs:bibliography: "Lee H." before
    "Lee H., Kim D."), with the key's et-al options and the given names global name
    expansion added."""
    o = key.extra.get(("name-opts", ev.mode))
    if o is None:
        o = dict(name_options(ev, key, None))
        o.update(_overrides(key))
        key.extra[("name-opts", ev.mode)] = o
    keys = _name_sort_keys(ev, o, names, cite, {}, var)
    if not keys:  # (et-al-use-first="0")
        keys = [name_sort_key(ev, n, o, 0, cite) for n in names]
    return keys


def _variable_key(ev, key, var, cite):
    item = cite.item
    if var in NAME_VARIABLES:
        names = item.names.get(var)
        if not names:
            return None
        return (1, _text_key(ev, " ".join(_variable_name_keys(ev, key, names, cite, var))))
    if var in DATE_VARIABLES:
        d = item.dates.get(var)
        k = date_key(d)
        return (1, (k, k)) if k else None
    if var == "citation-number":
        return (0, cite.citation_number or 0)
    if var in NUMBER_VARIABLES:
        v = item.fields.get(var)
        if var == "page-first" and item.fields.get("page"):
            v = _first_page(str(item.fields["page"]))  # citeproc-js derives it from the page
        if v is None:
            return None
        n = _number_key(str(v)) if is_numeric(str(v)) else None
        return (0, n) if n is not None else (1, _text_key(ev, str(v)))
    v = item.fields.get(var)
    if var == "citation-label" and not v:
        v = ev.citation_label(cite)  # the generated label sorts like a given one
    if v is None or v == "":
        return None
    return (1, _text_key(ev, plain_text(parse_markup(str(v)))))


def _cmp(a_keys, b_keys) -> int:
    for index in range(min(len(a_keys), len(b_keys))):
        a_key, b_key = a_keys[index], b_keys[index]
        if a_key is LATER:
            a_key = a_keys.fill(index)
        if b_key is LATER:
            b_key = b_keys.fill(index)
        (a, desc), (b, _) = a_key, b_key
        if a is None and b is None:
            continue
        if a is None:
            return 1
        if b is None:
            return -1
        if a[0] != b[0]:
            # numbers before strings
            r = -1 if a[0] < b[0] else 1
        elif a[1] == b[1]:
            continue
        else:
            r = -1 if a[1] < b[1] else 1
        return -r if desc else r
    return 0


def sort_cites(ev, sort_el, cites: list, key_of=None, names_out=None, later: int = EAGER) -> list:
    """Stable sort of cites (or bibliography entries) by the keys of sort_el.
    key_of(cite, compute) may supply cached keys (the incremental document);
    names_out, a dict, receives each item's name lists the keys rendered;
    later: the keys a comparison may make when it needs them (compute_keys)."""
    if sort_el is None or len(cites) < 2:
        return list(cites)
    return [cites[i] for i in sorted_places(ev, sort_el, cites, key_of, names_out, later)]


def sorted_places(ev, sort_el, cites, key_of=None, names_out=None, later: int = EAGER,
                  keep_cites: bool = True) -> list:
    """The places of the cites (any iterable: a generator makes each when its keys are
    made) in their sorted order; the rest as sort_cites. keep_cites=False: the keys keep
    what makes a bibliography's cite again, not the cite (compute_keys)."""
    all_keys = []
    for i, c in enumerate(cites):
        if key_of is None:
            keys = compute_keys(ev, sort_el, c, later=later, keep_cite=keep_cites)
        else:
            keys = key_of(c, lambda c=c: compute_keys(ev, sort_el, c, later=later, keep_cite=keep_cites))
        keys.index = i  # (cached keys too: this sort's place, set before each sort)
        if ev.mode == "citation":  # (read when the cites of a citation are grouped: collapse.py)
            c.first_sort_key = keys[:1]
        if names_out is not None:
            names_out[c.item.id] = keys.names
        all_keys.append(keys)
    all_keys.sort()
    return [keys.index for keys in all_keys]
