"""One citation cluster: sort its cites, render each, group and collapse them, and
join them with the right delimiters (CSL 1.0.2 "Cite Grouping", "Cite Collapsing").

Delimiters follow the reference implementation where the specification is silent:
after a cite with a locator or after a collapsed group comes after-collapse-delimiter;
inside a group, cite-group-delimiter (or the layout delimiter).
"""

from __future__ import annotations

import functools

from .evaluate import Frame
from .richtext import LevelAffix, LevelSuffix, Span, Suffix, Text, Value, is_empty, parse_markup, plain_text
from .sort import _cmp, _collator, compute_keys, first_key_text
from .textcase import capitalize_leading_term
from .variables import DATE_VARIABLES


class _Rendered:
    __slots__ = ("cite", "node", "names", "collapsed", "joined", "frame", "suffix_only", "date_text")

    def __init__(self, cite, node, names, frame):
        self.cite = cite
        self.node = node
        self.names = names  # plain text of the first names output, or None
        self.collapsed = False  # a later member of a cite group: names suppressed
        self.joined = False  # joined to the cite before it as a collapsed cite (its delimiter)
        self.frame = frame  # the frame that rendered it
        self.suffix_only = False  # year-suffix collapse: only the suffix is shown
        self.date_text = None


def render_cite(doc, cite, suppress_names=False, frame=None):
    """The cite's rich text (no cite affixes) and the plain text of its names."""
    ev = doc.cit
    if frame is None:
        frame = Frame()
    frame.suppress_names = suppress_names or cite.suppress_author
    node = ev.render_cite(cite, frame)
    names = plain_text(frame.first_names) if frame.first_names is not None else None
    if frame.first_names_text and not frame.suppress_names:
        # a term or a title that stood in for the names is not names: citeproc-js neither
        # groups nor cuts it when cites collapse
        names = None
    if cite.author_only:
        node = frame.first_names
    return node, names


def _with_affixes(cite, node):
    if node is None or is_empty(node):
        return None
    if not cite.prefix and not cite.suffix:
        return node
    pieces = []
    if cite.prefix:
        pieces.append(_affix(parse_markup(cite.prefix)))
    pieces.append(node)
    if cite.suffix:
        pieces.append(_affix(parse_markup(cite.suffix)))
    return Span(pieces)


def _affix(node):
    """A cite's prefix or suffix: its parentheses count for nested brackets (citeproc-js)."""
    if isinstance(node, Text) and ("(" in node.text or ")" in node.text):
        return LevelAffix(node.text)
    return node


