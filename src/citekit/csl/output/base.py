"""The renderer protocol shared by every output format."""

from __future__ import annotations

from ..limits import _CONTROLS_RE, strip_controls

_find_control = _CONTROLS_RE.search


class Renderer:
    """Turns a resolved token stream into a string.

    Subclasses set `markup` (format key, value) -> (open, close) and implement
    `escape`. Quotes arrive as the locale's characters and pass through escape.
    """

    name = "base"
    markup: dict = {}
    display_markup: dict = {}

    def escape(self, text: str) -> str:
        return text

    # Formats without blocks keep the margin field ("[1]") apart from the entry's text.
    margin_gap = " "

    def render(self, tokens) -> str:
        out = []
        gap = False
        for tok in tokens:
            if gap and (tok.kind == "text" or tok.kind == "open"):
                # the gap follows the margin at once, before a quote or markup opens
                if self.margin_gap:
                    out.append(self.margin_gap)
                gap = False
            if tok.kind == "text":
                # items and styles are cleaned when read (with a warning); this is the last line
                text = tok.text
                if _find_control(text):  # has_controls(), inlined: once per piece of text
                    text = strip_controls(text)
                out.append(self.escape(text))
            elif tok.key == "quote":
                out.append(self.escape(strip_controls(tok.value)))
            elif tok.key == "display":
                pair = self.display_markup.get(tok.value)
                if pair:
                    out.append(pair[0] if tok.kind == "open" else pair[1])
                if tok.kind == "close" and tok.value == "left-margin":
                    gap = True
            elif tok.value is not None:
                pair = self.markup.get((tok.key, tok.value))
                if pair:
                    out.append(pair[0] if tok.kind == "open" else pair[1])
        return "".join(out)

    # The wrapping of a whole bibliography; formats override what they need.
    def entry(self, text: str, entry_id: str) -> str:
        return text

    def bibliography(self, entries: list[str], options: dict) -> str:
        return "\n".join(entries)
