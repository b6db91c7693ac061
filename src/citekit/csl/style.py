"""CSL style XML → an immutable tree of `El` nodes, parsed once and cached by callers.

Every attribute that evaluation needs often (formatting, affixes, text-case, ...) is
pre-computed here, so evaluation never walks XML or parses attribute strings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lxml import etree

from .errors import StyleError
from .locale import Locale, LocaleData, normalize_tag, read_locale_element
from .richtext import FORMAT_KEYS
from .xmlsafe import NS, parse_xml

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

KNOWN_ELEMENTS = {
    "style", "info", "locale", "macro", "citation", "bibliography", "layout", "sort", "key",
    "text", "date", "date-part", "number", "names", "name", "name-part", "et-al", "substitute",
    "label", "group", "choose", "if", "else-if", "else", "terms", "term", "single", "multiple",
    "style-options", "title", "title-short", "id", "link", "author", "contributor", "category",
    "issn", "eissn", "issnl", "published", "summary", "updated", "rights", "email", "uri",
}


class El:
    """One element of a parsed style: tag, attributes, children, source line.

    Attributes are read through `get`; the derived fields are set once at parse time.
    """

    __slots__ = ("tag", "attrs", "children", "line", "fmt", "prefix", "suffix", "display",
                 "quotes", "text_case", "strip_periods", "delimiter", "extra")

    def __init__(self, tag, attrs, children, line):
        self.tag = tag
        self.attrs = attrs
        self.children = children
        self.line = line
        self.fmt = tuple((k, attrs[k]) for k in FORMAT_KEYS if k in attrs)
        self.prefix = attrs.get("prefix", "")
        self.suffix = attrs.get("suffix", "")
        self.display = attrs.get("display")
        self.quotes = attrs.get("quotes") == "true"
        self.text_case = attrs.get("text-case")
        self.strip_periods = attrs.get("strip-periods") == "true"
        self.delimiter = attrs.get("delimiter")
        self.extra = {}  # evaluation caches keyed by purpose (never style data)

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def child(self, tag):
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def children_of(self, tag):
        return [c for c in self.children if c.tag == tag]

    def __repr__(self):
        return f"<{self.tag} {self.attrs} line {self.line}>"


@dataclass(frozen=True)
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


@dataclass
class Style:
    """A parsed, immutable style. Build with `parse_style`."""

    info: StyleInfo
    options: dict  # attributes of <style> (inheritable name options, page-range-format, ...)
    citation: El | None
    bibliography: El | None
    macros: dict
    locales: list  # LocaleData from the style's own <locale> elements
    _locale_cache: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _facts: dict = field(default_factory=dict, repr=False)

    def calls_variable(self, name: str) -> bool:
        """Does any element of the style render this variable? (computed once)"""
        key = ("calls", name)
        found = self._facts.get(key)
        if found is None:
            def walk(el):
                v = el.get("variable")
                if v and name in v.split():
                    return True
                return any(walk(c) for c in el.children)
            roots = [self.citation, self.bibliography, *self.macros.values()]
            found = any(walk(r) for r in roots if r is not None)
            self._facts[key] = found
        return found

    @property
    def style_class(self) -> str:
        return self.info.style_class

    def locale(self, tag: str | None = None) -> Locale:
        """The merged locale for a language: the caller's tag, else the style's default."""
        tag = normalize_tag(tag or self.info.default_locale) or "en-US"
        loc = self._locale_cache.get(tag)
        if loc is None:
            with self._lock:
                loc = self._locale_cache.get(tag)
                if loc is None:
                    loc = Locale(tag, self.locales)
                    self._locale_cache[tag] = loc
        return loc


def _convert(el, source) -> El:
    tag = etree.QName(el).localname
    if etree.QName(el).namespace not in (NS, None):
        raise StyleError("element outside the CSL namespace", line=el.sourceline, element=tag, source=source)
    children = []
    for c in el:
        if isinstance(c.tag, str):
            children.append(_convert(c, source))
    attrs = {etree.QName(k).localname if not k.startswith("{http://www.w3.org/XML/1998/namespace}") else "xml:lang": v
             for k, v in el.attrib.items()}
    node = El(tag, attrs, tuple(children), el.sourceline)
    if tag in ("text", "term", "single", "multiple", "title", "id", "summary", "title-short") and not children:
        # keep text content of leaf elements (terms inside style locales are read separately)
        node.extra["text"] = el.text or ""
    return node


def _read_info(root, source) -> tuple[StyleInfo, list]:
    info_el = root.find(f"{{{NS}}}info")
    vals = {"categories": []}
    parent = None
    if info_el is not None:
        for c in info_el:
            if not isinstance(c.tag, str):
                continue
            tag = etree.QName(c).localname
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
    if etree.QName(root).localname != "style" or etree.QName(root).namespace != NS:
        raise StyleError("the root element is not a CSL <style> in the CSL namespace",
                         line=root.sourceline, element=etree.QName(root).localname, source=source)
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
                     bibliography=parent.bibliography, macros=parent.macros, locales=parent.locales)
    tree = _convert(root, source)
    macros = {}
    locales: list[LocaleData] = []
    citation = bibliography = None
    for child, xml_child in zip(tree.children, [c for c in root if isinstance(c.tag, str)]):
        if child.tag == "macro":
            name = child.get("name")
            if not name:
                raise StyleError("a macro without a name", line=child.line, element="macro", source=source)
            macros[name] = child
        elif child.tag == "locale":
            lang = xml_child.get(_XML_LANG)
            locales.append(read_locale_element(xml_child, lang=normalize_tag(lang) if lang and "-" in lang else lang))
        elif child.tag == "citation":
            citation = child
        elif child.tag == "bibliography":
            bibliography = child
    if citation is None:
        raise StyleError("an independent style needs a <citation> element", line=tree.line,
                         element="style", source=source)
    for ctx in (citation, bibliography):
        if ctx is not None and ctx.child("layout") is None:
            raise StyleError("missing <layout>", line=ctx.line, element=ctx.tag, source=source)
    _check_macros(tree, macros, source)
    return Style(info=info, options=dict(tree.attrs), citation=citation, bibliography=bibliography,
                 macros=macros, locales=locales)


def _check_macros(tree: El, macros: dict, source) -> None:
    """Every macro called exists, and no macro calls itself, directly or not."""
    calls: dict[str, set] = {}

    def collect(el, out):
        if el.tag in ("text", "key") and el.get("macro"):
            name = el.get("macro")
            if name not in macros:
                raise StyleError(f"macro {name!r} is called but not defined", line=el.line,
                                 element=el.tag, source=source)
            out.add(name)
        for c in el.children:
            collect(c, out)

    for name, m in macros.items():
        calls[name] = set()
        collect(m, calls[name])
    for c in tree.children:
        if c.tag in ("citation", "bibliography"):
            collect(c, set())
    state: dict[str, int] = {}

    def visit(name, path):
        st = state.get(name)
        if st == 1:
            cycle = " → ".join(path[path.index(name):] + [name])
            raise StyleError(f"macros call themselves in a loop: {cycle}", line=macros[name].line,
                             element="macro", source=source)
        if st == 2:
            return
        state[name] = 1
        for callee in sorted(calls.get(name, ())):
            visit(callee, path + [name])
        state[name] = 2

    for name in sorted(calls):
        visit(name, [])
