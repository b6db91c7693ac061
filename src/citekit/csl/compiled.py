"""A style's elements compiled into functions: the walk that renders a cite.

Each element of a style's tree (or of an item shape's tree: shapes.py) becomes, the first
time it is rendered, one Python function `fn(ev, cite, frame) -> node or None`, kept on
the element. What the element's attributes decide is settled when the function is built:
which kind of cs:text it is, its variable, form, term and value, the macro it calls (the
one shaped for the item), what it needs, whether a macro holds a date, how its content is
made and wrapped. A list of children becomes a tuple of such functions, and a choose a
step that runs the taken branch's functions in place (a choose is transparent). So a
render calls one function per element and tests nothing that the style alone decides.

The functions are closures over the element's own data, never source text: a style is
untrusted input, and nothing in it is ever turned into code. They take the evaluator as
an argument, so the citation's and the bibliography's evaluators and every locale share
them. `Evaluator` (evaluate.py) holds what a run fixes and the leaf elements whose work is
their own (labels, numbers, dates, names); this module holds the walk over the tree.
"""

from __future__ import annotations

import re

from . import lazy
from .conditions import evaluate_choose
from .numbers import RANGE_VARIABLES, is_numeric, page_range
from .richtext import (KeepMarkSuffix, Literal, QuoteSuffix, Span, Suffix, Text, Value, keep_prefix_out,
                       narrow_spaces, own_span, parse_markup, settle_last_suffix)
from .variables import NUMBER_VARIABLES

# cs:text variables that leave a collapsed cite collapsed (citeproc-js)
KEEPS_COLLAPSE = frozenset(("locator", "citation-number", "year-suffix", "citation-label"))
# a cs:text value of punctuation and spaces alone (richtext.Literal)
_PUNCTUATION_ONLY_RE = re.compile(r"[ .,;:!?]*[.,;:!?][ .,;:!?]*\Z")
# A value citeproc-js prints as a number: digits, after letters it keeps as a prefix ("x7");
# not a range, a roman numeral or digits followed by letters ("12a")
NUMBER_RE = lazy.pattern(globals(), "NUMBER_RE", r"[^\W\d_]*\d+\Z")
_APOSTROPHE_RE = lazy.pattern(globals(), "_APOSTROPHE_RE", r"(?<=\w)'(?=\w)")
_PREFIX_RE = lazy.pattern(globals(), "_PREFIX_RE", r"^\s*(\D*)")
_SPACES = (" ", "\u00a0")
_DELIMITER_MARKS = frozenset(".,;:!?")
_LINK_TEXT_VARIABLES = frozenset(("URL", "DOI", "PMID", "PMCID"))


def filled_span(nodes) -> Span:
    """A span of rendered nodes: element functions never return empty trees, so it holds text."""
    span = Span(nodes)
    span.filled = True
    return span


# -- lists of children ----------------------------------------------------------------

def steps_of(ev, el) -> tuple:
    """el's children as steps (built once per element)."""
    found = el.extra.get("steps")
    if found is None:
        found = el.extra["steps"] = _steps(ev, el.children)
    return found


def _steps(ev, children) -> tuple:
    """(function, into) per child that can print: into for a choose, whose taken branch's
    elements are delimited as children of the enclosing group or layout."""
    steps = []
    for el in children:
        if el.tag == "choose":
            steps.append((_choose_in_place(el), True))
        else:
            fn = node_fn(ev, el)
            if fn is not None:
                steps.append((fn, False))
    return tuple(steps)


def run_of(ev, el, cite, frame, delimiter=None, out=None) -> list:
    """The nodes el's children print (its compiled steps run)."""
    return run(ev, steps_of(ev, el), len(el.children), cite, frame, delimiter, out)


def render_children(ev, children, cite, frame, delimiter=None, out=None) -> list:
    """The nodes a list of elements prints (appended to out, a chosen branch's caller's list)."""
    return run(ev, _steps(ev, children), len(children), cite, frame, delimiter, out)


def run(ev, steps, count, cite, frame, delimiter=None, out=None) -> list:
    """Run compiled children: count elements spent against the work budget, each node
    placed after its delimiter, the last suffix settled for a whole list."""
    top = out is None
    if top:
        out = []
    work = frame.work + count  # ev.spend(), inlined on this hot path
    if work > ev.budget:
        ev.over_budget(frame)
    frame.work = work
    for fn, into in steps:
        if into:
            fn(ev, cite, frame, delimiter, out)
            continue
        # element functions return None for nothing, never an empty tree
        node = fn(ev, cite, frame)
        if node is not None:
            if out:
                if delimiter:
                    # right after quotes, a delimiter is the quoted element's own punctuation,
                    # after its suffix (citeproc-js adds it to that suffix): "“Title.,”", and
                    # a colon or semicolon stays outside (richtext._move_punctuation)
                    previous = out[-1]
                    out.append(QuoteSuffix(delimiter) if delimiter[0] in _DELIMITER_MARKS and _quoted(previous)
                               else KeepMarkSuffix(delimiter) if _keeps_mark(previous) else Suffix(delimiter))
                elif node.__class__ is Span:
                    keep_prefix_out(out[-1], node)
            out.append(node)
    if top and out:
        last = out[-1]
        if last.__class__ is Span and last.role == "affixes":  # (inline: a hot path)
            settle_last_suffix(last)
    return out


