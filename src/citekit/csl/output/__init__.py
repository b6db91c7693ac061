"""One renderer per output format. Each spells the markers of the resolved token
stream (see richtext.resolve) and escapes text; nothing else differs by format."""

from __future__ import annotations

from .base import Renderer
from .html import HtmlRenderer
from .latex import LatexRenderer
from .markdown import MarkdownRenderer
from .rtf import RtfRenderer
from .text import TextRenderer

RENDERERS: dict[str, Renderer] = {
    "text": TextRenderer(),
    "html": HtmlRenderer(),
    "markdown": MarkdownRenderer(),
    "rtf": RtfRenderer(),
    "latex": LatexRenderer(),
}

__all__ = ["RENDERERS", "Renderer"]
