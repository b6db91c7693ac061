"""HTML in citeproc-js's conventions, so CSS written for Zotero or pandoc output applies."""

import re

from .base import Renderer

_SUPERSCRIPTS = {
    "ª": "a", "º": "o", "ᵃ": "a", "ᵇ": "b", "ᶜ": "c", "ᵈ": "d", "ᵉ": "e", "ᶠ": "f", "ᵍ": "g", "ʰ": "h",
    "ⁱ": "i", "ʲ": "j", "ᵏ": "k", "ˡ": "l", "ᵐ": "m", "ⁿ": "n", "ᵒ": "o", "ᵖ": "p", "ʳ": "r", "ˢ": "s",
    "ᵗ": "t", "ᵘ": "u", "ᵛ": "v", "ʷ": "w", "ˣ": "x", "ʸ": "y", "ᶻ": "z", "¹": "1", "²": "2", "³": "3",
    "⁰": "0", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
}
_SUPERSCRIPTS_RE = re.compile("[" + "".join(_SUPERSCRIPTS) + "]")


class HtmlRenderer(Renderer):
    name = "html"
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
        if _SUPERSCRIPTS_RE.search(text):
            # Unicode superscript letters (French and Spanish ordinals) as <sup>, like citeproc-js
            text = _SUPERSCRIPTS_RE.sub(lambda m: f"<sup>{_SUPERSCRIPTS[m.group(0)]}</sup>", text)
        return text

    def entry(self, text: str, entry_id: str) -> str:
        return f'  <div class="csl-entry">{text}</div>\n'

    def bibliography(self, entries, options):
        return '<div class="csl-bib-body">\n' + "".join(entries) + "</div>"