def _choose_in_place(el):
    def choose(ev, cite, frame, delimiter, out):
        branch = evaluate_choose(ev, el, cite)
        if branch is not None:
            run_of(ev, branch, cite, frame, delimiter, out)
    return choose


def _keeps_mark(node) -> bool:
    """Does node end with a formatted leaf's text, without a suffix of its own?"""
    if node.__class__ is Span and node.role == "affixes" and node.children[2].text:
        return False
    own = own_span(node)
    return own is not None and own.role == "keeps-mark"


def _quoted(node) -> bool:
    """Does node end with its own closing quote (a quoted element, with or without affixes)?"""
    own = own_span(node)
    return own is not None and own.quotes and not own.display


# -- one element ------------------------------------------------------------------------

def node_fn(ev, el):
    """el's function (ev, cite, frame) → node or None, built once per element; None for an
    element that never prints (an unknown one, which parsing warned about)."""
    extra = el.extra
    if "fn" in extra:
        return extra["fn"]
    build = _BUILDERS.get(el.tag)
    fn = extra["fn"] = build(ev, el) if build is not None else None
    return fn


def _nothing(ev, cite, frame):
    return None


def _text(ev, el):
    a = el.attrs
    if "variable" in a:
        return _text_variable(el, a["variable"], a.get("form"))
    if "macro" in a:
        # (in a shaped tree, the macro shaped for the item: shapes.py)
        macro = el.extra.get("shaped") or ev.style.macros.get(a["macro"])
        return _nothing if macro is None else _text_macro(ev, el, macro)
    if "term" in a:
        return _text_term(el, a["term"], a.get("form", "long"), a.get("plural") == "true")
    if "value" in a:
        return _text_value(el, a["value"])
    return _nothing


def _text_variable(el, var, form):
    watched = var not in KEEPS_COLLAPSE
    content = _content_maker(var)
    number = var in NUMBER_VARIABLES

    def text_variable(ev, cite, frame):
        if watched and ev.watches_text_variables:
            frame.text_variable = True
        value = ev.variable_text(var, cite, frame, form)
        if value is None:
            return None
        return ev.wrap(el, content(ev, value, cite), cite, leaf=True,
                       number=number and NUMBER_RE.match(value) is not None)
    return text_variable


def _content_maker(var):
    """How a variable's value becomes rich text, decided by the variable."""
    if var in ("page", "locator"):
        def ranged(ev, value, cite):
            # page-range-format applies to pages, and to locators that are pages
            fmt = ev.page_range_format if var == "page" or (cite.label or "page") == "page" else None
            text = page_range(value, fmt, ev.locale)
            return parse_markup(text) if var == "locator" else Text(text)
        return ranged
    if var in _LINK_TEXT_VARIABLES:
        return lambda ev, value, cite: Text(narrow_spaces(value))
    if var in NUMBER_VARIABLES or var == "year-suffix":
        def number(ev, value, cite):
            # numbers carry no markup (as in citeproc-js); numeric ranges get the en dash
            if "-" in value and var in RANGE_VARIABLES and is_numeric(value) and _prefixes_match(value):
                value = page_range(value, None, ev.locale)
            return Text(value)
        if var == "year-suffix":
            # found again when cites collapse to their suffixes (collapse.py)
            return lambda ev, value, cite: Span([number(ev, value, cite)], role="year-suffix")
        if var == "citation-number":
            # does not count as printed before a leading term (textcase.capitalize_leading_term)
            return lambda ev, value, cite: Span([number(ev, value, cite)], role="citation-number")
        return number
    return lambda ev, value, cite: parse_markup(value)


def _prefixes_match(value: str) -> bool:
    """A hyphen joins a range only between numbers with the same prefix: citeproc-js
    prints "60–280" and "12a–13b" but keeps "P60-280" and "A1-4" (a report number)."""
    for pair in re.split(r"[,&]", value):
        if "-" in pair:
            left, _, right = pair.partition("-")
            if _PREFIX_RE.match(left).group(1) != _PREFIX_RE.match(right).group(1):
                return False
    return True


