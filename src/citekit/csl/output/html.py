"""HTML in citeproc-js's conventions, so CSS written for Zotero or pandoc output applies."""

import re
import unicodedata

from .. import lazy
from ..richtext import Tok
from .base import Renderer

_SUPERSCRIPT_RE = None


def _superscripts():
    """Unicode superscript characters and what they stand for, from the Unicode
    database (decomposition "<super> ..."), built on first need."""
    global _SUPERSCRIPT_RE, _SUPERSCRIPTS
    if _SUPERSCRIPT_RE is None:
        table = {}
        for code in range(0xA0, 0x10000):
            ch = chr(code)
            dec = unicodedata.decomposition(ch)
            if dec.startswith("<super>"):
                table[ch] = "".join(chr(int(h, 16)) for h in dec.split()[1:])
        # modifier letters citeproc-js also treats as superscripts
        table.update({"ˀ": "ʔ", "ˁ": "ʕ", "ۥ": "و", "ۦ": "ي"})
        _SUPERSCRIPTS = table
        _SUPERSCRIPT_RE = re.compile("[" + re.escape("".join(table)) + "]")
    return _SUPERSCRIPT_RE


_SUPERSCRIPTS: dict = {}
# Two whitespace characters in a row (JavaScript's \s, which citeproc-js matches)
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DOUBLE_SPACE_RE = lazy.pattern(globals(), "_DOUBLE_SPACE_RE", f"[{_JS_SPACE}][{_JS_SPACE}]")


class HtmlRenderer(Renderer):
    name = "html"
    margin_gap = ""  # the margin is a block of its own
    markup = {
        ("font-style", "italic"): ("<i>", "</i>"),
        ("font-style", "oblique"): ('<span style="font-style:oblique;">', "</span>"),
        ("font-style", "normal"): ('<span style="font-style:normal;">', "</span>"),
        ("font-variant", "small-caps"): ('<span style="font-variant:small-caps;">', "</span>"),
        ("font-variant", "normal"): ('<span style="font-variant:normal;">', "</span>"),
        ("font-weight", "bold"): ("<b>", "</b>"),
        ("font-weight", "normal"): ('<span style="font-weight:normal;">', "</span>"),
        ("font-weight", "light"): ('<span style="font-weight:light;">', "</span>"),
        ("text-decoration", "underline"): ('<span style="text-decoration:underline;">', "</span>"),
        ("text-decoration", "none"): ('<span style="text-decoration:none;">', "</span>"),
        ("vertical-align", "sup"): ("<sup>", "</sup>"),
        ("vertical-align", "sub"): ("<sub>", "</sub>"),
        ("vertical-align", "baseline"): ('<span style="baseline">', "</span>"),
    }
    # The line breaks are citeproc-js's, so that its output and ours compare equal.
    display_markup = {
        "block": ('\n\n    <div class="csl-block">', "</div>\n"),
        "left-margin": ('\n    <div class="csl-left-margin">', "</div>"),
        "right-inline": ('<div class="csl-right-inline">', "</div>\n  "),
        "indent": ('<div class="csl-indent">', "</div>\n  "),
    }

    def escape(self, text: str) -> str:
        # Numeric entities, as citeproc-js writes them.
        if "&" in text:
            text = text.replace("&", "&#38;")
        if "<" in text:
            text = text.replace("<", "&#60;")
        if ">" in text:
            text = text.replace(">", "&#62;")
        if "  " in text or "\n" in text or "\t" in text or (not text.isascii() and _DOUBLE_SPACE_RE.search(text)):
            # two spaces in a row (em spaces, no-break spaces...) show as a no-break space
            # and a space, as citeproc-js writes them
            text = _DOUBLE_SPACE_RE.sub("\u00a0 ", text)
        if not text.isascii() and _superscripts().search(text):
            # Unicode superscripts (French and Spanish ordinals...) as <sup>, like citeproc-js
            text = _SUPERSCRIPT_RE.sub(lambda m: f"<sup>{_SUPERSCRIPTS[m.group(0)]}</sup>", text)
        return text

    def render(self, tokens) -> str:
        for i, tok in enumerate(tokens):
            if tok.kind == "text":
                text = tok.text
                if len(text) > 1 and text[0] == " " and _DOUBLE_SPACE_RE.match(text):
                    # citeproc-js escapes a space that opens the output apart from the
                    # whitespace after it ("    1." prints as " \u00a0  1.")
                    tokens = tokens[:i] + [Tok("text", text=" "), Tok("text", text=text[1:])] + tokens[i + 1:]
                break
            if tok.kind == "open" and tok.key == "display":
                break  # the margin or block divs come first: not the output's opening
        return super().render(tokens)

    def entry(self, text: str, entry_id: str) -> str:
        return f'  <div class="csl-entry">{text}</div>\n'

    def bibliography(self, entries, options):
        return '<div class="csl-bib-body">\n' + "".join(entries) + "</div>"
