"""Markdown (CommonMark): emphasis and strong; other formatting degrades to text."""

from .. import lazy
from .base import Renderer

_SPECIAL = lazy.pattern(globals(), "_SPECIAL", r"([\\`*_\[\]<>#])")


class MarkdownRenderer(Renderer):
    name = "markdown"
    markup = {
        ("font-style", "italic"): ("*", "*"),
        ("font-style", "oblique"): ("*", "*"),
        ("font-weight", "bold"): ("**", "**"),
        ("vertical-align", "sup"): ("<sup>", "</sup>"),
        ("vertical-align", "sub"): ("<sub>", "</sub>"),
    }

    def escape(self, text: str) -> str:
        return _SPECIAL.sub(r"\\\1", text)

    def bibliography(self, entries, options):
        return "\n\n".join(entries)
