"""Evaluation: a style's element tree + one item (and one cite) → a rich-text tree.

`Evaluator` holds what is fixed for a run (style, locale, mode); `Cite` holds what
varies per rendered cite (the item, locator, position, disambiguation state). The walk
over the tree is compiled.py's (each element compiled once into a function); here are
what its functions call: wrapping, variables, labels, numbers, and what an element needs
to print at all (what lets the walk skip it). Names, dates, numbers and text-case live
in modules of their own.
"""

from __future__ import annotations

import re

from . import lazy
from .compiled import KEEPS_COLLAPSE, NUMBER_RE, filled_span, render_children, run_of
from .conditions import evaluate_choose
from .dates import render_date
from .errors import StyleError
from .limits import LIMITS, to_int
from .names import render_names
from .numbers import format_number_variable, is_plural_number, starts_with_label
from .record import shared
from .richtext import (DecoKeepMarkSuffix, DecoLevelPrefix, DecoLevelQuoteSuffix, DecoLevelSuffix, DecoPrefix,
                       DecoQuoteSuffix, DecoSuffix, LevelPrefix, LevelSuffix, NumberLevelSuffix,
                       NumberSuffix, Prefix, Span, Suffix, Text, is_empty, kept_normals, parse_markup, plain_text,
                       strip_periods, unquote_typed)
from .shapes import shaped_layout, shaped_macro
from .textcase import STOP_WORDS, apply_text_case

# Letters and digits of scripts that are set in italics (citeproc-js's "romanesque").
_ROMANESQUE_RE = lazy.pattern(globals(), "_ROMANESQUE_RE",
    "[-0-9a-zA-Z\u00c0-\u017f\u0218-\u021b\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff"
    "\u0600-\u06ff\u0e01-\u0e5b\u1f00-\u1fff\u200c-\u200e\u202a-\u202e]")

# Inheritable name options (CSL 1.0.2 "Inheritable Name Options").
NAME_OPTIONS = (
    "and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min", "et-al-use-first",
    "et-al-use-last", "et-al-subsequent-min", "et-al-subsequent-use-first", "initialize",
    "initialize-with", "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
    "names-delimiter",
)


class DisambigState:
    """How far disambiguation has had to expand one item's cites."""

    __slots__ = ("add_names", "givenname_level", "year_suffix", "disambiguate", "name_levels", "name_counts",
                 "global_levels", "global_full_for_cite")

    def __init__(self):
        self.add_names = 0  # extra names shown beyond et-al-use-first
        self.givenname_level = 0  # 0 as styled, 1 initials, 2 full given name
        self.name_levels = None  # per-name levels {(variable, index): level}
        self.name_counts = None  # names shown per variable {variable: count}, overriding et-al
        self.year_suffix = None  # "a", "b", ... once assigned
        self.disambiguate = 0  # the disambiguate="true" condition: the first n tests met hold
        # the levels of name_levels that global name expansion gave (givenname-disambiguation-rule
        # other than by-cite): citeproc-js keeps those in its name registry, which its sort keys
        # consult too, unlike a cite's own expansions
        self.global_levels = None
        # the names of global_levels given in full only because the cite's names take no
        # initialize-with (their initials tell them apart): a bibliography that initializes
        # shows their initials, as citeproc-js rates each name for the names element it prints in
        self.global_full_for_cite = None

    def copy(self):
        c = DisambigState()
        c.add_names = self.add_names
        c.givenname_level = self.givenname_level
        c.name_levels = dict(self.name_levels) if self.name_levels else None
        c.name_counts = dict(self.name_counts) if self.name_counts else None
        c.year_suffix = self.year_suffix
        c.disambiguate = self.disambiguate
        c.global_levels = self.global_levels
        c.global_full_for_cite = self.global_full_for_cite
        return c

    def key(self) -> tuple:
        """A hashable snapshot, for caches and change detection."""
        key = (self.add_names, self.givenname_level,
               tuple(sorted(self.name_levels.items())) if self.name_levels else (),
               tuple(sorted(self.name_counts.items())) if self.name_counts else (),
               self.year_suffix, self.disambiguate)
        # equal states share one key (caches keep one per item and state; most items' states
        # are alike); the table is emptied past its size, so it stays bounded
        return shared(_STATE_KEYS, key)


_STATE_KEYS: dict = {}  # DisambigState.key() → the one kept


