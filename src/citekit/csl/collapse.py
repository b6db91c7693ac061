"""One citation cluster: sort its cites, render each, and join (collapsing where the
style asks for it)."""

from __future__ import annotations

from .evaluate import Frame
from .richtext import Span, Text, is_empty, parse_markup
from .sort import sort_cites


def render_cite(doc, cite):
    ev = doc.cit
    node = ev.render_cite(cite, Frame())
    return node


def render_cluster(doc, index: int):
    ev = doc.cit
    cites = doc.cites[index]
    sort_el = doc.style.citation.child("sort")
    if sort_el is not None:
        cites = sort_cites(ev, sort_el, cites)
    layout = ev.layout
    parts = []
    delimiter = layout.delimiter if layout.delimiter is not None else ""
    for cite in cites:
        node = render_cite(doc, cite)
        if node is None or is_empty(node):
            # as citeproc-js prints it, so that the empty cite is seen, not lost
            doc.warnings.append(f"item {cite.item.id!r}: the citation renders nothing")
            node = Text("[CSL STYLE ERROR: reference with no printed form.]")
        if doc.style.style_class == "note" and _opens_sentence(cite, not parts):
            _capitalize_leading_term(node)
        pieces = []
        if cite.prefix:
            pieces.append(parse_markup(cite.prefix))
        pieces.append(node)
        if cite.suffix:
            pieces.append(parse_markup(cite.suffix))
        if parts and delimiter and not (cite.prefix and cite.prefix[0] in ",;:."):
            # a prefix that starts with punctuation replaces the delimiter (citeproc-js)
            parts.append(Text(delimiter))
        parts.append(Span(pieces))
    if not parts:
        return None
    return wrap_layout(layout, Span(parts))


def wrap_layout(layout, node):
    """The layout's affixes sit inside its formatting (unlike other elements').

    A suffix that is not just white space goes inside a display block that ends
    the entry, so that "." stays on the block's line (as in citeproc-js)."""
    suffix = layout.suffix
    if suffix and suffix.strip() and _append_in_last_display(node, suffix):
        suffix = ""
    if layout.prefix or suffix:
        node = Span([Text(layout.prefix), node, Text(suffix)])
    if layout.fmt:
        node = Span([node], fmt=layout.fmt)
    return node


def _opens_sentence(cite, first_in_cluster: bool) -> bool:
    """Does this cite start a sentence? At the head of a note, or after a prefix that
    ends a sentence (more than one word and a period; "cf." alone does not)."""
    prefix = cite.prefix.strip() if cite.prefix else ""
    if not prefix:
        return first_in_cluster
    return prefix.endswith((".", "!", "?")) and len(prefix.split()) > 1


def _capitalize_leading_term(node) -> None:
    def walk(n, in_term):
        if isinstance(n, Text):
            if not n.text:
                return None
            if in_term and n.text[0].islower():
                n.text = n.text[0].upper() + n.text[1:]
            return True
        if isinstance(n, Span):
            for c in n.children:
                r = walk(c, in_term or n.role == "term")
                if r is not None:
                    return r
        return None
    walk(node, False)


def _append_in_last_display(node, suffix: str) -> bool:
    last = node
    while isinstance(last, Span) and last.children:
        if last.display:
            last.children.append(Text(suffix))
            return True
        last = last.children[-1]
    return False