def render_cluster(doc, index: int):
    ev = doc.cit
    cites = doc.cites[index]  # already in the citation's sort order (positions.py)
    opts = ev.ctx_el.attrs
    collapse = opts.get("collapse")
    if collapse == "citation-number" and not doc.style.cites_print_number():
        # no number to collapse: the cites group and collapse by their names, as with
        # "year" (the specification: collapse activates cite grouping; citeproc-js cuts
        # the repeated names whatever the collapse)
        collapse = "year"
    layout = ev.layout
    delimiter = layout.delimiter if layout.delimiter is not None else ""
    rendered = []
    for cite in cites:
        frame = Frame()
        node, names = render_cite(doc, cite, frame=frame)
        if (node is None or is_empty(node)) and not cite.suppress_author:
            # as citeproc-js prints it, so that the empty cite is seen, not lost
            doc.warnings.append(f"item {cite.item.id!r}: the citation renders nothing")
            node = Text("[CSL STYLE ERROR: reference with no printed form.]")
        rendered.append(_Rendered(cite, node, names, frame))
    grouping = collapse in ("year", "year-suffix", "year-suffix-ranged") or "cite-group-delimiter" in opts
    if grouping:
        # only a sorted citation moves cites up to their group; without cs:sort, only
        # neighbours with the same names are grouped (citeproc-js's grouped sort)
        sort_el = ev.ctx_el.child("sort")
        cluster = doc.clusters[index]
        if (sort_el is not None and getattr(cluster, "in_document", True)
                and all((r.names is not None or r.frame.first_names_text) and not r.cite.author_only
                        for r in rendered)):
            rendered = _grouped_sort(ev, sort_el, rendered)
        else:
            rendered = _group(rendered, adjacent_only=sort_el is None)
    if collapse in ("year", "year-suffix", "year-suffix-ranged"):
        _collapse_names(doc, rendered, collapse)
    for r in rendered:
        # citeproc-js joins a cite as collapsed unless it printed other names than the
        # cite before, or ran a cs:text of a variable (a title standing for the author):
        # cites without names ("Anon") are joined as collapsed, and keep what they print
        r.joined = ((r.collapsed or (collapse is not None and r.names is None))
                    and not (ev.watches_text_variables and ev.ran_text_variable(r.frame, r.cite)))
    parts = []
    if collapse == "citation-number":
        parts = _join_numbers(rendered, delimiter, opts)
    else:
        parts = _join(doc, rendered, delimiter, opts, collapse, grouping)
    if not parts:
        return None
    suffix = layout.suffix
    if suffix[:1] in _END_MARKS and suffix[1:].isspace():
        # a citation's layout suffix of a full stop (colon, ...) and spaces prints the mark
        # alone, as in citeproc-js: the ". " of three note styles ends the note with "."
        # (citeproc-js cuts any rest, ":)" to ":", which no style means: that is not followed)
        suffix = suffix[0]
    return wrap_layout(layout, Span(parts), suffix=suffix, braces=True)


_END_MARKS = frozenset(":.;!?")


def wrap_layout(layout, node, suffix=None, braces=False):
    """The layout's affixes sit inside its formatting (unlike other elements').

    A suffix that is not just white space goes inside a display block that ends
    the entry, so that "." stays on the block's line (as in citeproc-js).
    suffix: the layout's suffix, unless the caller has placed it already ("").
    braces: the affixes count for nested brackets (a citation's, not an entry's: citeproc-js)."""
    if suffix is None:
        suffix = layout.suffix
    if suffix and suffix.strip() and _append_in_last_display(node, suffix):
        suffix = ""
    if layout.prefix or suffix:
        node = Span([LevelAffix(layout.prefix) if braces else Text(layout.prefix), node,
                     LevelSuffix(suffix) if braces else Suffix(suffix)])
    if layout.fmt:
        node = Span([node], fmt=layout.fmt)
    return node


def _append_in_last_display(node, suffix: str) -> bool:
    last = node
    while isinstance(last, Span) and last.children:
        if last.display:
            last.children.append(Text(suffix))
            return True
        last = last.children[-1]
    return False


# -- grouping ---------------------------------------------------------------------

def _group(rendered, adjacent_only=False):
    """Cites with identical names move up to the first cite with those names (or, with
    adjacent_only, join the cite just before them when it has the same names)."""
    order = []
    groups: dict = {}
    for r in rendered:
        key = r.names or ""  # cites without names group together, as in citeproc-js
        if r.cite.author_only:
            order.append([r])
            if adjacent_only:
                groups.clear()
            continue
        if adjacent_only and key not in groups:
            groups.clear()
        if key in groups:
            groups[key].append(r)
        else:
            groups[key] = [r]
            order.append(groups[key])
    out = []
    for g in order:
        out.extend(g)
        for r in g[1:]:
            r.collapsed = True
    return out


