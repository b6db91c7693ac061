"""The bibliography: entries in sort order, subsequent-author-substitute,
second-field-align, and the layout affixes of each entry."""

from __future__ import annotations

from .collapse import wrap_layout
from .evaluate import Frame
from .richtext import Span, Text, is_empty, plain_text


def render_entries(doc) -> list:
    from .engine import BibEntry
    ev = doc.bib
    layout = ev.layout
    entries = []
    substitute = doc.style.bibliography.get("subsequent-author-substitute")
    rule = doc.style.bibliography.get("subsequent-author-substitute-rule", "complete-all")
    previous_names = None
    second_field = doc.style.bibliography.get("second-field-align") in ("flush", "margin")
    for iid in doc.bib_order:
        cite = doc.bib_cite(iid)
        frame = Frame()
        nodes = ev.render_children(layout.children, cite, frame)
        if not nodes:
            doc.warnings.append(f"item {iid!r}: the bibliography entry is empty")
            continue
        if substitute is not None:
            previous_names = _substitute_author(frame.first_names, previous_names, substitute, rule)
        if second_field and len(nodes) > 1:
            # the first field hangs in the margin, the rest follows inline
            first, rest = nodes[0], nodes[1:]
            if layout.prefix:
                first = Span([Text(layout.prefix), first])
            rest_node = Span(rest + [Text(layout.suffix if layout.suffix.strip() else "")])
            node = Span([Span([first], display="left-margin"), Span([rest_node], display="right-inline")])
            if layout.suffix and not layout.suffix.strip():
                node = Span([node, Text(layout.suffix)])
            if layout.fmt:
                node = Span([node], fmt=layout.fmt)
        else:
            node = wrap_layout(layout, Span(nodes))
        entries.append(BibEntry(iid, doc.finish(node, entry=True)))
    return entries


def _name_texts(names_span) -> list:
    out = []

    def walk(n):
        if isinstance(n, Span):
            if n.role == "name":
                out.append(plain_text(n))
                return
            for c in n.children:
                walk(c)
    walk(names_span)
    return out


def _substitute_author(current, previous, substitute: str, rule: str):
    """Replace the entry's first names when they repeat the previous entry's.

    Returns the names to compare the next entry with (the unsubstituted ones)."""
    if current is None:
        return None
    names = _name_texts(current)
    whole = plain_text(current)
    if previous is None:
        return names, whole
    prev_names, prev_whole = previous
    if rule == "complete-all":
        if whole == prev_whole:
            current.children = [Text(substitute)] if substitute else []
    elif rule == "complete-each":
        if whole == prev_whole:
            _replace_names(current, len(names), substitute)
    elif rule == "partial-each":
        k = 0
        while k < min(len(names), len(prev_names)) and names[k] == prev_names[k]:
            k += 1
        _replace_names(current, k, substitute)
    elif rule == "partial-first":
        if names and prev_names and names[0] == prev_names[0]:
            _replace_names(current, 1, substitute)
    return names, whole


def _replace_names(span, count: int, substitute: str) -> None:
    """Replace the first `count` single names inside span with the substitute."""
    left = [count]

    def walk(n):
        if left[0] <= 0 or not isinstance(n, Span):
            return
        for i, c in enumerate(n.children):
            if left[0] <= 0:
                return
            if isinstance(c, Span) and c.role == "name":
                n.children[i] = Text(substitute)
                left[0] -= 1
            else:
                walk(c)
    walk(span)