class Cite:
    """One item as cited at one place: the item, cite options, position, state."""

    __slots__ = ("item", "locator", "label", "position", "near_note", "first_note",
                 "citation_number", "disamb", "note_index", "prefix", "suffix",
                 "suppress_author", "author_only", "cite_index", "first_sort_key", "present")

    def __init__(self, item, locator=None, label=None, position="first", near_note=False,
                 first_note=None, citation_number=None, disamb=None, note_index=0,
                 prefix="", suffix="", suppress_author=False, author_only=False):
        self.item = item
        self.locator = locator
        # the variables this cite has: the item's, and its locator (what Evaluator.needs asks)
        self.present = item.present | _LOCATOR if locator else item.present
        self.label = label or ("page" if locator else None)
        self.position = position
        self.near_note = near_note
        self.first_note = first_note
        self.citation_number = citation_number
        self.disamb = disamb or DisambigState()
        self.note_index = note_index
        self.prefix = prefix
        self.suffix = suffix
        self.suppress_author = suppress_author
        self.author_only = author_only
        self.cite_index = 0
        self.first_sort_key = None  # the first key of the citation's sort (grouped sort)


class Frame:
    """Per-render bookkeeping: variables called/rendered (for group suppression),
    variables already substituted (suppressed later), first year seen."""

    __slots__ = ("called", "rendered", "suppressed", "year_suffix_done", "sort_mode",
                 "names_seen", "in_substitute", "sort_overrides", "suppress_names", "first_names",
                 "first_names_people", "rendered_vars", "for_disambiguation", "substitute_inherit", "work",
                 "date_keys", "text_variable", "skipped", "substituted_text", "first_names_text", "names_tried")

    def __init__(self, sort_mode=False):
        self.work = 0  # elements visited in this render, against the style's work budget
        self.for_disambiguation = False  # accessed dates do not tell works apart
        self.called = 0
        self.rendered = 0
        self.suppressed = set()
        self.year_suffix_done = False
        self.sort_mode = sort_mode
        self.names_seen = []
        self.in_substitute = False
        self.sort_overrides = None
        self.suppress_names = False  # drop the first rendered cs:names (suppress-author, collapsing)
        self.first_names = None  # output of the first cs:names that rendered, once known
        self.first_names_people = None  # the people first_names shows, by their name parts
        self.rendered_vars = []  # variables that printed, for substitute's suppression
        self.text_variable = False  # a cs:text of a variable ran (see Evaluator.watches_text_variables)
        self.skipped = None  # elements not walked for want of their variables, while that is unknown
        self.substituted_text = False  # the last cs:names printed a substitute that is not names
        self.first_names_text = False  # first_names is such a substitute ("Anon.", a title)
        # a cs:names ran, even one that printed nothing (outside a group that vanished): a
        # term after it is not capitalized as the first word, as citeproc-js counts it
        self.names_tried = False
        # inside a cs:substitute, the substituted names' cs:name, cs:et-al and cs:label:
        # a bare cs:names nested in a choose or group there inherits them (as in citeproc-js)
        self.substitute_inherit = None
        self.date_keys = None  # a sort macro with a date: the keys of its dates, in order

    def skip(self, el) -> None:
        """el was not walked for want of its variables (see Evaluator.ran_text_variable)."""
        if self.skipped is None:
            self.skipped = []
        self.skipped.append(el)


