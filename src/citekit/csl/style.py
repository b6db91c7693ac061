"""CSL style XML → an immutable tree of `El` nodes, parsed once and cached by callers.

Every attribute that evaluation needs often (formatting, affixes, text-case, ...) is
pre-computed here, so evaluation never walks XML or parses attribute strings.
"""

from __future__ import annotations

import threading

from .errors import StyleError
from .limits import LIMITS, has_controls, strip_controls
from .locale import Locale, LocaleData, normalize_tag, read_locale_element
from .record import field, record
from .richtext import FORMAT_KEYS
from .variables import markup_depth
from .xmlsafe import NS, XML_NS, decode_escaped_refs, localname, namespace, parse_xml


_XML_LANG = "{" + XML_NS + "}lang"
_XML_PREFIX = "{" + XML_NS + "}"
_STYLE_TAG = "{" + NS + "}style"

KNOWN_ELEMENTS = {
    "style", "info", "locale", "macro", "citation", "bibliography", "layout", "sort", "key",
    "text", "date", "date-part", "number", "names", "name", "name-part", "et-al", "substitute",
    "label", "group", "choose", "if", "else-if", "else", "terms", "term", "single", "multiple",
    "style-options", "title", "title-short", "id", "link", "author", "contributor", "category",
    "issn", "eissn", "issnl", "published", "summary", "updated", "rights", "email", "uri", "translator",
}

# Every attribute of the CSL 1.0.2 schema; others are warned about (and ignored).
KNOWN_ATTRIBUTES = frozenset("""
    after-collapse-delimiter and citation-format cite-group-delimiter class collapse date-parts
    default-locale delimiter delimiter-precedes-et-al delimiter-precedes-last
    demote-non-dropping-particle disambiguate disambiguate-add-givenname disambiguate-add-names
    disambiguate-add-year-suffix display entry-spacing et-al-min et-al-subsequent-min
    et-al-subsequent-use-first et-al-use-first et-al-use-last field font-style font-variant
    font-weight form gender gender-form givenname-disambiguation-rule hanging-indent href
    initialize initialize-with initialize-with-hyphen is-numeric is-uncertain-date license
    limit-day-ordinals-to-day-1 line-spacing locator macro match name name-as-sort-order
    name-delimiter name-form names-delimiter names-min names-use-first names-use-last
    near-note-distance page-range-format plural position prefix punctuation-in-quote quotes
    range-delimiter rel second-field-align sort sort-separator strip-periods
    subsequent-author-substitute subsequent-author-substitute-rule suffix term text-case
    text-decoration type value variable version vertical-align xml:lang year-suffix-delimiter
""".split())
_MAX_STYLE_WARNINGS = 20  # a hostile style must not flood every Result

# `citekit validate` warns about a style whose citation or bibliography, with every macro call
# inlined and every branch counted, holds more than this many times its own elements: the
# official styles stay under 520, macros that call the next one twice over 40 levels reach 10^10.
EXPONENTIAL_RATIO = 10_000

# Evaluation recurses once per level of nesting, macro calls included; the official styles
# nest at most about 60 levels, and 150 stays well inside Python's recursion limit.
MAX_NESTING = 150


# The variables citeproc-js prints as numbers (with their affixes on an output level).
_NUMERIC_TEXT_VARIABLES = frozenset((
    "page", "page-first", "chapter-number", "collection-number", "edition", "issue", "number",
    "number-of-pages", "number-of-volumes", "volume", "locator", "locator-extra",
    "first-reference-note-number", "first-container-reference-note-number"))


_FORMAT_SET = frozenset(FORMAT_KEYS)
# The attributes El's derived fields read: an element with none of them has them all at
# their defaults.
_WRAP_ATTRIBUTES = _FORMAT_SET | {"prefix", "suffix", "display", "quotes", "text-case", "strip-periods",
                                  "delimiter"}


def _level_element(tag, attrs) -> bool:
    if tag in ("group", "date", "number"):
        return True
    return tag == "text" and ("macro" in attrs or attrs.get("variable") in _NUMERIC_TEXT_VARIABLES)