def _grouped_sort(ev, sort_el, rendered):
    """citeproc-js's grouped sort of a sorted citation that groups cites: the cites
    (already in the order of the sort keys) are ordered by the names they print; then each
    cite's key becomes the text of the first sort key of the first cite with its names
    followed by its place in that order, and the cites are sorted by that key. So "Lee"
    comes before "Lee, Kim, & Choi" and "Lee, Kim, & Park" when the keys stop at the first
    name (names-min), and a key that continues where another ends sorts first ("Smith|J.|–|
    Okafor" before "Smith|J.|0": "|" comes before the digits), as in citeproc-js."""
    collate = _collator(ev.locale.tag)
    # a cite whose names element printed a term or a title (names None) has no author
    # string in citeproc-js: it sorts after the others, in the order of the sort keys,
    # and all such cites take the first one's key
    by_names = sorted(range(len(rendered)), key=lambda i: (1, i) if rendered[i].names is None
                      else (0, collate(rendered[i].names), i))
    ordered = [rendered[i] for i in by_names]
    first = next((k for k in sort_el.children if k.tag == "key"), None)
    if first is not None and first.get("sort") == "descending":
        # a descending first key: each names group keeps its place by that key of its
        # first cite (how citeproc-js reverses its key strings is not followed here)
        groups: list = []
        for r in ordered:
            if groups and r.names is not None and groups[-1][0].names == r.names:
                groups[-1].append(r)
                r.collapsed = True
            else:
                groups.append([r])
        if len(groups) > 1:
            first_keys = [g[0].cite.first_sort_key or compute_keys(ev, sort_el, g[0].cite)[:1] for g in groups]
            order = sorted(range(len(groups)), key=functools.cmp_to_key(
                lambda a, b: _cmp(first_keys[a], first_keys[b]) or (a - b)))
            groups = [groups[k] for k in order]
        return [r for g in groups for r in g]
    keys = []
    prev = None
    this_key = None
    for i, r in enumerate(ordered):
        if prev is not None and prev.names is None and r.names is None:
            pass  # (the first cite without names gave the key)
        elif prev is not None and prev.names == r.names:
            r.collapsed = True
        else:
            # an empty key is "undefined" in citeproc-js's string
            this_key = first_key_text(ev, sort_el, r.cite) or "undefined"
        keys.append(collate(this_key + str(i)))
        prev = r
    if len(ordered) > 1:
        order = sorted(range(len(ordered)), key=lambda i: keys[i])
        ordered = [ordered[i] for i in order]
        # a cite that a different cite now precedes starts its own group again
        for k, r in enumerate(ordered):
            r.collapsed = k > 0 and r.names is not None and ordered[k - 1].names == r.names
    return ordered


def _collapse_names(doc, rendered, collapse):
    """Later members of a group lose their names; with year-suffix collapsing, a cite
    whose date repeats the previous one's shows only its suffix."""
    prev = None
    for r in rendered:
        if not r.collapsed or r.cite.suppress_author or r.cite.author_only:
            if collapse != "year":
                r.date_text = _date_text(doc, r.cite)
            prev = r
            continue
        if r.names is not None:  # (no names: nothing to cut, a term or a title stays)
            r.node, _ = render_cite(doc, r.cite, suppress_names=True)
        if collapse != "year":
            r.date_text = _date_text(doc, r.cite)
            if (prev is not None and r.cite.disamb.year_suffix and prev.cite.disamb.year_suffix
                    and not r.cite.locator and not prev.cite.locator
                    and r.date_text is not None and r.date_text == prev.date_text
                    # a suffix the style does not print (no year to follow: "n.d." alone)
                    # does not stand for the cite: it collapses as by year (citeproc-js)
                    and plain_text(r.node) != r.date_text
                    # a year of a date gives way to the suffix, not a term in its place:
                    # "n.d.a, n.d.b" (citeproc-js drops only a repeated date-part year);
                    # with nothing in its place, the suffixes collapse ("Keller, a,b")
                    and (not r.date_text or (_printed_date(r) and _printed_date(prev)))):
                r.suffix_only = True
                r.node = _formatted_suffix(r.node, r.cite.disamb.year_suffix)
        prev = r


def _printed_date(r) -> bool:
    return r.frame is not None and any(v in DATE_VARIABLES for v in r.frame.rendered_vars)


