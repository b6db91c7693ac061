"""Plain text: no markup at all, quotes as the locale spells them."""

from .base import Renderer


class TextRenderer(Renderer):
    name = "text"
