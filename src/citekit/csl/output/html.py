"""HTML in citeproc-js's conventions, so CSS written for Zotero or pandoc output applies."""

from .base import Renderer


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
    display_markup = {
        "block": ('<div class="csl-block">', "</div>"),
        "left-margin": ('<div class="csl-left-margin">', "</div>"),
        "right-inline": ('<div class="csl-right-inline">', "</div>"),
        "indent": ('<div class="csl-indent">', "</div>"),
    }

    def escape(self, text: str) -> str:
        # Numeric entities, as citeproc-js writes them.
        if "&" in text:
            text = text.replace("&", "&#38;")
        if "<" in text:
            text = text.replace("<", "&#60;")
        if ">" in text:
            text = text.replace(">", "&#62;")
        return text

    def entry(self, text: str, entry_id: str) -> str:
        return f'  <div class="csl-entry">{text}</div>\n'

    def bibliography(self, entries, options):
        return '<div class="csl-bib-body">\n' + "".join(entries) + "</div>"