def _formatted_suffix(node, suffix):
    """A collapsed cite's year-suffix, in the formatting the cite gives it (its element's
    and those around it, not their affixes): citeproc-js prints "2011<i>c</i>, <i>b</i>"."""
    path = []

    def find(n):
        if isinstance(n, Span):
            if n.role == "year-suffix":
                return True
            if n.fmt:
                path.append(n.fmt)
            for c in n.children:
                if find(c):
                    return True
            if n.fmt:
                path.pop()
        elif isinstance(n, list):
            return any(find(c) for c in n)
        return False

    out = Text(suffix)
    if find(node):
        for fmt in reversed(path):
            out = Span([out], fmt=fmt)
    return out


def _date_text(doc, cite):
    """The cite without names and without year-suffix: what must repeat for the
    suffix alone to stand for it."""
    st = cite.disamb
    saved = st.year_suffix
    st.year_suffix = None
    try:
        node, _ = render_cite(doc, cite, suppress_names=True)
    finally:
        st.year_suffix = saved
    return plain_text(node)


# -- joining ------------------------------------------------------------------------

def _join(doc, rendered, delimiter, opts, collapse, grouping):
    acd = opts.get("after-collapse-delimiter")
    cgd = opts.get("cite-group-delimiter")
    # year-suffix-delimiter falls back to cite-group-delimiter, then the layout delimiter (citeproc-js)
    ysd = opts.get("year-suffix-delimiter", cgd if cgd is not None else delimiter)
    ranged = collapse == "year-suffix-ranged"
    in_text = doc.style.style_class == "in-text"
    items = [r for r in rendered if r.node is not None and not is_empty(r.node)]
    joins = _suffix_joins(items, ranged)
    range_delim = doc.cit.locale.term_text("citation-range-delimiter") or "–"
    note_class = doc.style.style_class == "note"
    parts = []
    prev = None
    prev_collapsed = False
    i = 0
    while i < len(items):
        r = items[i]
        join = joins.get(id(r))
        if join == _SUPPRESS:  # inside a suffix range
            i += 1
            continue
        if join == _END:
            parts.extend((Text(range_delim), r.node))
            prev_collapsed = r.joined
            prev = r
            i += 1
            continue
        if prev is not None and not _prefix_punct(r.cite):
            if join == _SUCCESSOR:
                delim = ysd
            else:
                delim = _delimiter(r, prev, prev_collapsed, delimiter, acd, cgd, ysd, collapse, grouping, in_text,
                                   suffix_only=False)
            if prev.cite.suffix and prev.cite.suffix.rstrip()[-1:] in (",", ";", ":", "."):
                # a suffix that ends in punctuation stands for the delimiter's own (citeproc-js)
                delim = delim.lstrip(",;:.") or delim
            # (its space and a cite's prefix space both print: "2011a,  2011c" in citeproc-js)
            parts.append(Value(delim))
        if note_class and _opens_sentence(r.cite, prev is None):
            capitalize_leading_term(r.node)  # a note's "ibid."
        node = _with_affixes(r.cite, r.node)
        parts.append(node)
        prev_collapsed = r.joined
        prev = r
        i += 1
    return parts


def _prefix_punct(cite) -> bool:
    # a prefix that starts with punctuation (", cited in") replaces the delimiter
    return bool(cite.prefix) and cite.prefix[0] in ",.;:"


def _opens_sentence(cite, first_in_cluster: bool) -> bool:
    """Does this cite start a sentence? At the head of a note, or after a prefix that
    ends a sentence (more than one word and a period; "cf." alone does not)."""
    prefix = cite.prefix.strip() if cite.prefix else ""
    if not prefix:
        return first_in_cluster
    return prefix.rstrip("\"”’'").endswith((".", "!", "?")) and len(prefix.split()) > 1


def _delimiter(r, prev, prev_collapsed, delimiter, acd, cgd, ysd, collapse, grouping, in_text, suffix_only=None):
    if r.suffix_only if suffix_only is None else suffix_only:
        return ysd
    if acd is not None:
        if prev.cite.locator:
            return acd
        if prev_collapsed and not r.joined:
            return acd
        if not prev_collapsed and not r.joined and collapse != "year-suffix":
            return acd
        if r.joined and cgd is not None:
            return cgd
        return delimiter
    if r.joined:
        if cgd is not None:
            return cgd
        if in_text and collapse:
            return ", "
    return delimiter


