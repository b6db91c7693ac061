"""The bibliography: entries in sort order, subsequent-author-substitute,
second-field-align, and the layout affixes of each entry."""

from __future__ import annotations

from .collapse import wrap_layout
from .compiled import node_fn
from .conditions import evaluate_choose
from .evaluate import Frame
from .record import record
from .shapes import shaped_layout
from .richtext import Span, Text, is_empty, plain_text, settle_last_suffix
from .textcase import capitalize_leading_term


@record(frozen=True, slots=True)
class BibEntry:
    """One bibliography entry: the item's id and its text in the run's format."""
    id: str
    text: str


def render_entries(doc) -> list:
    ev = doc.bib
    layout = ev.layout
    entries = []
    substitute = doc.style.bibliography.get("subsequent-author-substitute")
    rule = doc.style.bibliography.get("subsequent-author-substitute-rule", "complete-all")
    previous_names = None
    second_field = doc.style.bibliography.get("second-field-align") in ("flush", "margin")
    numeric = None
    # a layout that opens with a display element (citeproc-js's "using display"): the
    # layout's suffix stands in for the suffix of the last element that prints
    display_first = bool(layout.children) and layout.children[0].display is not None
    # with second-field-align, citeproc-js's first field is the layout's first element,
    # whether it prints or not (known here unless that element is a choose)
    first_apart = (second_field and not display_first and bool(layout.children)
                   and layout.children[0].tag != "choose")
    first_printed = None
    for iid in doc.bib_order:
        cite = doc.bib_cite(iid)
        frame = Frame()
        ev.disambiguate_tests = 0
        # the layout specialised for the item's shape: a first element that is not a choose
        # stays first (shapes.py)
        shaped = shaped_layout(ev, cite)
        if display_first:
            nodes, last_node = _render_top_level(ev, shaped, cite, frame)
        elif first_apart:
            nodes = []
            ev.render_children(shaped.children[:1], cite, frame, None, nodes)
            first_printed = bool(nodes)
            ev.render_children(shaped.children[1:], cite, frame, None, nodes)
            if nodes and nodes[-1].__class__ is Span and nodes[-1].role == "affixes":
                settle_last_suffix(nodes[-1])  # (as render_children does for a whole layout)
        else:
            nodes = ev.render_children(shaped.children, cite, frame)
        # (a term that opens the entry is capitalized on the way)
        if not nodes or not capitalize_leading_term(nodes):
            # an entry of spaces alone is empty too (citeproc-js prints it as " ")
            doc.warnings.append(f"item {iid!r}: the bibliography entry is empty")
            if numeric is None:
                numeric = doc.style.cites_print_number()
            if numeric:
                # numbered styles keep the entry so that the numbers still line up
                entries.append(BibEntry(iid, doc.finish(
                    Text(f"{len(entries) + 1}. [CSL STYLE ERROR: reference with no printed form.]"))))
            continue
        if substitute is not None:
            previous_names = _substitute_author(frame.first_names, previous_names, substitute, rule, nodes,
                                                frame.first_names_people)
        if first_printed is False:
            # the first field printed nothing: the whole entry is the inline part
            node = Span([wrap_layout(layout, Span(nodes))], display="right-inline")
        elif second_field and len(nodes) > 1:
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
        elif first_printed:
            # one field alone (a group around the whole entry): it hangs in the margin with
            # nothing inline after it, and the layout's suffix, which citeproc-js gives the
            # empty inline part, is lost with it (the text ends with the margin's space)
            first = Span([Text(layout.prefix), nodes[0]]) if layout.prefix else nodes[0]
            node = Span([first], display="left-margin")
            if layout.fmt:
                node = Span([node], fmt=layout.fmt)
        elif display_first and (last_node is None or _replace_last_suffix(last_node, layout.suffix)):
            # placed on the last element, or lost with an element that printed nothing
            node = wrap_layout(layout, Span(nodes), suffix="")
        else:
            node = wrap_layout(layout, Span(nodes))
        entries.append(BibEntry(iid, doc.finish(node, entry=True)))
    return entries


