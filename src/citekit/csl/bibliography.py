"""The bibliography: entries in sort order, subsequent-author-substitute,
second-field-align, and the layout affixes of each entry."""

from __future__ import annotations

from .collapse import wrap_layout
from .evaluate import Frame
from .richtext import Span, Text, is_empty


def render_entries(doc) -> list:
    from .engine import BibEntry
    ev = doc.bib
    layout = ev.layout
    entries = []
    for iid in doc.bib_order:
        cite = doc.bib_cite(iid)
        frame = Frame()
        nodes = ev.render_children(layout.children, cite, frame)
        if not nodes:
            doc.warnings.append(f"item {iid!r}: the bibliography entry is empty")
            continue
        node = wrap_layout(layout, Span(nodes))
        entries.append(BibEntry(iid, doc.finish(node)))
    return entries