class Evaluator:
    """Renders one context (citation or bibliography) of a style for many cites."""

    def __init__(self, style, locale, mode: str, warnings: list):
        self.style = style
        self.locale = locale
        self.mode = mode  # "citation" | "bibliography"
        self.ctx_el = style.citation if mode == "citation" else style.bibliography
        self.layout = self.ctx_el.child("layout") if self.ctx_el is not None else None
        self.warnings = warnings
        self.opts = dict(style.options)
        if self.ctx_el is not None:
            self.opts.update(self.ctx_el.attrs)
        self.name_opts = {k: self.opts[k] for k in NAME_OPTIONS if k in self.opts}
        # A bibliography shows the given names (and, with them, the names) that disambiguation
        # added to the item's cites when the citation adds given names, as citeproc-js does.
        cit_opts = {**style.options, **style.citation.attrs} if style.citation is not None else {}
        self.shows_cite_givens = (mode == "bibliography"
                                  and cit_opts.get("disambiguate-add-givenname") == "true")
        # citeproc-js: a cite whose rendering runs a cs:text of a variable (other than the
        # locator, citation-number, year-suffix or citation-label) is not joined as a
        # collapsed cite, even when its names were cut (collapse.py)
        self.watches_text_variables = mode == "citation" and bool(cit_opts.get("collapse"))
        self.shows_cite_names = self.shows_cite_givens and cit_opts.get("disambiguate-add-names") == "true"
        self.lang = locale.lang
        self.uses_year_suffix = style.calls_variable("year-suffix")
        self.page_range_format = style.options.get("page-range-format")
        self.demote_particle = style.options.get("demote-non-dropping-particle", "display-and-sort")
        self.initialize_with_hyphen = style.options.get("initialize-with-hyphen", "true") != "false"
        self.disambiguate_tests = 0  # disambiguate="true" tests met in the current rendering
        self.budget = style.work_budget()

    # -- entry points ----------------------------------------------------------
    def render_cite(self, cite: Cite, frame: Frame | None = None):
        """The layout's children for one cite (no layout affixes), as a Span or None."""
        frame = frame or Frame()
        self.disambiguate_tests = 0
        nodes = run_of(self, shaped_layout(self, cite), cite, frame)
        return filled_span(nodes) if nodes else None

    def render_children(self, children, cite, frame, delimiter=None, out=None) -> list:
        """The nodes a list of elements prints (compiled.py holds the walk)."""
        return render_children(self, children, cite, frame, delimiter, out)

    def spend(self, frame, work: int) -> None:
        """Count work against the budget; checked before it is done, so a render never
        goes past the budget, it stops there."""
        if frame.work + work > self.budget:
            self.over_budget(frame)
        frame.work += work

    def over_budget(self, frame):
        style = self.style
        raise StyleError(
            f"rendering one {'entry' if self.mode == 'bibliography' else 'cite'} visited more than "
            f"{self.budget:,} elements (64 characters of text or a name count as one), the style's work "
            f"budget (LIMITS.work_factor = {LIMITS.work_factor} per element of its "
            f"{style.element_count():,}, at least LIMITS.min_work_budget); its macros "
            f"call each other too many times over (expanded, the {self.mode} holds "
            f"{_short_count(style.expanded_size(self.mode))} elements)",
            source=style.info.id or None, element=self.mode)

    def render_macro(self, name, cite, frame):
        macro = shaped_macro(self, name, cite)
        if macro is None:
            return None
        if self.lacks(macro, cite):
            return None
        nodes = run_of(self, macro, cite, frame)
        if frame.called > 0 and frame.rendered == 0:
            # a group, as where a layout calls it: terms alone (a substitute's "anonymous")
            # make no key when every variable asked for is empty (citeproc-js sorts it last)
            return None
        return filled_span(nodes) if nodes else None

    # -- wrapping ----------------------------------------------------------------
    def wrap(self, el, content, cite=None, case=True, leaf=False, opaque=False, number=False):
        """Apply an element's text-case, strip-periods, formatting, quotes, affixes, display.

        leaf: content is the element's own text (a variable, term, value or number),
        not other elements' output. opaque: a "normal" inside does not print for this
        element's formatting (a names element's, in citeproc-js; richtext._flip_flop).
        number: a number citeproc-js keeps as a number (its suffix's space does not merge
        with a sibling's prefix, as a formatted element's)."""
        if content is None or is_empty(content):
            return None
        if el.bare:
            if content.__class__ is Span:
                content.filled = True  # known non-empty: later emptiness checks stop here
            return content
        if case and el.text_case:
            # items without a language are taken to be in the style's language
            lang = (cite.item.language if cite is not None else None) or self.locale.tag
            # title case is for English only, but citeproc-js asks the language of a text
            # variable only: terms, labels and values ("(Eds.)") are title-cased in any
            variable = leaf and el.tag == "text" and "variable" in el.attrs
            apply_text_case(content, el.text_case, lang, any_language=not variable)
        if el.strip_periods and not (leaf and el.tag == "text" and el.attrs.get("variable") in _LINK_VARIABLES):
            # (citeproc-js prints a DOI or a URL as it is: "doi:10.3847/2041")
            strip_periods(content)
        if el.unquoted:
            unquote_typed(content)
        node = content
        fmt = el.fmt
        if leaf and fmt and any(k == "font-style" for k, _ in fmt) and not _ROMANESQUE_RE.search(
                content.text if isinstance(content, Text) else plain_text(content)):
            # no italics for text without a letter of a script that has them (all CJK),
            # as citeproc-js drops them from such text
            fmt = tuple(f for f in fmt if f[0] != "font-style")
        # quotes="false" is a decoration in citeproc-js as formatting is (a leaf's mark kept)
        unquoted = leaf and el.unquoted
        decorated = fmt or el.quotes or number or unquoted
        if fmt or el.quotes or unquoted:
            if (el.tag == "group" or (leaf and el.tag == "text")) and any(v == "normal" for _, v in fmt):
                fmt = kept_normals(fmt, content)
            # a formatted leaf: its suffix, and a delimiter after it, merge only a repeated mark
            # with its text (richtext.KeepMarkSuffix); not a field with markup, quotes or an
            # apostrophe (a rich text of several pieces in citeproc-js: "Qu’un auteur ? In")
            keeps_mark = ((fmt or unquoted) and leaf and not el.quotes and not el.brace_affixes
                          and content.__class__ is not Span)
            node = Span([node], fmt=fmt, quotes=el.quotes,
                        role="opaque" if opaque else "keeps-mark" if keeps_mark else None)
        else:
            keeps_mark = False
        if el.prefix or el.suffix:
            # the suffix of a formatted or quoted element keeps its space from a sibling's
            # prefix (richtext.DecoSuffix)
            quote_suffix, deco_suffix, plain_suffix, deco_prefix, plain_prefix = (
                _LEVEL_AFFIXES if el.brace_affixes else _AFFIXES)
            suffix = (quote_suffix if el.quotes else DecoKeepMarkSuffix if keeps_mark
                      else (NumberLevelSuffix if el.brace_affixes else NumberSuffix) if number
                      else deco_suffix if decorated else plain_suffix)(el.suffix)
            prefix = (deco_prefix if fmt or el.quotes else plain_prefix)(el.prefix)
            node = Span([prefix, node, suffix], role="affixes")
        if el.display:
            node = Span([node], display=el.display)
        if isinstance(node, Span):
            node.filled = True  # known non-empty: later emptiness checks stop here
        return node

    # -- variables ---------------------------------------------------------------
    def variable_text(self, name: str, cite: Cite, frame: Frame, form: str | None = None):
        """The value of a standard or number variable as a string, or None; counts the call."""
        item = cite.item
        # An empty year-suffix does not make a group vanish (citeproc-js behaviour:
        # "n.d." followed by a year-suffix that was not needed still prints).
        if name != "year-suffix" or cite.disamb.year_suffix:
            frame.called += 1
        if name in frame.suppressed:
            return None
        if form is None and name not in _CITE_LEVEL and name != "page-first":
            value = item.fields.get(name)  # the common case, ahead of the special ones below
        elif name == "locator":
            value = cite.locator
            if value and not frame.for_disambiguation:
                # a cite prints its locator once: later calls find it empty (citeproc-js;
                # philipps-universitat-marburg-note's "Ebd., S. 112" after "S. 112" vanishes)
                frame.suppressed.add("locator")
        elif name == "citation-number":
            value = str(cite.citation_number) if cite.citation_number is not None else None
        elif name == "first-reference-note-number":
            value = str(cite.first_note) if cite.first_note and cite.position != "first" else None
        elif name == "year-suffix":
            # sort keys are made before year-suffixes are given (as in citeproc-js)
            value = cite.disamb.year_suffix if not frame.sort_mode else None
            if value:
                frame.year_suffix_done = True
            else:
                # an empty year-suffix counts as a variable that printed (citeproc-js): the
                # group or macro around it does not vanish ("No Date" after an empty date)
                frame.called += 1
                frame.rendered += 1
        elif name == "citation-label":
            value = item.fields.get("citation-label") or self.citation_label(cite)
            if value and cite.disamb.year_suffix and not self.uses_year_suffix and not frame.year_suffix_done:
                # the implicit year-suffix follows a citation label like a year
                value += cite.disamb.year_suffix
                frame.year_suffix_done = True
        elif name == "page-first":
            value = item.fields.get("page-first")
            if value is None and item.fields.get("page"):
                value = _first_page(str(item.fields["page"]))
        elif form == "short":
            short = "title-short" if name == "title" else name + "-short"
            value = item.fields.get(short)
            if value is None:
                value = item.fields.get(name)
                if name == "URL" and value:
                    value = _short_url(str(value))
        else:
            value = item.fields.get(name)
        if value is None or value == "" or isinstance(value, bool):
            return None
        # Text counts against the work budget too (64 characters as one element), so
        # that the output of one entry is bounded as well as its evaluation (self.spend(), inlined).
        work = frame.work + (len(value) >> 6)
        if work > self.budget:
            self.over_budget(frame)
        frame.work = work
        frame.rendered += 1
        frame.rendered_vars.append(name)
        return str(value)

    def citation_label(self, cite):
        """The label citeproc-js makes when an item has none (its "trigraph" Aaaa00:AaAa00:
        AaAA00:AAAA00): from the first name variable it has, four letters of one name, two
        and two of two, two, one and one of three, one of each of the first four; a name
        keeps its letters only, without a lower-case particle or a leading article; a name
        without letters ends the label (non-Latin scripts), and no label falls back to the
        title's first four letters without its stop words; then the year's last two digits
        ("00" with no year)."""
        item = cite.item
        label = ""
        shown = ""  # what the previous name gave; a name with no family or literal repeats it
        for var in _LABEL_NAME_VARIABLES:
            names = item.names.get(var)
            if names is None:
                continue
            if not shown:
                shown = (self.locale.term_text("reference", "short") or "reference").replace(".", "", 1)
                shown = shown[:1].upper() + shown[1:]
            widths = _TRIGRAPH[min(len(names), 4) - 1]
            for name, width in zip(names, widths):
                if name.get("family"):
                    shown = _LEADING_PARTICLE.sub("", name["family"])
                elif name.get("literal"):
                    shown = name["literal"]
                article = _LEADING_ARTICLE.match(shown.lower())
                if article:
                    shown = shown[article.end():]
                shown = _NOT_LABEL_LETTER.sub("", shown)
                if not shown:
                    break
                shown = shown[:width]
                label += shown[:1].upper() + shown[1:].lower()
            break
        if not label:
            title = item.fields.get("title")
            if title:
                words = "".join(w for w in str(title).split() if w not in _LABEL_SKIP_WORDS)[:4]
                label = words[:1].upper() + words[1:].lower()
        issued = item.dates.get("issued")
        year = str(issued.parts[0][0]) if issued is not None and issued.parts and issued.parts[0][0] else "0000"
        return label + year[-2:]

    # -- elements (the walk over the tree is compiled.py's) -------------------------
    def date_macro_key(self, el, macro, cite, frame):
        """A macro with a date of its own, called inside a sort key's macro: only its
        dates' keys print (citeproc-js drops all else a date macro prints in a key, its
        terms too: "n.d." makes no key)."""
        frame.date_keys = []
        self.render_children(macro.children, cite, frame)
        keys, frame.date_keys = frame.date_keys, None
        if not keys:
            return None
        return self.wrap(el, Text("".join(keys)), cite, case=False)

    def has_date(self, macro) -> bool:
        """Does the macro hold a cs:date of its own? (computed once; for a shaped macro,
        the style's own macro is asked: shapes.py)"""
        found = macro.extra.get("has-date")
        if found is None:
            found = macro.extra["has-date"] = _has_date(macro.extra.get("original", macro))
        return found

    def lacks(self, el, cite) -> bool:
        """Can el print nothing for this item, whatever its conditions choose?"""
        needs = self.needs(el)
        return bool(needs) and needs.isdisjoint(cite.present)

    def ran_text_variable(self, frame, cite) -> bool:
        """Did the cite's rendering run a cs:text of a variable (citeproc-js's test for
        joining a collapsed cite)? Elements skipped for want of their variables count as
        citeproc-js runs them: their chosen branches, macros and substitutes, to the end."""
        if frame.text_variable:
            return True
        seen = set()

        def runs(el):
            tag = el.tag
            if tag == "text":
                var = el.get("variable")
                if var is not None:
                    return var not in KEEPS_COLLAPSE
                name = el.get("macro")
                if name is None or name in seen or name not in self.style.macros:
                    return False
                seen.add(name)
                return any(runs(c) for c in self.style.macros[name].children)
            if tag == "choose":
                branch = evaluate_choose(self, el, cite)
                return branch is not None and any(runs(c) for c in branch.children)
            return any(runs(c) for c in el.children)
        return any(runs(el) for el in frame.skipped or ())

    def needs(self, el):
        """The variables without which el can print nothing (the locator among them, a
        cite's own: Cite.present), or None when it might print without any (terms,
        values, other cite-level variables such as the citation number). Computed once
        per element: skipping such parts is what keeps big styles fast."""
        found = el.extra.get("needs", False)
        if found is False:
            # (a shaped element needs what its branches, settled for the item's shape, need:
            # an item of the shape takes no other, so what the others need does not count)
            found = _needs(self.style, el)
            if found and not _surely_calls(self.style, el):
                # skipped, el would count as a variable asked for and not found; walked, its
                # conditions may ask for none (a choose without an else taking no branch),
                # and the group around it prints its terms (china-information's "in").
                # (Asked of el itself: a shaped copy has its item's branches settled.)
                found = None
            el.extra["needs"] = found
        return found

    def r_label(self, el, cite, frame):
        var = el.get("variable")
        form = el.get("form", "long")
        plural_mode = el.get("plural", "contextual")
        # The term prints even when the variable is empty (singular then), as citeproc-js
        # prints it and styles rely on: harvard-cite-them-right's "(4 vol)" is
        # number-of-volumes followed by <label variable="volume"/>. Like a term, it does
        # not count as a variable for group suppression.
        if var == "locator":
            if cite.locator and starts_with_label(cite.locator, self.locale):
                return None  # the locator was typed with its label ("vol. 2")
            term_name = (cite.label or "page").replace(" ", "-")  # "sub verbo" is the term sub-verbo
            value = cite.locator or ""
        else:
            if var is None:
                return None
            value = cite.item.fields.get(var)
            if var == "page-first" and value is None and cite.item.fields.get("page"):
                value = cite.item.fields.get("page")
            if value is None or isinstance(value, bool):
                value = ""
            term_name = var
            if var == "number-of-pages":
                term_name = "page"
            elif var == "number-of-volumes":
                term_name = "volume"
        if plural_mode == "always":
            plural = True
        elif plural_mode == "never":
            plural = False
        else:
            plural = bool(value) and _is_plural(str(value), var, self.locale)
        term = self.locale.term(term_name, form)
        if term is None:
            return None
        text = term.text(plural)
        if not text:
            return None
        return self.wrap(el, parse_markup(text, parse_quotes=False), cite)

    def r_number(self, el, cite, frame):
        var = el.get("variable")
        if not var:
            return None
        value = self.variable_text(var, cite, frame)
        if value is None:
            return None
        n = to_int(value) if frame.sort_mode and value.strip().isdecimal() else None
        if n is not None:
            return Text(f"{n:08d}")
        content = format_number_variable(self, value, el.get("form", "numeric"), var, cite)
        return self.wrap(el, content, cite, leaf=True, number=NUMBER_RE.match(value) is not None)

    def r_date(self, el, cite, frame):
        return render_date(self, el, cite, frame)

    def r_names(self, el, cite, frame):
        frame.substituted_text = False
        node = render_names(self, el, cite, frame, frame.substitute_inherit)
        frame.names_tried = True
        if node is not None and frame.first_names is None and not frame.sort_mode and self.mode == "citation":
            # cite grouping, collapsing and suppress-author work on the first names output
            frame.first_names = node
            frame.first_names_text = frame.substituted_text
            if frame.suppress_names:
                return None
        return node


