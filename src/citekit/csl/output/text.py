"""Plain text: no markup at all, quotes as the locale spells them."""

from .base import Renderer


class TextRenderer(Renderer):
    name = "text"
    # A block starts on a line of its own, an indented block indented, and a margin
    # field is followed by a space (as citeproc-js writes them); nothing marks the ends.
    # A block that opens an entry starts it with a line break too, as in citeproc-js.
    margin_gap = ""
    display_markup = {
        "block": ("\n", ""),
        "indent": ("\n    ", ""),
        "left-margin": ("", " "),
    }