_START, _SEEN, _SUCCESSOR, _SUCCESSOR2, _SUPPRESS, _END = range(6)


def _suffix_joins(items, ranged: bool) -> dict:
    """How each cite of a run of year suffixes (2019a, c, d ...) joins the one before it.

    As citeproc-js numbers them: a suffix that follows its predecessor in the alphabet is
    a successor (year-suffix-delimiter), any other is seen (the cluster's delimiter);
    with year-suffix-ranged, three or more in sequence become a range (the middle ones
    suppressed, the last one after the range delimiter). The last join of a run that
    is not part of a sequence takes the year-suffix-delimiter too."""
    joins: dict = {}
    n = len(items)
    i = 0
    while i < n:
        j = i
        # a cite's own prefix breaks the run before it, its suffix before and after it
        while (j + 1 < n and items[j + 1].suffix_only and not items[j].cite.suffix
               and not items[j + 1].cite.prefix and not items[j + 1].cite.suffix):
            j += 1
        if j > i:
            run = items[i:j + 1]
            nums = [_suffix_index(r) for r in run]
            status = [_START] + [_SEEN] * (len(run) - 1)
            for k in range(len(run) - 1):
                if nums[k + 1] != nums[k] + 1:
                    if status[k] == _SUCCESSOR2:
                        status[k] = _END
                    status[k + 1] = _SEEN
                elif status[k] in (_START, _SEEN):
                    status[k + 1] = _SUCCESSOR
                elif ranged:
                    status[k + 1] = _SUCCESSOR2
                    status[k] = _SUPPRESS
                else:
                    status[k + 1] = _SUCCESSOR
            if status[-1] == _SUCCESSOR2:
                status[-1] = _END
            for k in range(len(run) - 1, 0, -1):
                if status[k] == _SEEN or (status[k] == _SUCCESSOR and nums[k - 1] != nums[k] - 1):
                    status[k] = _SUCCESSOR
                    break
            for r, st in zip(run, status):
                joins[id(r)] = st
        i = j + 1
    return joins


def _suffix_index(r) -> int:
    s = r.cite.disamb.year_suffix or ""
    n = 0
    for ch in s:
        n = n * 26 + (ord(ch) - ord("a") + 1)
    return n


def _join_numbers(rendered, delimiter, opts):
    """collapse="citation-number": runs of three or more consecutive numbers → 1–3."""
    acd = opts.get("after-collapse-delimiter", delimiter)
    items = [r for r in rendered if r.node is not None and not is_empty(r.node)]
    nums = [_plain_number(r) for r in items]
    parts = []
    i = 0
    after_range = False
    while i < len(items):
        j = i
        while j + 1 < len(items) and nums[j] is not None and nums[j + 1] == nums[j] + 1:
            j += 1
        if parts:
            # after a range the after-collapse-delimiter; between two cites with locators
            # too (citeproc-js: "[16, p. 913; 18, p. L5]", but "[1 p. 913, 3]")
            parts.append(Text(acd if after_range or (items[i - 1].cite.locator and items[i].cite.locator)
                              else delimiter))
        if j - i >= 2:
            parts.append(Span([items[i].node, Text("–"), items[j].node]))
            after_range = True
            i = j + 1
        else:
            parts.append(_with_affixes(items[i].cite, items[i].node))
            after_range = False
            i += 1
    return parts


def _plain_number(r):
    """The cite's citation number when the cite prints that number alone (brackets and
    other punctuation aside), else None: "Smith [1]" is not part of a range."""
    c = r.cite
    if c.locator or c.prefix or c.suffix or c.citation_number is None:
        return None
    text = plain_text(r.node)
    digits = str(c.citation_number)
    at = text.find(digits)
    if at < 0 or any(ch.isalnum() for ch in text[:at]) or any(ch.isalnum() for ch in text[at + len(digits):]):
        return None
    return c.citation_number