# the affix classes of an element, by whether its affixes count as a level's (brace
# counting of note styles): quoted suffix, decorated suffix, suffix, decorated prefix, prefix
_AFFIXES = (DecoQuoteSuffix, DecoSuffix, Suffix, DecoPrefix, Prefix)
_LEVEL_AFFIXES = (DecoLevelQuoteSuffix, DecoLevelSuffix, LevelSuffix, DecoLevelPrefix, LevelPrefix)


# citeproc-js's order of the name variables, and its "trigraph" widths by number of names
_LABEL_NAME_VARIABLES = ("author", "chair", "collection-editor", "compiler", "composer", "container-author",
                         "contributor", "curator", "director", "editor", "editor-translator",
                         "editorial-director", "executive-producer", "guest", "host", "illustrator",
                         "interviewer", "narrator", "organizer", "original-author", "performer", "producer",
                         "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
                         "commenter")
_TRIGRAPH = ((4,), (2, 2), (2, 1, 1), (1, 1, 1, 1))
_LEADING_PARTICLE = re.compile(r"^[ '\u2019a-z]+\s+")
_LEADING_ARTICLE = re.compile(r"(?:a|the|an)\s+")
# the letters citeproc-js keeps in a label (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai)
_NOT_LABEL_LETTER = re.compile("[^a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
                               "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218\u0219"
                               "\u021a\u021b\u202a-\u202e]")
