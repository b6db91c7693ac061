"""Plain text: no markup at all, quotes as the locale spells them."""

from .base import Renderer


class TextRenderer(Renderer):
    name = "text"
    # A block starts on a line of its own, an indented block indented, and a margin
    # field is followed by a space (as citeproc-js writes them); nothing marks the ends.
    margin_gap = ""
    display_markup = {
        "block": ("\n", ""),
        "indent": ("\n    ", ""),
        "left-margin": ("", " "),
    }

    def render(self, tokens) -> str:
        out = super().render(tokens)
        # a block that opens the text needs no line break before it
        return out.lstrip("\n ") if out[:1] == "\n" else out