class El:
    """One element of a parsed style: tag, attributes, children, source line.

    Attributes are read through `get`; the derived fields are set once at parse time.
    """

    __slots__ = ("tag", "attrs", "children", "line", "fmt", "prefix", "suffix", "display",
                 "quotes", "text_case", "strip_periods", "delimiter", "extra", "brace_affixes", "bare",
                 "unquoted")

    def __init__(self, tag, attrs, children, line):
        self.tag = tag
        self.attrs = attrs
        self.children = children
        self.line = line
        self.extra = {}  # evaluation caches keyed by purpose (never style data)
        if _WRAP_ATTRIBUTES.isdisjoint(attrs):
            # none of the attributes below (most elements: every element of a style passes here)
            self.fmt = ()
            self.prefix = self.suffix = ""
            self.display = self.text_case = self.delimiter = None
            self.quotes = self.unquoted = self.strip_periods = self.brace_affixes = False
            self.bare = True
            return
        get = attrs.get  # (written for speed)
        self.fmt = fmt = () if _FORMAT_SET.isdisjoint(attrs) else tuple(
            (k, attrs[k]) for k in FORMAT_KEYS if k in attrs)
        self.prefix = prefix = get("prefix", "")
        self.suffix = suffix = get("suffix", "")
        self.display = display = get("display")
        quotes = get("quotes")
        self.quotes = quotes == "true"
        self.unquoted = quotes == "false"
        self.text_case = text_case = get("text-case")
        self.strip_periods = strip_periods = get("strip-periods") == "true"
        self.delimiter = get("delimiter")
        # Affixes with a parenthesis that count for nested brackets in note styles
        # (richtext.flip_nested_parens): those of the elements citeproc-js renders as
        # output levels of their own, a group, a macro call, a date, a number.
        self.brace_affixes = bool(prefix or suffix) and (
            "(" in prefix or ")" in prefix or "(" in suffix or ")" in suffix) and _level_element(tag, attrs)
        # none of what Evaluator.wrap applies: it returns the content as it is
        self.bare = not (fmt or prefix or suffix or display or quotes == "true" or quotes == "false"
                         or text_case or strip_periods)

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def with_children(self, children) -> "El":
        """A copy with other children (shapes.py): the derived fields as they are now
        (parsing may have changed some, as display), no evaluation cache, and
        extra["original"], the style's own element, which whether it holds a date is
        asked of."""
        copy = El.__new__(El)
        copy.tag, copy.attrs, copy.line, copy.fmt = self.tag, self.attrs, self.line, self.fmt
        copy.prefix, copy.suffix, copy.display, copy.quotes = self.prefix, self.suffix, self.display, self.quotes
        copy.text_case, copy.strip_periods, copy.delimiter = self.text_case, self.strip_periods, self.delimiter
        copy.brace_affixes, copy.bare, copy.unquoted = self.brace_affixes, self.bare, self.unquoted
        copy.children = children
        # no evaluation cache: each depends on the content (what it needs, its compiled
        # function, its parts), which is the copy's own
        copy.extra = {"original": self.extra.get("original", self)}
        return copy

    def child(self, tag):
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def children_of(self, tag):
        return [c for c in self.children if c.tag == tag]

    def __repr__(self):
        return f"<{self.tag} {self.attrs} line {self.line}>"


@record(frozen=True)
class StyleInfo:
    id: str = ""
    title: str = ""
    title_short: str = ""
    style_class: str = "in-text"
    default_locale: str | None = None
    categories: tuple = ()
    citation_format: str | None = None
    parent_id: str | None = None
    version: str = "1.0"

    @property
    def is_dependent(self) -> bool:
        return self.parent_id is not None