_LABEL_SKIP_WORDS = STOP_WORDS - {"d", "thru"}  # citeproc-js's list (compared word by word, as typed)


def _has_date(macro) -> bool:
    """Does the macro hold a cs:date in its own elements (not in macros it calls)? The
    test citeproc-js makes to key such a macro by its dates (cached on the macro)."""
    def walk(el):
        return el.tag == "date" or any(walk(c) for c in el.children)
    found = macro.extra["has-date"] = walk(macro)
    return found


def _short_count(n: int) -> str:
    """A count for a message: exact when short, "about 10^40" when not."""
    return f"{n:,}" if n < 10 ** 12 else f"about 10^{int(n.bit_length() * 0.30103)}"


def _first_page(page: str) -> str:
    m = re.match(r"\s*([^\s,&–—-]+)", page)
    return m.group(1) if m else page


def _is_plural(value: str, var: str | None, locale) -> bool:
    if var in ("number-of-pages", "number-of-volumes"):
        m = re.match(r"\s*(\d+)", value)
        return bool(m) and (to_int(m.group(1)) or 2) > 1  # a number too long to read is many
    return is_plural_number(value, locale.term_text("and"))


_URL_PATH_RE = lazy.pattern(globals(), "_URL_PATH_RE", r"(.*\.[^/]+)/.*")


