"""LaTeX field values to CSL rich text.

pylatexenc parses the LaTeX and knows the accents and symbols; this module only
decides what becomes markup: `\\emph{}`/`\\textit{}` -> `<i>`, `\\textbf{}` -> `<b>`,
`\\textsc{}` -> small caps, super/subscripts, and braces that protect case ->
`<span class="nocase">` (in title fields, where a style may change case).
Unlike bibtexparser's LatexDecodingMiddleware, which flattens everything to plain
text, this keeps the formatting that CSL understands.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexWalker,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import MacroSpec

NOCASE_OPEN = '<span class="nocase">'
SMALLCAPS_OPEN = '<span style="font-variant:small-caps;">'

# Commands taking one argument that CSL can represent as markup.
_WRAPPING = {
    "emph": ("<i>", "</i>"),
    "textit": ("<i>", "</i>"),
    "textsl": ("<i>", "</i>"),
    "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "mkbibbold": ("<b>", "</b>"),
    "textsc": (SMALLCAPS_OPEN, "</span>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "mkbibsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
    "mkbibsubscript": ("<sub>", "</sub>"),
    "enquote": ("\u201c", "\u201d"),
    "mkbibquote": ("\u201c", "\u201d"),
}
# Declarations ({\em ...}) format the rest of their group.
_DECLARATIONS = {
    "em": ("<i>", "</i>"),
    "it": ("<i>", "</i>"),
    "itshape": ("<i>", "</i>"),
    "sl": ("<i>", "</i>"),
    "slshape": ("<i>", "</i>"),
    "bf": ("<b>", "</b>"),
    "bfseries": ("<b>", "</b>"),
    "sc": (SMALLCAPS_OPEN, "</span>"),
    "scshape": (SMALLCAPS_OPEN, "</span>"),
}
# Commands whose argument is kept as it is (fonts CSL cannot express, links).
_TRANSPARENT = {"textup", "textrm", "textsf", "texttt", "textnormal", "textmd", "text", "mbox",
                "hbox", "url", "path", "uppercase", "MakeUppercase", "lowercase", "MakeLowercase"}
# biblatex's explicit case protection.
_NOCASE = {"nocase", "NoCaseChange"}

_EXTRA_SPECS = [
    MacroSpec(name, "{")
    for name in ("textsuperscript", "textsubscript", "mkbibemph", "mkbibitalic", "mkbibbold",
                 "mkbibquote", "mkbibsuperscript", "mkbibsubscript", "enquote", "nocase",
                 "NoCaseChange", "path", "textnormal", "textmd", "text", "uppercase",
                 "MakeUppercase", "lowercase", "MakeLowercase")
] + [MacroSpec("href", "{{")]


@lru_cache(maxsize=1)
def _context():
    db = get_default_latex_context_db()
    db.add_context_category("citekit-bib", macros=_EXTRA_SPECS, prepend=True)
    return db


@lru_cache(maxsize=1)
def _l2t() -> LatexNodes2Text:
    # math_mode="text" turns $\alpha$ into α; no file is ever read (\input has no directory).
    # pylatexenc writes \url{x} as "<x>", \href as "text <x>" and \maketitle as a
    # made-up title block: text the field never held, so these give their text only.
    from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db as text_db

    db = text_db()
    db.add_context_category("citekit-text", prepend=True, macros=[
        MacroTextSpec("url", "%s"),
        MacroTextSpec("href", lambda n, l2t: l2t.nodelist_to_text(
            [a for a in (n.nodeargd.argnlist[1:2] if n.nodeargd else []) if a is not None])),
        MacroTextSpec("maketitle", ""),
    ])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


def _wrap(tags: tuple[str, str], inner: str, rich: bool) -> str:
    if not rich or not inner.strip():
        return inner
    return tags[0] + inner + tags[1]


class _Converter:
    def __init__(self, rich: bool):
        self.rich = rich

    def nodes(self, nodelist, protect: bool) -> str:
        out: list[str] = []
        for index, node in enumerate(nodelist or ()):
            if isinstance(node, LatexMacroNode) and node.macroname in _DECLARATIONS:
                rest = self.nodes(nodelist[index + 1:], protect)
                out.append(_wrap(_DECLARATIONS[node.macroname], rest, self.rich))
                break
            out.append(self.node(node, protect))
        return "".join(out)

    def _arg(self, node, index: int, protect: bool) -> str:
        args = node.nodeargd.argnlist if node.nodeargd is not None else []
        if not args or index >= len(args) or args[index] is None:
            return ""
        arg = args[index]
        if isinstance(arg, LatexGroupNode):
            return self.nodes(arg.nodelist, protect)
        return self.node(arg, protect)

    def node(self, node, protect: bool) -> str:
        if isinstance(node, LatexCharsNode):
            return node.chars
        if isinstance(node, LatexCommentNode):
            return ""
        if isinstance(node, LatexGroupNode):
            inner = [n for n in node.nodelist
                     if not (isinstance(n, LatexCharsNode) and not n.chars.strip())]
            # "{\"u}" is a special character in BibTeX, not a case protection.
            if inner and isinstance(inner[0], LatexMacroNode):
                return self.nodes(node.nodelist, protect)
            text = self.nodes(node.nodelist, protect=False)
            if protect and self.rich and text.strip():
                return NOCASE_OPEN + text + "</span>"
            return text
        if isinstance(node, LatexMacroNode):
            name = node.macroname
            if name in _WRAPPING:
                return _wrap(_WRAPPING[name], self._arg(node, 0, protect), self.rich)
            if name in _NOCASE:
                text = self._arg(node, 0, False)
                return _wrap((NOCASE_OPEN, "</span>"), text, self.rich)
            if name in _TRANSPARENT:
                return self._arg(node, 0, protect)
            if name == "href":
                return self._arg(node, 1, protect)
            if name in _DECLARATIONS:  # reached only through self.node on an argument
                return ""
        # Accents, symbols, dashes, ~, quotes and math: pylatexenc's own tables.
        return _l2t().nodelist_to_text([node])


def _tidy(text: str) -> str:
    # Collapse runs of ordinary white space (line breaks inside fields) but keep
    # the no-break spaces that ~ produced.
    parts = text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" ")
    text = " ".join(p for p in parts if p)
    for empty in ("<i></i>", "<b></b>", NOCASE_OPEN + "</span>"):
        text = text.replace(empty, "")
    return text.strip()


def latex_to_text(value: str, *, rich: bool = True, protect: bool = False) -> str:
    """Decode a LaTeX field value.

    rich: keep formatting as CSL markup (<i>, <b>, <sup>, <sub>, small caps);
    protect: turn top-level braces into nocase spans (title fields).
    """
    if "\\" not in value and "{" not in value and "$" not in value and "~" not in value \
            and "--" not in value and "`" not in value and "''" not in value:
        return _tidy(value)
    # A bare % or & is text in a .bib value (exporters forget to escape them), not a
    # LaTeX comment or alignment tab.
    value = re.sub(r"(?<!\\)([%&])", r"\\\1", value)
    try:
        walker = LatexWalker(value, latex_context=_context(), tolerant_parsing=True)
        nodes, _, _ = walker.get_latex_nodes()
        return _tidy(_Converter(rich).nodes(nodes, protect))
    except Exception:  # pylatexenc gave up (malformed or very deep input): keep the bare text
        return _bare_text(value)


def _bare_text(value: str) -> str:
    # The words without the markup: macro names (\emph, \textbf ...) go with their backslash.
    text = re.sub(r"\\[A-Za-z@]+\*?\s*", "", value)
    return _tidy(text.replace("{", "").replace("}", "").replace("\\", ""))


def latex_to_plain(value: str) -> str:
    """Decode without any markup (names, numbers, places)."""
    return latex_to_text(value, rich=False, protect=False)


def unescape_url(value: str) -> str:
    """A URL or DOI as written in a .bib file: unwrap \\url{}, drop braces, unescape \\_ etc."""
    v = value.strip()
    if v.startswith("\\url{") and v.endswith("}"):
        v = v[5:-1]
    out = []
    i = 0
    while i < len(v):
        ch = v[i]
        if ch == "\\" and i + 1 < len(v) and v[i + 1] in "_%&#$~{}":
            out.append(v[i + 1])
            i += 2
            continue
        if ch not in "{}":
            out.append(ch)
        i += 1
    return "".join(out).strip()