@record
class Style:
    """A parsed, immutable style. Build with `parse_style`."""

    info: StyleInfo
    options: dict  # attributes of <style> (inheritable name options, page-range-format, ...)
    citation: El | None
    bibliography: El | None
    macros: dict
    locales: list  # LocaleData from the style's own <locale> elements
    warnings: tuple = ()  # what parsing ignored (unknown elements and attributes), for Result.warnings
    _locale_cache: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _facts: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        # Short: the style's id and class, not its whole tree.
        return f"Style({(self.info.id or self.info.title)!r}, class={self.info.style_class!r})"

    def finds(self, el, test) -> bool:
        """Does el, an element inside it, or one inside a macro it calls (at any depth),
        pass test?"""
        seen = set()

        def walk(e):
            if test(e):
                return True
            called = e.get("macro") if e.tag == "text" else None
            if called and called not in seen and called in self.macros:
                seen.add(called)
                if walk(self.macros[called]):
                    return True
            return any(walk(c) for c in e.children)
        return walk(el)

    def cites_print_number(self) -> bool:
        """Does the citation layout print citation-number (macros included)? (computed once)"""
        found = self._facts.get("cites-print-number")
        if found is None:
            found = self._facts["cites-print-number"] = self.citation is not None and self.finds(
                self.citation, lambda el: el.tag == "text" and el.get("variable") == "citation-number")
        return found

    def calls_variable(self, name: str) -> bool:
        """Does any element of the style render this variable? (computed once) A sort key
        or a condition on it does not render it."""
        key = ("calls", name)
        found = self._facts.get(key)
        if found is None:
            def walk(el):
                v = el.get("variable")
                if v and el.tag not in ("key", "if", "else-if") and name in v.split():
                    return True
                return any(walk(c) for c in el.children)
            roots = [self.citation, self.bibliography, *self.macros.values()]
            found = any(walk(r) for r in roots if r is not None)
            self._facts[key] = found
        return found

    @property
    def style_class(self) -> str:
        return self.info.style_class

    def element_count(self) -> int:
        """How many elements the style's citation, bibliography and macros hold (computed once)."""
        found = self._facts.get("elements")
        if found is None:
            found, todo = 0, [r for r in (self.citation, self.bibliography, *self.macros.values()) if r is not None]
            while todo:
                el = todo.pop()
                found += 1
                todo.extend(el.children)
            self._facts["elements"] = found
        return found

    def work_budget(self) -> int:
        """Elements evaluation may visit for one cite or entry: LIMITS.work_factor per
        element of the style, and at least LIMITS.min_work_budget (docs/limits.md)."""
        return max(LIMITS.min_work_budget, LIMITS.work_factor * self.element_count())

    def expanded_size(self, context: str) -> int:
        """How many elements the citation or bibliography holds with every macro call
        replaced by the macro, counting every branch of every choose: an upper bound of
        the work of one cite. Exponential when macros call each other many times over."""
        root = self.citation if context == "citation" else self.bibliography
        if root is None:
            return 0
        sizes: dict = {}  # macro name → expanded size; _check_macros made the call graph acyclic

        def size(el) -> int:
            total, todo = 0, [el]
            while todo:
                e = todo.pop()
                total += 1
                name = e.get("macro") if e.tag == "text" else None
                if name is not None and name in self.macros:
                    if name not in sizes:
                        sizes[name] = 0  # guards a cycle, which parsing already refused
                        sizes[name] = size(self.macros[name])
                    total += sizes[name]
                todo.extend(e.children)
            return total

        # callees first, so that the recursion above stays one level deep
        for name in _macro_order(self.macros):
            if name not in sizes:
                sizes[name] = size(self.macros[name])
        return size(root)

    def to_data(self) -> dict:
        """The parsed style as plain data (dicts, lists, strings, numbers, booleans, None),
        which `Style.from_data` turns back into an equal style without reading XML: what a
        cache on disk keeps (as JSON). Only what parsing produced is kept; every derived
        field is computed again on reading."""
        i = self.info
        return {"format": DATA_FORMAT, "limits": _parse_limits(),
                "info": [i.id, i.title, i.title_short, i.style_class, i.default_locale, list(i.categories),
                         i.citation_format, i.parent_id, i.version],
                "options": self.options, "citation": _node_data(self.citation),
                "bibliography": None if self.bibliography is None else _node_data(self.bibliography),
                "macros": [[name, _node_data(m)] for name, m in self.macros.items()],
                "locales": [d.to_data() for d in self.locales], "warnings": list(self.warnings)}

    @classmethod
    def from_data(cls, data) -> Style:
        """The style `to_data` wrote. Anything else (another format, data written under
        other parse-time limits, a value of the wrong type, a broken macro graph) raises
        ValueError or TypeError, so that a caller reading a cache treats it as a miss."""
        if type(data) is not dict or data.get("format") != DATA_FORMAT or data.get("limits") != _parse_limits():
            raise ValueError("not style data of this format")
        (sid, title, title_short, style_class, default_locale, categories, citation_format, parent_id,
         version) = data["info"]
        for v in (sid, title, title_short, style_class, version, *categories):
            if type(v) is not str:
                raise ValueError("not style data")
        for v in (default_locale, citation_format, parent_id):
            if v is not None and type(v) is not str:
                raise ValueError("not style data")
        info = StyleInfo(id=sid, title=title, title_short=title_short, style_class=style_class,
                         default_locale=default_locale, categories=tuple(categories),
                         citation_format=citation_format, parent_id=parent_id, version=version)
        options = _attrs_of(data["options"])
        roots = []
        citation = _node_from(data["citation"], 0, found := [0, {}, {}])
        roots.append((citation, found))
        bibliography = None
        if data["bibliography"] is not None:
            bibliography = _node_from(data["bibliography"], 0, found := [0, {}, {}])
            roots.append((bibliography, found))
        macros, walked = {}, {}
        for name, node in data["macros"]:
            if type(name) is not str or not name:
                raise ValueError("not style data")
            macros[name] = _node_from(node, 0, found := [0, {}, {}])
            walked[name] = found
        warnings = tuple(data["warnings"])
        if not all(type(w) is str for w in warnings) or citation.tag != "citation" or citation.child("layout") is None \
                or (bibliography is not None and (bibliography.tag != "bibliography"
                                                  or bibliography.child("layout") is None)):
            raise ValueError("not style data")
        try:
            # the checks parsing made: macros called exist, no loop, nesting bounded
            _check_macros(macros, walked, roots, None)
        except StyleError as exc:
            raise ValueError(f"not style data: {exc}") from None
        return cls(info=info, options=options, citation=citation, bibliography=bibliography, macros=macros,
                   locales=[LocaleData.from_data(d) for d in data["locales"]], warnings=warnings)

    def locale(self, tag: str | None = None) -> Locale:
        """The merged locale for a language: the caller's tag, else the style's default."""
        tag = normalize_tag(tag or self.info.default_locale) or "en-US"
        loc = self._locale_cache.get(tag)
        if loc is None:
            with self._lock:
                loc = self._locale_cache.get(tag)
                if loc is None:
                    loc = Locale(tag, self.locales)
                    # bounded: any string may come as locale=; the oldest entry goes first
                    while len(self._locale_cache) >= max(1, LIMITS.locale_cache_size):
                        del self._locale_cache[next(iter(self._locale_cache))]
                    self._locale_cache[tag] = loc
        return loc