def _short_url(url: str) -> str:
    """A URL's short form as citeproc-js makes it (styles ask for it with form="short"):
    the path dropped, and the scheme too when the host starts with www."""
    url = _URL_PATH_RE.sub(r"\1", url, count=1)
    if "//www." in url:
        url = re.sub(r"https?://", "", url, count=1)
    return url


# Variables that come from the cite or the document rather than the item.
_CITE_LEVEL = frozenset(("locator", "citation-number", "year-suffix", "first-reference-note-number",
                         "citation-label"))
_LOCATOR = frozenset(("locator",))


def _needs(style, root):
    ok, variables = _needs_walk(style, root)
    if not ok or not variables:
        return None
    return variables


def _needs_walk(style, el):
    """(can el print nothing without one of `variables`?, variables): computed once per
    element and macro, so that macros called many times over cost nothing more."""
    found = el.extra.get("needs_walk")
    if found is not None:
        return found
    variables = set()
    ok = True
    tag = el.tag
    if tag == "text":
        a = el.attrs
        if "variable" in a:
            var = a["variable"]
            if var == "locator" and SKIP_WAITING_GROUPS:
                variables.add(var)  # a cite's own, in Cite.present when it has one
            elif var in _CITE_LEVEL:
                ok = False
            else:
                variables.add(var)
                if a.get("form") == "short":
                    variables.add("title-short" if var == "title" else var + "-short")
                if var == "page-first":
                    variables.add("page")
        elif "macro" in a:
            # (in a shaped tree, the macro shaped for the item)
            macro = el.extra.get("shaped") or style.macros.get(a["macro"])
            if macro is not None:
                ok, variables = _needs_walk(style, macro)
        else:
            ok = False  # a term or a value prints without any variable
    elif tag == "label":
        # a label prints its term even when its variable is empty, but like a term it
        # does not keep a group or macro from being suppressed: it asks for nothing
        pass
    elif tag in ("number", "date"):
        var = el.get("variable")
        if tag == "number" and var == "locator" and SKIP_WAITING_GROUPS:
            variables.add(var)
        elif not var or var in _CITE_LEVEL:
            ok = False
        else:
            variables.update(var.split())
            if var == "page-first":
                variables.add("page")
    elif tag == "names":
        name = el.child("name")
        inherited = [style.options] + [c.attrs for c in (style.citation, style.bibliography) if c is not None]
        if (name is not None and name.get("form") == "count") or any(
                o.get("name-form") == "count" for o in inherited):
            ok = False  # a count prints (0) even without names
        else:
            variables.update(el.get("variable", "").split())
            sub = el.child("substitute")
            if sub is not None:
                ok, more = _needs_all(style, sub.children)
                variables |= more
    elif tag == "choose":
        # any branch may be taken: the choose needs a variable only if every branch that
        # prints something does (a branch with a label alone prints without any)
        for branch in el.children:
            b_ok, more = _needs_walk(style, branch)
            if not b_ok or (not more and branch.children):
                ok = False
                break
            variables |= more
    elif tag in ("group", "macro") and SKIP_WAITING_GROUPS and _waits_for_variables(style, el):
        # its terms, values and labels print only with a variable that counts: a group (or
        # a called macro) that asks for one and finds none is suppressed, terms and all
        # (CSL 1.0.2, cs:group)
        ok, variables = _counts_all(style, el.children)
        if not (ok and variables):
            ok, variables = _needs_all(style, el.children)
    elif tag in ("group", "if", "else-if", "else", "macro", "layout"):
        ok, variables = _needs_all(style, el.children)
        if tag != "else" and tag.endswith("if") and not (ok and variables) and SKIP_UNTAKEN_BRANCHES:
            # a branch that prints without variables (a term) is taken only with the
            # variables its conditions test: APA's "circa" before an original date
            required = _branch_requires(el)
            if required:
                ok, variables = True, required
    if ok and not variables and el.children and tag in _CONTAINERS:
        # it asks for no variable, and what it holds prints (labels, terms): a group of a
        # label alone is not suppressed (galatasaray-universitesi's ", s. " of a chapter)
        ok = False
    found = (ok, frozenset(variables) if ok else frozenset())
    el.extra["needs_walk"] = found
    return found


