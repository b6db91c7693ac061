"""A parser for untrusted XML (styles, locales): no DTDs, no entities, no network, no files."""

from __future__ import annotations

from . import lazy
from .errors import StyleError
from .limits import LIMITS

NS = "http://purl.org/net/xbiblio/csl"

# One parser per call: lxml parsers are not safe to share between threads.
def _parser():
    from lxml import etree  # imported when XML is first read: a cached style needs none

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes | str, source: str | None = None):
    """Parse untrusted XML text into an element, refusing DTDs and entities."""
    if len(data) > LIMITS.max_style_size:
        raise StyleError(f"{len(data):,} {'bytes' if isinstance(data, bytes) else 'characters'} of XML, more "
                         f"than the {LIMITS.max_style_size:,} allowed (LIMITS.max_style_size)", source=source)
    if isinstance(data, str):
        data = data.encode("utf-8") if not data.lstrip().startswith("<?xml") else _strip_decl(data)
    # A DOCTYPE is never needed by CSL and is the door to every entity attack.
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise StyleError("DTDs and entities are not allowed in CSL", source=source,
                         line=_line_of(data, b"<!"))
    from lxml import etree

    try:  # (lxml is imported here, not at the top: a style read from a cache needs no XML)
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise StyleError(f"not well-formed XML: {exc.msg}", source=source, line=line) from None
    if root is None:
        raise StyleError("empty document", source=source)
    if root.getroottree().docinfo.doctype:
        # a DOCTYPE past the first 4 KB (after a long comment) escapes the check above
        raise StyleError("DTDs and entities are not allowed in CSL", source=source,
                         line=_line_of(data, b"<!doctype"))
    return root


def _strip_decl(text: str) -> bytes:
    # lxml refuses str input with an encoding declaration; re-encode as UTF-8 bytes.
    end = text.find("?>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + text[end + 2:]).encode("utf-8")


def _line_of(data: bytes, needle: bytes) -> int | None:
    idx = data.lower().find(needle.lower())
    return None if idx < 0 else data.count(b"\n", 0, idx) + 1


_ESCAPED_REF_RE = lazy.pattern(globals(), "_ESCAPED_REF_RE",
    r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|quot));")
_NAMED = {"lt": "<", "gt": ">", "quot": '"'}


def _ref(m) -> str:
    if m.group(3):
        return _NAMED[m.group(3)]
    code = int(m.group(1), 10) if m.group(1) else int(m.group(2), 16)
    if (code < 32 and code not in (9, 10, 13)) or 127 <= code < 160 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return m.group(0)  # no control characters, no lone surrogates
    return chr(code)


def decode_escaped_refs(text: str) -> str:
    """Character references escaped once too often in style text (`&amp;#160;` in the
    XML is "&#160;" once parsed) read as the characters they name, as citeproc-js reads
    them: official styles write no-break spaces and dashes this way."""
    if "&" not in text:
        return text
    return _ESCAPED_REF_RE.sub(_ref, text)