# The shape of Style.to_data: change it whenever that shape, or what parsing keeps of the
# XML (decoding, stripping, the elements' text), changes, so that older data is refused.
DATA_FORMAT = 1


def _parse_limits() -> dict:
    # the limits parsing reads (warnings depend on them): data made under others is refused
    return {"max_markup_depth": LIMITS.max_markup_depth}


def _node_data(el: El) -> list:
    # [tag, attrs, line, children, text of a leaf or None, display dropped by _keep_top_level_display]
    return [el.tag, el.attrs, el.line, [_node_data(c) for c in el.children], el.extra.get("text"),
            el.display is None and "display" in el.attrs]


def _attrs_of(attrs) -> dict:
    if type(attrs) is not dict:
        raise ValueError("not style data")
    for k, v in attrs.items():
        if type(k) is not str or type(v) is not str:
            raise ValueError("not style data")
    return attrs


def _gather(found, tag, attrs, level, line) -> None:
    """Note an element for the macro checks, as a tree is built: found holds the deepest
    level, the deepest level each macro is called at, and each macro's first call
    (line, tag)."""
    if level > found[0]:
        found[0] = level
    if tag == "text" or tag == "key":
        called = attrs.get("macro")
        if called:
            if found[1].get(called, -1) < level:
                found[1][called] = level
            found[2].setdefault(called, (line, tag))