def _text_macro(ev, el, macro):
    needs = ev.needs(macro)
    has_date = ev.has_date(macro)
    count = len(macro.children)

    def text_macro(ev, cite, frame):
        if needs and needs.isdisjoint(cite.present):
            return _skipped(ev, el, frame)
        if has_date and frame.sort_mode and frame.date_keys is None:
            return ev.date_macro_key(el, macro, cite, frame)
        steps = macro.extra.get("steps") or steps_of(ev, macro)
        # A called macro behaves as a group: terms alone do not print when
        # every variable it asked for is empty (as in citeproc-js).
        called, rendered = frame.called, frame.rendered
        frame.called = frame.rendered = 0
        # a macro's own cs:names do not inherit from a substitute that calls it
        inherit = frame.substitute_inherit
        if inherit is None:
            nodes = run(ev, steps, count, cite, frame)
        else:
            frame.substitute_inherit = None
            nodes = run(ev, steps, count, cite, frame)
            frame.substitute_inherit = inherit
        suppress = frame.called > 0 and frame.rendered == 0
        frame.called += called
        frame.rendered += rendered
        if not nodes or suppress:
            # (its names stay tried, unlike a vanished group's: citeproc-js prints
            # "op. cit." after an author macro that printed nothing)
            return None
        # a macro that prints something counts as content for the enclosing group
        frame.rendered += 1
        # citeproc-js applies text-case to the strings an element prints itself, never
        # to a called macro's output: Zotero users never see it (docs/guide.md)
        return ev.wrap(el, filled_span(nodes), cite, case=False)
    return text_macro


def _skipped(ev, el, frame):
    """A group or macro not walked, for the cite lacks every variable it needs: it prints
    nothing, and counts as one that asked for its variables and found none."""
    frame.called += 1
    if ev.watches_text_variables and not frame.text_variable:
        frame.skip(el)  # (Evaluator.ran_text_variable runs it as citeproc-js would)
    return None


def _text_term(el, term, form, plural):
    # role "term": a note may capitalize a term that opens it ("Ibid."); citeproc-js
    # applies the element's own text-case after that, so "lowercase" undoes it
    lowercase = el.text_case == "lowercase"

    def text_term(ev, cite, frame):
        text = ev.locale.term_text(term, form, plural)
        if not text:
            return None
        # an apostrophe inside a word is typographic ("à l’adresse"), as citeproc-js prints it
        text = _APOSTROPHE_RE.sub("\u2019", text) if "'" in text else text
        node = parse_markup(text, parse_quotes=False)
        if node.__class__ is Text and (text[0] in _SPACES or text[-1] in _SPACES):
            node = Value(node.text)  # a term's own spaces stay ("accessed " then suffix " ")
        role = None if lowercase or frame.names_tried else "term"
        return ev.wrap(el, Span([node], role=role), cite, leaf=True)
    return text_term


def _text_value(el, value):
    cost = len(value) >> 6
    probe = parse_markup(value)
    if probe.__class__ is Text:
        # plain text: the node's class is known now (nodes are built anew: wrapping changes them)
        text = probe.text
        make = Literal if _PUNCTUATION_ONLY_RE.match(text) else Value

        def text_value(ev, cite, frame):
            ev.spend(frame, cost)
            return ev.wrap(el, make(text), cite, leaf=True)
    else:
        def text_value(ev, cite, frame):
            ev.spend(frame, cost)
            return ev.wrap(el, parse_markup(value), cite, leaf=True)
    return text_value


def _group(ev, el):
    needs = ev.needs(el)
    steps = steps_of(ev, el)
    count = len(el.children)
    delimiter = el.delimiter

    def group(ev, cite, frame):
        if needs and needs.isdisjoint(cite.present):
            return _skipped(ev, el, frame)
        called, rendered, names_tried = frame.called, frame.rendered, frame.names_tried
        frame.called = frame.rendered = 0
        nodes = run(ev, steps, count, cite, frame, delimiter)
        suppress = frame.called > 0 and frame.rendered == 0
        group_called, group_rendered = frame.called, frame.rendered
        frame.called = called + group_called
        frame.rendered = rendered + group_rendered
        if suppress or not nodes:
            frame.names_tried = names_tried
            return None
        frame.rendered += 1  # a non-empty group counts as content for its parent
        return ev.wrap(el, filled_span(nodes), cite)
    return group


def _choose(ev, el):
    """A choose as an element of its own (a substitute's child): its branch's nodes as one span."""
    def choose(ev, cite, frame):
        branch = evaluate_choose(ev, el, cite)
        if branch is None:
            return None
        nodes = run_of(ev, branch, cite, frame)
        return filled_span(nodes) if nodes else None
    return choose


def _leaf(ev, el):
    """An element whose work is the evaluator's own: Evaluator.r_label, r_number, r_date, r_names."""
    method = getattr(type(ev), "r_" + el.tag)

    def leaf(ev, cite, frame):
        return method(ev, el, cite, frame)
    return leaf


_BUILDERS = {"text": _text, "group": _group, "choose": _choose,
             "label": _leaf, "number": _leaf, "date": _leaf, "names": _leaf}