def _render_top_level(ev, layout, cite, frame):
    """The layout's nodes, and the node of its last top-level element that printed or
    that citeproc-js keeps in its output though it printed nothing (a macro call, names,
    a display block: then None)."""
    nodes = []
    last = None

    def walk(children):
        nonlocal last
        for el in children:
            if el.tag == "choose":
                branch = evaluate_choose(ev, el, cite)
                if branch is not None:
                    walk(branch.children)
                continue
            fn = node_fn(ev, el)
            node = fn(ev, cite, frame) if fn is not None else None
            if node is not None:
                nodes.append(node)
                last = node
            elif el.tag == "names" or el.display or (el.tag == "text" and "macro" in el.attrs):
                last = None
    walk(layout.children)
    return nodes, last


def _replace_last_suffix(node, suffix: str) -> bool:
    """Give the element that rendered node the suffix instead of its own, when it has
    affixes; False when it has none or is a display block (the suffix then follows
    it, inside the block, as usual)."""
    if not isinstance(node, Span) or node.display or len(node.children) != 3:
        return False
    if node.role not in ("affixes", "names-outer"):
        return False
    last = node.children[2]
    if not isinstance(last, Text):
        return False
    last.text = suffix
    return True


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


def _role_spans(node, role: str) -> list:
    out = []

    def walk(n):
        if isinstance(n, Span):
            if n.role == role:
                out.append(n)
                return
            for c in n.children:
                walk(c)
    walk(node)
    return out


def _substitute_author(current, previous, substitute: str, rule: str, entry=(), people=None):
    """Replace the entry's first names when they repeat the previous entry's.

    Names are compared as people (their name parts, whatever form printed them) when
    they are known, as citeproc-js does. Returns the names to compare the next entry
    with (the unsubstituted ones)."""
    if current is None:
        return None
    names = _name_texts(current)
    if people is not None and len(people) == len(names):
        names = people
    # names are compared without their labels ("Doe ed." repeats "Doe")
    lists = _role_spans(current, "name-list")
    whole = "\n".join(plain_text(n) for n in lists) if lists else plain_text(current)
    if previous is None:
        return names, whole
    prev_names, prev_whole = previous
    if not names and not prev_names and rule.startswith("partial"):
        rule = "complete-all"  # a substituted title has no single names: it matches whole
    # the shown names decide, whatever et-al follows them (as in citeproc-js)
    same = names == prev_names if names or prev_names else whole == prev_whole
    if rule == "complete-all":
        if same:
            if substitute:
                target = lists[0] if len(lists) == 1 else current  # a lone list keeps its label
                target.children = [Text(substitute)]
            else:
                # an empty substitute removes the names with their label, affixes and block
                _remove_names(list(entry), current)
    elif rule == "complete-each":
        if same:
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


def _remove_names(top: list, node) -> None:
    """Remove node with the spans around it that hold nothing else but affixes (the
    names element's, a group's), and the group delimiter that joined it to the rest."""
    path = []

    def find(children):
        for c in children:
            if c is node:
                return True
            if isinstance(c, Span):
                path.append(c)
                if find(c.children):
                    return True
                path.pop()
        return False
    if not find(top):
        node.children = []
        return
    target = node
    parent = None
    for anc in reversed(path):
        kids = anc.children
        # a wrapper of formatting or display (one child) or of affixes (text either side)
        wrapper = len(kids) == 1 or (len(kids) == 3 and kids[1] is target
                                     and isinstance(kids[0], Text) and isinstance(kids[2], Text))
        if wrapper and anc.role != "name-list":
            target = anc
        else:
            parent = anc
            break
    target.children = []
    target.display = None
    if parent is None:
        return
    kids = parent.children
    i = next(k for k, c in enumerate(kids) if c is target)
    before = [c for c in kids[:i] if not is_empty(c)]
    # first content: the delimiter follows it; otherwise one precedes it
    j = i + 1 if not before else i - 1
    if 0 <= j < len(kids) and isinstance(kids[j], Text):
        del kids[j]