def _node_from(data, level: int, found: list) -> El:
    # found: what _check_macros needs of the tree (see _convert), gathered as it is built
    tag, attrs, line, children, text, dropped = data
    if type(tag) is not str or type(attrs) is not dict or type(children) is not list \
            or not (line is None or type(line) is int) or level > MAX_NESTING:
        raise ValueError("not style data")
    if attrs:
        # every key and value a str: join raises TypeError otherwise (JSON makes no subclasses
        # of str), in C rather than a test per value (every element of a style passes here)
        "".join(attrs)
        "".join(attrs.values())
    _gather(found, tag, attrs, level, line)
    el = El(tag, attrs, tuple([_node_from(c, level + 1, found) for c in children]) if children else (), line)
    if text is not None:
        if type(text) is not str:
            raise ValueError("not style data")
        el.extra["text"] = text
    if dropped is True:
        el.display = None
    return el


def _convert(el, source, warnings, level: int, found: list | None, founds: list | None = None) -> El:
    """The El of an XML element and of everything inside it. found: [deepest level, {macro
    called: level of its deepest call}, {macro called: (line, tag) of its first call}] of
    the tree, what _check_macros needs, gathered here so that parsing walks the tree once;
    None for the style element, whose children each have their own (in its `founds`)."""
    tag = el.tag
    if tag[:1] == "{":
        if namespace(tag) != NS:
            raise StyleError("element outside the CSL namespace", line=el.sourceline, element=localname(tag),
                             source=source)
        tag = localname(tag)
    attrs = el.attrib
    if attrs:
        # (the common case, plain names and values, costs two joins: every element passes here)
        if "{" in "".join(attrs):
            # any attribute of the xml: namespace reads as xml:lang, any other by its local name
            attrs = {("xml:lang" if k.startswith(_XML_PREFIX) else localname(k)): v for k, v in attrs.items()}
        values = "".join(attrs.values())
        if "&" in values:
            attrs = {k: decode_escaped_refs(v) for k, v in attrs.items()}
            values = "".join(attrs.values())
        if "<" in values or has_controls(values):
            attrs = dict(attrs)  # (never the XML node's own: a style's <locale> is read from it again)
            for name, value in attrs.items():
                if has_controls(value):
                    # XML allows C1 controls and CR: none of them may reach the output
                    attrs[name] = strip_controls(value)
                    if warnings is not None:
                        _warn(warnings, f"style line {el.sourceline}: control characters removed from {name!r} "
                                        f"on <{tag}>")
                if name == "value" and "<" in value and markup_depth(value) > LIMITS.max_markup_depth \
                        and warnings is not None:
                    _warn(warnings, f"style line {el.sourceline}: markup nested more than {LIMITS.max_markup_depth} "
                                    "levels deep in 'value'; the deeper tags are kept as text (LIMITS.max_markup_depth)")
    if warnings is not None:
        if tag not in KNOWN_ELEMENTS:
            _warn(warnings, f"style line {el.sourceline}: unknown element <{tag}> ignored")
        if not KNOWN_ATTRIBUTES.issuperset(attrs):
            for name in attrs:
                if name not in KNOWN_ATTRIBUTES:
                    _warn(warnings, f"style line {el.sourceline}: unknown attribute {name!r} on <{tag}> ignored")
    line = el.sourceline
    if found is None:  # the style element
        children = []
        for c in el.children:
            children.append(_convert(c, source, warnings, 0, f := [0, {}, {}]))
            founds.append(f)
    else:
        _gather(found, tag, attrs, level, line)
        children = [_convert(c, source, warnings, level + 1, found) for c in el.children] if el.children else ()
    node = El(tag, attrs, tuple(children), line)
    if tag in ("text", "term", "single", "multiple", "title", "id", "summary", "title-short") and not children:
        # keep text content of leaf elements (terms inside style locales are read separately)
        node.extra["text"] = strip_controls(decode_escaped_refs(el.text or ""))
    return node


