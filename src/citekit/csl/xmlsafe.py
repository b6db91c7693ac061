"""A parser for untrusted XML (styles, locales): no DTDs, no entities, no network, no files.

The XML is read with the standard library's expat (`pyexpat`, a C module that imports in
well under a millisecond, where lxml takes 13-25 ms: most of a style's first use) into
`Node`s, the small part of lxml's element API the engine reads. What the engine reads of
them is what it read of lxml's elements (compared once over every official style, locale
file and style of the CSL test suite; tests/test_xml_reader.py keeps a sample of it, every
locale file and edge cases against lxml): lxml's tags and attribute names
("{namespace}local"), `sourceline` as libxml2 counts it (the line where the start tag
ends), comments and processing instructions dropped, and libxml2's bounds without
huge_tree (256 levels of elements, names of 50,000 characters).
"""

from __future__ import annotations

import re

from . import lazy
from .errors import StyleError
from .limits import LIMITS

NS = "http://purl.org/net/xbiblio/csl"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# libxml2's bounds without XML_PARSE_HUGE, which the lxml parser the engine used kept
MAX_XML_DEPTH = 256
MAX_NAME_LENGTH = 50_000


class Node:
    """One element of parsed XML: `tag` and `attrib` keys as lxml writes them
    ("{namespace}local", or the bare name), `text`, `tail` (None when there is none),
    `sourceline`, and its child elements (iterate over it)."""

    __slots__ = ("tag", "attrib", "sourceline", "text", "tail", "children")

    def __init__(self, tag, attrib, sourceline):
        self.tag = tag
        self.attrib = attrib
        self.sourceline = sourceline
        self.text = None
        self.tail = None
        self.children = []

    def __iter__(self):
        return iter(self.children)

    def __len__(self):
        return len(self.children)

    def get(self, name, default=None):
        return self.attrib.get(name, default)

    def find(self, tag):
        """The first child element with this tag (lxml's form), or None."""
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def itertext(self):
        """The text of the element and of everything inside it, in document order."""
        if self.text is not None:
            yield self.text
        for c in self.children:
            yield from c.itertext()
            if c.tail is not None:
                yield c.tail


def localname(tag: str) -> str:
    return tag[tag.index("}") + 1:] if tag[:1] == "{" else tag


def namespace(tag: str) -> str | None:
    return tag[1:tag.index("}")] if tag[:1] == "{" else None


# The rest of a start tag from its "<" to its ">" (attribute values may hold ">"): libxml2
# counts an element's line where its start tag ends, expat where it begins.
_START_TAG = lazy.pattern(globals(), "_START_TAG", rb"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>")


def parse_xml(data: bytes | str, source: str | None = None) -> Node:
    """Parse untrusted XML text into its root element, refusing DTDs and entities."""
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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in data[:4]:
        data = _to_utf8(data, None, source)  # UTF-16 or 32: the byte offsets below read ASCII
    try:
        return _parse(data, source)
    except _UnknownEncoding as exc:
        # an encoding expat does not know (it reads UTF-8, UTF-16, ASCII, Latin-1 and the
        # one-byte encodings of Python's codecs): Python's codec reads it
        return _parse(_to_utf8(data, exc.args[0], source), source)


class _UnknownEncoding(Exception):
    pass


def _parse(data: bytes, source) -> Node:
    from pyexpat import ErrorString, ExpatError, ParserCreate, errors

    parser = ParserCreate(None, "}")
    parser.buffer_text = True
    parser.buffer_size = 65536
    stack: list = []
    root: list = []
    match_tag = _START_TAG.match
    count = data.count
    # libxml2's line of an element: 1 + the LF bytes before the end of its start tag (a CR
    # alone is no line break to it), counted on from the element before
    counted, line = 0, 1  # (offset counted to, the line there)

    def start(name, attrs):
        nonlocal counted, line
        if "}" in name:
            name = "{" + name
        for k in attrs:
            if "}" in k:  # a namespaced attribute: lxml's "{namespace}local"
                attrs = {("{" + k if "}" in k else k): v for k, v in attrs.items()}
                break
        begin = parser.CurrentByteIndex
        stop = match_tag(data, begin).end()
        line += count(b"\n", counted, stop)
        counted = stop
        node = Node(name, attrs, line)
        if stack:
            stack[-1].children.append(node)
            if len(stack) >= MAX_XML_DEPTH:
                raise StyleError(f"not well-formed XML: elements nested more than {MAX_XML_DEPTH} levels deep",
                                 source=source, line=line)
        else:
            root.append(node)
        if stop - begin > MAX_NAME_LENGTH and max(len(n.rpartition("}")[2]) for n in (name, *attrs)) > MAX_NAME_LENGTH:
            raise StyleError(f"not well-formed XML: a name longer than {MAX_NAME_LENGTH:,} characters",
                             source=source, line=line)
        stack.append(node)

    def end(name):
        stack.pop()

    def chars(text):
        if stack:
            node = stack[-1]
            if node.children:
                last = node.children[-1]
                last.tail = text if last.tail is None else last.tail + text
            else:
                node.text = text if node.text is None else node.text + text

    def refuse(*args):
        raise StyleError("DTDs and entities are not allowed in CSL", source=source,
                         line=parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except StyleError:
        raise
    except (LookupError, ValueError):
        # pyexpat's answer to an encoding name Python's codecs do not know, or to a
        # multi-byte one
        raise _UnknownEncoding(_declared_encoding(data)) from None
    except ExpatError as exc:
        if ErrorString(exc.code) == errors.XML_ERROR_UNKNOWN_ENCODING:
            raise _UnknownEncoding(_declared_encoding(data)) from None
        raise StyleError(f"not well-formed XML: {ErrorString(exc.code)}, line {exc.lineno}, column {exc.offset + 1}",
                         source=source, line=exc.lineno) from None
    if not root:
        raise StyleError("empty document", source=source)
    return root[0]


_DECL_ENCODING = lazy.pattern(globals(), "_DECL_ENCODING",
                              rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']")


def _declared_encoding(data: bytes) -> str | None:
    m = _DECL_ENCODING.match(data.lstrip(b"\xef\xbb\xbf"))
    return m.group(1).decode("ascii") if m else None


def _to_utf8(data: bytes, encoding: str | None, source) -> bytes:
    """The document in UTF-8, its declaration saying so: UTF-16 or 32 by its byte-order
    mark or first bytes, else the declared encoding, read by Python's codecs."""
    import codecs

    if encoding is None:
        for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
            if data.startswith(bom):
                encoding = name
                break
        else:
            encoding = {b"\0\0\0<": "utf-32-be", b"<\0\0\0": "utf-32-le", b"\0<\0?": "utf-16-be",
                        b"<\0?\0": "utf-16-le"}.get(data[:4])
    try:
        text = data.decode(encoding or "utf-8")
    except LookupError:
        raise StyleError(f"not well-formed XML: unsupported encoding {encoding}", source=source, line=1) from None
    except UnicodeError as exc:
        raise StyleError(f"not well-formed XML: not {encoding or 'utf-8'} ({exc})", source=source) from None
    text = text.lstrip("\ufeff")
    return text.encode("utf-8") if not text.lstrip().startswith("<?xml") else _strip_decl(text)


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
