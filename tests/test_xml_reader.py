"""The engine's XML reader (issue 14, the first use of a style): styles and locale files
are read with the standard library's expat, not lxml (whose import was most of a style's
first use), into the elements lxml gave: the same tags, attributes, text, tails and line
numbers (libxml2's: the line where a start tag ends), the same documents refused, at the
same lines, and libxml2's bounds (256 levels, names of 50,000 characters). lxml, still a
dependency of the readers and of `citekit validate`, is the reference here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from lxml import etree

from citekit import registry
from citekit.csl import StyleError, locale, parse_style
from citekit.csl.xmlsafe import MAX_NAME_LENGTH, MAX_XML_DEPTH, parse_xml

OFFICIAL = registry.default_registry().styles_dir
CSL = 'xmlns="http://purl.org/net/xbiblio/csl"'


def lxml_root(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    return etree.fromstring(data, parser)


def lxml_tree(el) -> tuple:
    return (el.tag, dict(el.attrib), el.text, el.tail, el.sourceline,
            tuple(lxml_tree(c) for c in el if isinstance(c.tag, str)))


def our_tree(node, top=True) -> tuple:
    # (lxml gives the root element no tail: what follows it can only be whitespace)
    return (node.tag, dict(node.attrib), node.text, None if top else node.tail, node.sourceline,
            tuple(our_tree(c, False) for c in node))


def style(body: str, decl: str = '<?xml version="1.0" encoding="utf-8"?>\n') -> str:
    return (f'{decl}<style {CSL} version="1.0" class="in-text">\n<info><title>T</title><id>x</id></info>\n'
            f'{body}\n</style>')


CITATION = '<citation><layout><text variable="title"/></layout></citation>'

EDGE_CASES = {
    "CR LF": style(CITATION).replace("\n", "\r\n").encode(),
    # libxml2 counts LF only: a CR alone ends no line
    "CR alone": style(CITATION).replace("\n", "\r").encode(),
    "start tags over several lines, '>' in a value": style(
        '<citation>\n<layout\n prefix=">\n(" suffix=\')\'\n>\n<text\r\n variable="title"\n/></layout></citation>'
    ).encode(),
    "comments and instructions in text": style(
        '<macro name="m"><text>a<!--c-->b<?pi x?>c</text><text> x <b>y</b> z<!--q--> w</text></macro>'
        + CITATION).encode(),
    "CDATA": style('<macro name="m"><text><![CDATA[<a>&]]>z</text></macro>' + CITATION).encode(),
    "namespaced and xml: attributes": style(CITATION.replace(
        "<text ", '<text xmlns:z="urn:z" z:foo="1" xml:space="preserve" xml:lang="de" ')).encode(),
    "elements of other namespaces": style(
        '<citation><layout><z:x xmlns:z="urn:z"><y xmlns=""/></z:x></layout></citation>').encode(),
    "character references": style(
        '<citation><layout><text value="&#160;&#x85;&amp;#8212;&lt;i&gt;"/></layout></citation>').encode(),
    "whitespace in values": style('<citation><layout><text value="a\tb\nc  d"/></layout></citation>').encode(),
    "a byte-order mark": b"\xef\xbb\xbf" + style(CITATION).encode(),
    "Latin-1": style(CITATION.replace("title", "titl\u00e9"),
                     '<?xml version="1.0" encoding="ISO-8859-1"?>\n').encode("latin-1"),
    "windows-1252": style(CITATION.replace("title", "t\u2014"),
                          '<?xml version="1.0" encoding="windows-1252"?>\n').encode("cp1252"),
    "Shift_JIS (multi-byte, read by Python's codec)": style(
        CITATION.replace("title", "\u65e5\u672c"), '<?xml version="1.0" encoding="Shift_JIS"?>\n'
    ).encode("shift_jis"),
    "UTF-16": style(CITATION, '<?xml version="1.0" encoding="UTF-16"?>\n').encode("utf-16"),
    "UTF-16 without a declaration": style(CITATION, "").encode("utf-16"),
    f"{MAX_XML_DEPTH} levels": style("<citation><layout>" + "<group>" * (MAX_XML_DEPTH - 3)
                                     + "</group>" * (MAX_XML_DEPTH - 3) + "</layout></citation>").encode(),
    f"a name of {MAX_NAME_LENGTH:,} characters": style(
        f'<citation><layout><{"a" * MAX_NAME_LENGTH} {"b" * MAX_NAME_LENGTH}="1"/></layout></citation>').encode(),
}

REFUSED = {
    "not closed": style(CITATION)[:-20].encode(),
    "empty": b"",
    "only whitespace": b"  \n ",
    "mismatched tags": style("<citation><layout></citation></layout>").encode(),
    "a second root": style(CITATION).encode() + b"\n<x/>",
    "text after the root": style(CITATION).encode() + b"junk",
    "an undefined entity": style('<citation><layout><text value="&nbsp;"/></layout></citation>').encode(),
    "a control character": style('<citation><layout><text value="a\x01"/></layout></citation>').encode(),
    "a reference to a control character": style(
        '<citation><layout><text value="&#1;"/></layout></citation>').encode(),
    "'<' in a value": style('<citation><layout><text value="a<b"/></layout></citation>').encode(),
    "an attribute twice": style('<citation><layout><text variable="a" variable="b"/></layout></citation>').encode(),
    "an unbound prefix": style("<citation><layout><q:text/></layout></citation>").encode(),
    "bytes that are not UTF-8": style(CITATION).encode().replace(b"title", b"ti\xfftle"),
    "an unknown encoding": style(CITATION, '<?xml version="1.0" encoding="x-nonsense"?>\n').encode(),
    f"{MAX_XML_DEPTH + 1} levels": style("<citation><layout>" + "<group>" * (MAX_XML_DEPTH - 2)
                                         + "</group>" * (MAX_XML_DEPTH - 2) + "</layout></citation>").encode(),
    f"a name of {MAX_NAME_LENGTH + 1:,} characters": style(
        f'<citation><layout><{"a" * (MAX_NAME_LENGTH + 1)}/></layout></citation>').encode(),
    f"an attribute name of {MAX_NAME_LENGTH + 1:,} characters": style(
        f'<citation><layout><text {"a" * (MAX_NAME_LENGTH + 1)}="1"/></layout></citation>').encode(),
    "a DOCTYPE past the first 4 KB": ("<!--" + "x" * 5000 + "-->\n<!DOCTYPE style>" + style(CITATION, "")).encode(),
    "an entity declaration": style(CITATION).replace("<info>", '<!ENTITY x "y"><info>').encode(),
}


def official_sample() -> list:
    styles = sorted(OFFICIAL.glob("*.csl"))
    return styles[::25] + sorted((OFFICIAL / "dependent").glob("*.csl"))[::400]


@pytest.mark.parametrize("path", official_sample() + sorted(locale._locales_dir().glob("locales-*.xml")),
                         ids=lambda p: p.name)
def test_official_files_read_as_lxml_reads_them(path):
    data = path.read_bytes()
    assert our_tree(parse_xml(data)) == lxml_tree(lxml_root(data))


@pytest.mark.parametrize("what", list(EDGE_CASES))
def test_edge_cases_read_as_lxml_reads_them(what):
    data = EDGE_CASES[what]
    assert our_tree(parse_xml(data)) == lxml_tree(lxml_root(data))
    assert our_tree(parse_xml(data.decode("utf-8"))) == our_tree(parse_xml(data)) if what.startswith("CR") else True


@pytest.mark.parametrize("what", list(REFUSED))
def test_what_lxml_refuses_is_a_style_error_at_its_line(what):
    data = REFUSED[what]
    with pytest.raises(StyleError) as ours:
        parse_style(data)
    try:
        lxml_root(data)
    except etree.XMLSyntaxError as exc:
        if not what.startswith("an attribute name"):  # (libxml2 names the line it stopped at: the next one)
            assert ours.value.line == exc.lineno
    else:
        assert "DOCTYPE" in what or "ENTITY" in what.upper()  # lxml parses them: the engine refuses them
        assert "DTDs and entities are not allowed" in str(ours.value)


def test_a_style_is_parsed_without_importing_lxml():
    probe = ("import sys, json\nfrom citekit.csl import parse_style\nfrom citekit.registry import locate\n"
             "style = parse_style(locate('apa').read_bytes())\nstyle.locale()\n"
             "print(json.dumps([style.info.id, sorted(m for m in sys.modules if m.startswith('lxml'))]))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout) == ["http://www.zotero.org/styles/apa", []]


# --------------------------------------------------------------------------- the elements built


def expected_fields(el) -> tuple:
    """El's derived fields, as CSL defines them, from the element's attributes alone."""
    a = el.attrs
    prefix, suffix = a.get("prefix", ""), a.get("suffix", "")
    fmt = tuple((k, a[k]) for k in ("vertical-align", "text-decoration", "font-weight", "font-variant",
                                    "font-style") if k in a)
    level = el.tag in ("group", "date", "number") or (el.tag == "text" and (
        "macro" in a or a.get("variable") in ("page", "page-first", "chapter-number", "collection-number",
                                              "edition", "issue", "number", "number-of-pages",
                                              "number-of-volumes", "volume", "locator", "locator-extra",
                                              "first-reference-note-number",
                                              "first-container-reference-note-number")))
    return (fmt, prefix, suffix, a.get("quotes") == "true", a.get("quotes") == "false", a.get("text-case"),
            a.get("strip-periods") == "true", a.get("delimiter"),
            bool(prefix or suffix) and any(p in prefix + suffix for p in "()") and level,
            not (fmt or prefix or suffix or a.get("display") or a.get("quotes") in ("true", "false")
                 or a.get("text-case") or a.get("strip-periods") == "true"))


@pytest.mark.parametrize("name", ["apa", "modern-language-association", "chicago-notes-bibliography", "ieee",
                                  "harvard-cite-them-right", "nature"])
def test_every_element_has_its_derived_fields(name):
    # (most elements have none of the attributes these read and take the defaults at once)
    style = parse_style((OFFICIAL / f"{name}.csl").read_bytes())
    todo = [style.citation, style.bibliography, *style.macros.values()]
    seen = 0
    while todo:
        el = todo.pop()
        if el is None:
            continue
        got = (el.fmt, el.prefix, el.suffix, el.quotes, el.unquoted, el.text_case, el.strip_periods, el.delimiter,
               el.brace_affixes, el.bare)
        assert got == expected_fields(el), (name, el)
        assert el.display in (None, el.attrs.get("display")) and el.extra.keys() <= {"text"}
        todo.extend(el.children)
        seen += 1
    assert seen == style.element_count()