def _warn(warnings: list, message: str) -> None:
    if len(warnings) < _MAX_STYLE_WARNINGS:
        warnings.append(message)
    elif len(warnings) == _MAX_STYLE_WARNINGS:
        warnings.append("style: more unknown elements or attributes, not listed")


def _read_info(root, source) -> tuple[StyleInfo, list]:
    info_el = root.find(f"{{{NS}}}info")
    vals = {"categories": []}
    parent = None
    if info_el is not None:
        for c in info_el:
            tag = localname(c.tag)
            if tag in ("id", "title", "title-short"):
                vals[tag] = (c.text or "").strip()
            elif tag == "category":
                if c.get("field"):
                    vals["categories"].append(c.get("field"))
                if c.get("citation-format"):
                    vals["citation-format"] = c.get("citation-format")
            elif tag == "link" and c.get("rel") == "independent-parent":
                parent = c.get("href")
    return StyleInfo(
        id=vals.get("id", ""),
        title=vals.get("title", ""),
        title_short=vals.get("title-short", ""),
        style_class=root.get("class", "in-text"),
        default_locale=root.get("default-locale"),
        categories=tuple(vals["categories"]),
        citation_format=vals.get("citation-format"),
        parent_id=parent,
        version=root.get("version", "1.0"),
    ), []


def parse_style(data, *, source: str | None = None, parent_loader=None) -> Style:
    """Parse CSL XML (bytes or str) into a Style.

    A dependent style is resolved through `parent_loader(parent_id) -> bytes | None`;
    the dependent's own default-locale is kept.
    """
    if isinstance(data, Style):
        return data
    root = parse_xml(data, source=source)
    if root.tag != _STYLE_TAG:
        raise StyleError("the root element is not a CSL <style> in the CSL namespace",
                         line=root.sourceline, element=localname(root.tag), source=source)
    info, _ = _read_info(root, source)
    has_body = root.find(f"{{{NS}}}citation") is not None
    if info.parent_id and not has_body:
        if parent_loader is None:
            raise StyleError(f"dependent style needs its parent {info.parent_id!r}, and no loader was given",
                             source=source)
        parent_data = parent_loader(info.parent_id)
        if parent_data is None:
            raise StyleError(f"the parent style {info.parent_id!r} was not found", source=source)
        parent = parse_style(parent_data, source=info.parent_id, parent_loader=None)
        default_locale = info.default_locale or parent.info.default_locale
        merged = StyleInfo(
            id=info.id, title=info.title, title_short=info.title_short,
            style_class=parent.info.style_class, default_locale=default_locale,
            categories=info.categories or parent.info.categories,
            citation_format=info.citation_format or parent.info.citation_format,
            parent_id=info.parent_id, version=info.version,
        )
        return Style(info=merged, options=parent.options, citation=parent.citation,
                     bibliography=parent.bibliography, macros=parent.macros, locales=parent.locales,
                     warnings=parent.warnings)
    warnings: list = []
    founds: list = []
    tree = _convert(root, source, warnings, 0, None, founds)
    macros, walked, roots = {}, {}, []
    locales: list[LocaleData] = []
    citation = bibliography = None
    for child, xml_child, found in zip(tree.children, root.children, founds):
        if child.tag == "macro":
            name = child.get("name")
            if not name:
                raise StyleError("a macro without a name", line=child.line, element="macro", source=source)
            macros[name] = child
            walked[name] = found
        elif child.tag == "locale":
            lang = xml_child.get(_XML_LANG)
            locales.append(read_locale_element(xml_child, lang=normalize_tag(lang) if lang and "-" in lang else lang))
        elif child.tag == "citation":
            citation = child
            roots.append((child, found))
        elif child.tag == "bibliography":
            bibliography = child
            roots.append((child, found))
    if citation is None:
        raise StyleError("an independent style needs a <citation> element", line=tree.line,
                         element="style", source=source)
    for ctx in (citation, bibliography):
        if ctx is not None and ctx.child("layout") is None:
            raise StyleError("missing <layout>", line=ctx.line, element=ctx.tag, source=source)
    _check_macros(macros, walked, roots, source)
    _keep_top_level_display(tree, macros)
    return Style(info=info, options=dict(tree.attrs), citation=citation, bibliography=bibliography,
                 macros=macros, locales=locales, warnings=tuple(warnings))