# Groups whose own terms and values wait for a variable (_needs_walk), and those that
# wait for a locator, are skipped as soon as the cite lacks every variable they ask for;
# off, the differential test walks them (tests/test_differential.py).
SKIP_WAITING_GROUPS = True


_CONTAINERS = frozenset(("group", "if", "else-if", "else", "macro", "layout"))
_CHOICES = frozenset(("choose", "if", "else-if", "else"))

# Branches whose conditions can hold only with one of some variables need those
# (_branch_requires); off, the differential test walks the groups around them.
SKIP_UNTAKEN_BRANCHES = True


def _branch_requires(branch):
    """The variables one of which a branch's conditions need to hold (its tests of
    variable, is-numeric, is-uncertain-date and locator ask for a value), or None when
    it may hold without any. Only conditions without side effects count: a
    disambiguate test counts as it runs, so a branch with one is never skipped."""
    match = branch.attrs.get("match", "all")
    if match == "none":
        return None
    sets = []
    for attr, value in branch.attrs.items():
        if attr == "match" or (attr == "type" and match == "all"):
            continue  # (all: the other conditions must hold too)
        if attr in ("variable", "is-numeric", "is-uncertain-date"):
            names = frozenset(value.split())
            if not names or any(v in _CITE_LEVEL or v == "page-first" for v in names - _LOCATOR):
                return None  # (what these depend on is not in Cite.present)
            sets.append(names)
        elif attr == "locator":
            sets.append(_LOCATOR)
        else:
            return None  # a position, disambiguation, a type in match="any"...
    if not sets:
        return None
    if match == "any":
        return frozenset().union(*sets)
    return min(sets, key=len)  # all: each one is needed, the smallest says most


