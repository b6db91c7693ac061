"""RTF: control words for formatting; non-ASCII as \\uN? escapes."""

from .base import Renderer


class RtfRenderer(Renderer):
    name = "rtf"
    markup = {
        ("font-style", "italic"): ("{\\i ", "}"),
        ("font-style", "oblique"): ("{\\i ", "}"),
        ("font-style", "normal"): ("{\\i0 ", "}"),
        ("font-variant", "small-caps"): ("{\\scaps ", "}"),
        ("font-variant", "normal"): ("{\\scaps0 ", "}"),
        ("font-weight", "bold"): ("{\\b ", "}"),
        ("font-weight", "normal"): ("{\\b0 ", "}"),
        ("text-decoration", "underline"): ("{\\ul ", "}"),
        ("text-decoration", "none"): ("{\\ul0 ", "}"),
        ("vertical-align", "sup"): ("{\\super ", "}"),
        ("vertical-align", "sub"): ("{\\sub ", "}"),
        ("vertical-align", "baseline"): ("{\\nosupersub ", "}"),
    }

    def escape(self, text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ch == "\t":
                out.append("\\tab ")
            elif ord(ch) < 128:
                out.append(ch)
            else:
                code = ord(ch)
                if code > 0xFFFF:  # RTF counts in UTF-16 units
                    code -= 0x10000
                    hi, lo = 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)
                    out.append(f"\\u{_signed(hi)}?\\u{_signed(lo)}?")
                else:
                    out.append(f"\\u{_signed(code)}?")
        return "".join(out)

    def bibliography(self, entries, options):
        return "\n".join(e + "\\par" for e in entries)


def _signed(code: int) -> int:
    return code - 65536 if code > 32767 else code
