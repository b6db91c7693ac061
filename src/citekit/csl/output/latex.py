"""LaTeX: text commands for formatting, specials escaped."""

from .base import Renderer

_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
    "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%",
}


class LatexRenderer(Renderer):
    name = "latex"
    markup = {
        ("font-style", "italic"): ("\\textit{", "}"),
        ("font-style", "oblique"): ("\\textsl{", "}"),
        ("font-style", "normal"): ("\\textup{", "}"),
        ("font-variant", "small-caps"): ("\\textsc{", "}"),
        ("font-variant", "normal"): ("\\textnormal{", "}"),
        ("font-weight", "bold"): ("\\textbf{", "}"),
        ("font-weight", "normal"): ("\\textmd{", "}"),
        ("text-decoration", "underline"): ("\\underline{", "}"),
        ("vertical-align", "sup"): ("\\textsuperscript{", "}"),
        ("vertical-align", "sub"): ("\\textsubscript{", "}"),
    }

    def escape(self, text: str) -> str:
        if not any(c in _ESCAPES for c in text):
            return text
        return "".join(_ESCAPES.get(c, c) for c in text)

    def bibliography(self, entries, options):
        return "\n\n".join(entries)