def _waits_for_variables(style, group) -> bool:
    """Does the group (or macro) surely ask for a variable, whatever its conditions
    choose? Then it prints nothing unless something in it counts as printed (_counts_walk).
    Never with a disambiguate condition inside, whose tests count as they run."""
    return _surely_calls(style, group) and not tests_disambiguate(style, group)


def tests_disambiguate(style, el) -> bool:
    """Does el, or a macro it calls, hold a disambiguate condition? (computed once per
    element; a shaped copy keeps its original's answer, which holds every such branch)"""
    found = el.extra.get("tests-disambiguate")
    if found is None:
        # (marked first: parsing refuses macro loops, and this guards anyway)
        el.extra["tests-disambiguate"] = False
        if el.tag in ("if", "else-if") and "disambiguate" in el.attrs:
            found = True
        elif el.tag == "text" and "macro" in el.attrs:
            macro = style.macros.get(el.attrs["macro"])
            found = macro is not None and tests_disambiguate(style, macro)
        else:
            found = any(tests_disambiguate(style, c) for c in el.children)
        el.extra["tests-disambiguate"] = found
    return found


def _counts_walk(style, el):
    """(can el count as printed, for the group around it, only with one of `variables`?,
    variables): terms, values and labels never count (a group of them and an empty
    variable vanishes), everything else counts when it prints (_needs_walk)."""
    tag = el.tag
    if tag == "label" or (tag == "text" and "variable" not in el.attrs and "macro" not in el.attrs):
        return True, frozenset()
    if tag in _CHOICES:
        # (a choose: any of its branches; a branch: what it holds)
        return _counts_all(style, el.children)
    return _needs_walk(style, el)


def _counts_all(style, children):
    return _all(_counts_walk, style, children)


def _surely_calls(style, el) -> bool:
    """Does rendering el always ask for a variable (count one as called), whatever it
    finds and whatever its conditions choose? (computed once per element)"""
    found = el.extra.get("surely-calls")
    if found is not None:
        return found
    tag, a = el.tag, el.attrs
    if tag == "text":
        if "variable" in a:
            found = a["variable"] != "year-suffix"  # (an empty one is not counted)
        elif "macro" in a:
            # (in a shaped tree, the macro shaped for the item)
            macro = el.extra.get("shaped") or style.macros.get(a["macro"])
            found = macro is not None and any(_surely_calls(style, c) for c in macro.children)
        else:
            found = False
    elif tag == "number":
        found = bool(a.get("variable")) and a.get("variable") != "year-suffix"
    elif tag == "date":
        found = bool(a.get("variable")) and a.get("variable") != "accessed"  # (not while disambiguating)
    elif tag == "names":
        found = bool(a.get("variable", "").split())
    elif tag in ("group", "macro"):
        found = any(_surely_calls(style, c) for c in el.children)
    elif tag == "choose":
        branches = [b for b in el.children if b.tag in ("if", "else-if", "else")]
        found = (any(b.tag == "else" for b in branches)
                 and all(any(_surely_calls(style, c) for c in b.children) for b in branches))
    else:
        found = False
    el.extra["surely-calls"] = found
    return found


def _needs_all(style, children):
    return _all(_needs_walk, style, children)


def _all(walk, style, children):
    """(walk holds for every child?, the union of their variables)"""
    variables = set()
    for c in children:
        ok, more = walk(style, c)
        if not ok:
            return False, frozenset()
        variables |= more
    return True, variables


_LINK_VARIABLES = frozenset(("DOI", "URL"))