def _keep_top_level_display(tree: El, macros: dict) -> None:
    """display= counts on the elements that make up a layout (through cs:choose), and
    is dropped deeper, in groups and macros: citeproc-js lays out those blocks only, and
    styles written for it put display="block" on nested groups that print inline."""
    top = set()

    def collect(el):
        for c in el.children:
            if c.tag in ("choose", "if", "else-if", "else"):
                collect(c)
            else:
                top.add(id(c))
    for ctx in tree.children:
        if ctx.tag in ("citation", "bibliography"):
            collect(ctx.child("layout"))
    todo = [tree]  # macros are children of the style element
    while todo:
        el = todo.pop()
        if el.display is not None and id(el) not in top:
            el.display = None
        todo.extend(el.children)


def _macro_order(macros: dict) -> list:
    """Macro names, each after every macro it calls (the call graph is acyclic)."""
    calls = {}
    for name, m in macros.items():
        found, todo = set(), [m]
        while todo:
            el = todo.pop()
            if el.tag in ("text", "key") and el.get("macro") in macros:
                found.add(el.get("macro"))
            todo.extend(el.children)
        calls[name] = sorted(found)
    order, state = [], {}
    for start in sorted(macros):
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(calls[start]))]
        while stack:
            name, it = stack[-1]
            callee = next(it, None)
            if callee is None:
                stack.pop()
                state[name] = 2
                order.append(name)
            elif callee not in state:
                state[callee] = 1
                stack.append((callee, iter(calls[callee])))
    return order


def _check_macros(macros: dict, walked: dict, roots: list, source) -> None:
    """Every macro called exists, no macro calls itself (directly or not), and the nesting
    of elements through macro calls stays under MAX_NESTING.

    walked: macro name → what _convert (or Style.from_data) found of it, [deepest level,
    {callee: level of its deepest call}, {callee: (line, tag) of its first call}]; roots:
    (element, the same) for each citation and bibliography, in the order of the style.
    Iterative, so that a long chain of macros gives a StyleError, not a RecursionError."""
    calls: dict[str, dict] = {}  # macro → {callee: level of its deepest call site}
    own: dict[str, int] = {}  # macro → depth of its own elements

    def undefined(called: dict, sites: dict) -> None:
        for name in called:  # (in the order of their first calls: the first undefined one is named)
            if name not in macros:
                line, tag = sites[name]
                raise StyleError(f"macro {name!r} is called but not defined", line=line, element=tag,
                                 source=source)

    for name in macros:
        own[name], calls[name], sites = walked[name]
        undefined(calls[name], sites)
    depth: dict[str, int] = {}  # macro → deepest nesting when called, its callees included
    state: dict[str, int] = {}  # 1 while on the path, 2 when done
    for start in sorted(calls):
        if start in state:
            continue
        state[start] = 1
        path, stack = [start], [iter(sorted(calls[start]))]
        while stack:
            callee = next(stack[-1], None)
            if callee is None:
                name = path.pop()
                stack.pop()
                state[name] = 2
                depth[name] = max([own[name], *(lvl + depth[c] for c, lvl in calls[name].items())])
                continue
            st = state.get(callee)
            if st == 1:
                cycle = " → ".join(path[path.index(callee):] + [callee])
                raise StyleError(f"macros call themselves in a loop: {cycle}", line=macros[callee].line,
                                 element="macro", source=source)
            if st is None:
                state[callee] = 1
                path.append(callee)
                stack.append(iter(sorted(calls[callee])))
    for c, (own_depth, used, sites) in roots:
        undefined(used, sites)
        deepest = max([own_depth, *(lvl + depth[m] for m, lvl in used.items())])
        if deepest > MAX_NESTING:
            raise StyleError(f"elements nest {deepest} levels deep, macro calls included; "
                             f"at most {MAX_NESTING} are supported", line=c.line, element=c.tag,
                             source=source)
