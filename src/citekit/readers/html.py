"""A web page's own metadata to one CSL-JSON item.

Vocabularies, highest precedence first (each field is taken from the first that
has it, as Zotero's Embedded Metadata translator does):

1. Highwire Press `citation_*` (Google Scholar's tags)
2. Dublin Core `DC.*` / `dcterms.*`
3. schema.org JSON-LD (Article, NewsArticle, Report, BlogPosting, WebPage, `@graph`)
4. Open Graph `og:*` / `article:*`
5. plain HTML: `<title>`, `meta name="author"`, `<time datetime>`, canonical link, `<html lang>`

Safety: lxml's HTML parser with network access off, no entity or DTD loading; the
page is only read, never run (JSON-LD is parsed with `json`, scripts are data).
Work is linear in the page size: one pass over the elements, bounded buffers, and
no element with more than `Limits.html_attributes` attributes (libxml2 checks each
attribute against all earlier ones, which is quadratic in their number).
Nothing is ever fetched; `url` is used only as the page's address.
"""

from __future__ import annotations

import json
import re
from collections import deque
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from ._common import clean_doi, collapse_ws, language_code, make_id, parse_date, parse_name
from .limits import DEFAULT_LIMITS, Limits

__all__ = ["extract", "PRECEDENCE"]

PRECEDENCE = ("highwire", "dc", "jsonld", "og", "html")

_MAX_VALUE = 2000          # characters kept of any one metadata value
_MAX_VALUES_PER_KEY = 100  # repeated tags beyond this are noise
_MAX_JSONLD_BYTES = 1_000_000
_MAX_JSONLD_BLOCKS = 20
_MAX_JSONLD_NODES = 2000
_MAX_TEXT_RUN = 1_000_000   # bytes kept of one run of text without markup
_LONG_TEXT = re.compile(rb"(?<![^<])[^<]{%d,}" % (_MAX_TEXT_RUN + 1))  # from the start of a run only: linear

_ARTICLE_TYPES = {"article", "newsarticle", "report", "blogposting", "scholarlyarticle",
                  "techarticle", "socialmediaposting", "liveblogposting", "analysisnewsarticle",
                  "reportagenewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "askpublicnewsarticle"}
_PAGE_TYPES = {"webpage", "itempage", "collectionpage", "aboutpage", "faqpage", "qapage",
               "profilepage", "searchresultspage", "medicalwebpage", "realestatelisting"}
_NEWS_TYPES = {t for t in _ARTICLE_TYPES if t.endswith("newsarticle")}
_BLOG_TYPES = {"blogposting", "liveblogposting"}
_ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "governmentorganization",
              "educationalorganization", "ngo", "researchorganization", "project"}
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ", " \u2022 ", ": ")


# --------------------------------------------------------------------------- parsing


def _parser(encoding: str | None):
    import lxml.html

    # no_network: never load anything; comments and processing instructions are dropped.
    return lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                recover=True, encoding=encoding)


# HTML5 tokenizing, just enough to find every start tag as libxml2 (2.14+, an HTML5
# tokenizer) sees it: libxml2 checks each attribute against all earlier ones of the
# same element, so one element with n attributes costs n**2. Where this scan and the
# tokenizer might disagree, the scan ends skipped regions (comments, script text)
# early, so that it never misses a tag the parser will read.
_WS = rb"\t\n\f\r "
_MARKUP = re.compile(rb"<(?:([A-Za-z])|/[A-Za-z]|!--|[!?/])")
_TAG_BODY = re.compile(
    rb"[^" + _WS + rb"/>]*+"                                  # the tag name
    rb"(?:[" + _WS + rb"/]++"                                 # separators
    rb"|[^" + _WS + rb"/>][^" + _WS + rb"/>=]*+"              # an attribute name
    rb"(?:[" + _WS + rb"]*+=[" + _WS + rb"]*+"                # = and a value
    rb"(?:\"[^\"]*+\"?|'[^']*+'?|[^" + _WS + rb">]*+))?+)*+")
_ATTRIBUTE = re.compile(
    rb"[" + _WS + rb"/]*+([^" + _WS + rb"/>][^" + _WS + rb"/>=]*+)"
    rb"(?:[" + _WS + rb"]*+=[" + _WS + rb"]*+(?:\"[^\"]*+\"?|'[^']*+'?|[^" + _WS + rb">]*+))?+")
_TAG_NAME = re.compile(rb"[^" + _WS + rb"/>]*+")
_COMMENT_END = re.compile(rb"--!?>")
_RAW_TEXT = {b"script", b"style", b"title", b"textarea", b"xmp", b"iframe", b"noembed",
             b"noframes", b"noscript", b"plaintext"}


def _cap_attributes(data: bytes, cap: int) -> tuple[bytes, list[tuple[int, int]]]:
    """The page with no element carrying more than `cap` attributes (the rest are cut).

    Returns the page and, for each element cut, its line and attribute count. Linear in
    the page: one regular-expression step per tag, comment or raw-text element.
    """
    pieces: list[bytes] = []
    cut: list[tuple[int, int]] = []
    kept_to = pos = 0
    n = len(data)
    counted_to, line = 0, 1  # lines are counted incrementally: many cut elements stay linear
    while True:
        m = _MARKUP.search(data, pos)
        if m is None:
            break
        start = m.start()
        token = m.group(0)
        if token == b"<!--":
            if data.startswith(b">", start + 4) or data.startswith(b"->", start + 4):
                pos = start + 4
                continue
            end = _COMMENT_END.search(data, start + 4)
            pos = end.end() if end else n
            continue
        if token in (b"<!", b"<?", b"</"):  # a bogus comment, up to the next >
            end = data.find(b">", start + 2)
            pos = end + 1 if end >= 0 else n
            continue
        body = _TAG_BODY.match(data, start + (1 if m.group(1) else 2))
        end = body.end()
        if m.group(1) and end - body.start() > cap:
            # The first "attribute" is the tag name itself; only a count is kept of the rest.
            count, keep_to = -1, None
            for count, attribute in enumerate(_ATTRIBUTE.finditer(data, body.start(), end)):
                if count == cap:
                    keep_to = attribute.end()
            if count > cap:
                pieces.append(data[kept_to:keep_to])
                kept_to = end
                line += data.count(b"\n", counted_to, start)
                counted_to = start
                cut.append((line, count))
        pos = end + 1
        if m.group(1):
            name = _TAG_NAME.match(data, start + 1).group(0).lower()
            if name == b"plaintext":
                break
            if name in _RAW_TEXT:
                close = re.compile(rb"</" + re.escape(name), re.I).search(data, pos)
                pos = close.start() if close else n
    if not cut:
        return data, cut
    pieces.append(data[kept_to:])
    return b"".join(pieces), cut


def _clip(value: str | None) -> str:
    if not value:
        return ""
    return collapse_ws(value[: _MAX_VALUE * 2])[:_MAX_VALUE]


class _Page:
    """Everything the extractor looks at, gathered in one pass over the document."""

    def __init__(self, html: str | bytes, limits: Limits = DEFAULT_LIMITS,
                 problems: list[str] | None = None):
        import lxml.etree
        import lxml.html

        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.title: str | None = None
        self.lang: str | None = None
        self.times: list[tuple[int, str]] = []
        self.jsonld: list[str] = []
        data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else bytes(html)
        encoding = "utf-8" if isinstance(html, str) else None
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: the tag scan below needs ASCII bytes
            data = data.decode("utf-16", "replace").encode("utf-8", "surrogatepass")
            encoding = "utf-8"
        if not data.strip():
            return
        data, cut = _cap_attributes(data, limits.html_attributes)
        if problems is not None and cut:
            line, count = cut[0]
            problems.append(f"line {line}: an element with {count:,} attributes; only the first "
                            f"{limits.html_attributes:,} are read (limit html_attributes)"
                            + (f"; the same for {len(cut) - 1:,} more elements" if len(cut) > 1 else ""))
        # libxml2 drops a text node over 10 MB whole: a run of text that long (a 20 MB
        # <title>) is cut first, so that its start is kept (values are clipped anyway).
        if len(data) > _MAX_TEXT_RUN:
            data = _LONG_TEXT.sub(lambda m: m.group(0)[:_MAX_TEXT_RUN], data)
        # Text is already decoded: say so, so that a <meta charset> cannot re-decode it.
        parser = _parser(encoding)
        try:
            root = lxml.html.document_fromstring(data, parser=parser)
        except (lxml.etree.ParserError, ValueError):
            return
        self.lang = _clip(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
        for el in root.iter("meta", "link", "title", "time", "script"):
            tag = el.tag
            if tag == "meta":
                content = el.get("content")
                if content is None:
                    continue
                for attr in ("name", "property", "itemprop"):
                    key = el.get(attr)
                    if key:
                        for k in key.split():
                            values = self.meta.setdefault(k.strip().lower(), [])
                            if len(values) < _MAX_VALUES_PER_KEY:
                                values.append(_clip(content))
            elif tag == "link":
                rel = (el.get("rel") or "").lower().split()
                if "canonical" in rel and self.canonical is None and el.get("href"):
                    self.canonical = _clip(el.get("href"))
            elif tag == "title":
                if self.title is None:
                    self.title = _clip(el.text_content())
            elif tag == "time":
                stamp = el.get("datetime")
                if stamp and len(self.times) < _MAX_VALUES_PER_KEY:
                    marks = " ".join(filter(None, (el.get("itemprop"), el.get("class"),
                                                   "pubdate" if el.get("pubdate") is not None else "")))
                    rank = 0 if re.search(r"datepublished|publish|pubdate", marks, re.I) else (
                        2 if re.search(r"modif|updat", marks, re.I) else 1)
                    self.times.append((rank, _clip(stamp)))
            elif tag == "script":
                kind = (el.get("type") or "").split(";")[0].strip().lower()
                if kind == "application/ld+json" and len(self.jsonld) < _MAX_JSONLD_BLOCKS:
                    text = el.text or ""
                    if len(text) <= _MAX_JSONLD_BYTES:
                        self.jsonld.append(text)

    def get(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    def all(self, *keys: str) -> list[str]:
        out: list[str] = []
        for key in keys:
            out.extend(v for v in self.meta.get(key, ()) if v)
        return out


# --------------------------------------------------------------------------- helpers


def _http_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if base:
        try:
            value = urljoin(base, value)
        except ValueError:
            return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None  # javascript:, data:, relative links without a base ...
    return value


def _split_people(value: str) -> list[str]:
    """'A and B', 'A; B', 'A, B, and C' -> names; 'Zissis, Carin' stays one name."""
    value = re.sub(r"^\s*by\s+", "", value, flags=re.I)
    parts = [p for p in re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", value) if p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # One comma between single words is an inverted name; more commas make a list.
        if len(pieces) > 2 or (len(pieces) == 2 and len(pieces[0].split()) > 1
                               and len(pieces[1].split()) > 1):
            out.extend(pieces)
        else:
            out.append(part.strip())
    return out


def _people(values: Iterable[str]) -> list[dict]:
    names = []
    for value in values:
        if _http_url(value, None):
            continue  # article:author is often a profile URL, not a name
        for person in _split_people(value):
            name = parse_name(person)
            if name:
                names.append(name)
    return names


def _strip_site(title: str | None, site: str | None) -> str | None:
    """'Dim Prospects | Council on Foreign Relations' -> 'Dim Prospects'."""
    if not title or not site:
        return title
    low, site_low = title.lower(), site.lower()
    for sep in _TITLE_SEPARATORS:
        if low.endswith(sep.lower() + site_low):
            return title[: len(title) - len(sep) - len(site)].strip() or title
        if low.startswith(site_low + sep.lower()):
            return title[len(site) + len(sep):].strip() or title
    return title


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-")
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", value):
        return language_code(value) if value.isalpha() else None
    return value


# --------------------------------------------------------------------------- JSON-LD


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return {t.lower().rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {x.lower().rsplit("/", 1)[-1] for x in t if isinstance(x, str)}
    return set()


def _jsonld_nodes(blocks: list[str]) -> list[dict]:
    """Top-level objects and `@graph` members, without walking arbitrarily deep."""
    nodes: list[dict] = []
    for text in blocks:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        stack = deque([data])
        while stack and len(nodes) < _MAX_JSONLD_NODES:
            cur = stack.popleft()
            if isinstance(cur, list):
                stack.extend(x for x in cur[:_MAX_JSONLD_NODES] if isinstance(x, (dict, list)))
            elif isinstance(cur, dict):
                nodes.append(cur)
                graph = cur.get("@graph")
                if isinstance(graph, list):
                    stack.extend(x for x in graph[:_MAX_JSONLD_NODES] if isinstance(x, dict))
    return nodes


def _ld_text(value: Any) -> str | None:
    if isinstance(value, list):
        for v in value:
            text = _ld_text(v)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return _ld_text(value.get("@value") or value.get("name"))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _clip(str(value)) or None
    return None


class _JsonLd:
    def __init__(self, blocks: list[str]):
        self.nodes = _jsonld_nodes(blocks)
        self.by_id = {n["@id"]: n for n in self.nodes if isinstance(n.get("@id"), str)}
        self.main = self._pick_main()

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self.by_id:
            return self.by_id[value["@id"]]
        return value

    def _pick_main(self) -> dict | None:
        best, best_rank = None, 3
        for node in self.nodes:
            types = _types(node)
            rank = 0 if types & _ARTICLE_TYPES else 1 if types & _PAGE_TYPES else 3
            if rank < best_rank:
                best, best_rank = node, rank
        return best

    def kind(self) -> set[str]:
        return _types(self.main) if self.main else set()

    def title(self) -> str | None:
        if not self.main:
            return None
        return _ld_text(self.main.get("headline")) or _ld_text(self.main.get("name"))

    def authors(self) -> list[dict]:
        if not self.main:
            return []
        raw = self.main.get("author") or self.main.get("creator")
        if raw is None:
            return []
        names: list[dict] = []
        for entry in raw if isinstance(raw, list) else [raw]:
            entry = self.resolve(entry)
            if isinstance(entry, str):
                names.extend(_people([entry]))
            elif isinstance(entry, dict):
                if _types(entry) & _ORG_TYPES:
                    text = _ld_text(entry.get("name"))
                    if text:
                        names.append({"literal": text})
                    continue
                family, given = _ld_text(entry.get("familyName")), _ld_text(entry.get("givenName"))
                if family:
                    names.append({"family": family, **({"given": given} if given else {})})
                else:
                    names.extend(_people([t for t in [_ld_text(entry.get("name"))] if t]))
        return names

    def date(self) -> str | None:
        if not self.main:
            return None
        return _ld_text(self.main.get("datePublished")) or _ld_text(self.main.get("dateCreated"))

    def site(self) -> str | None:
        if not self.main:
            return None
        for key in ("publisher", "isPartOf", "sourceOrganization"):
            value = self.resolve(self.main.get(key))
            if isinstance(value, list):
                value = self.resolve(value[0]) if value else None
            text = _ld_text(value)
            if text:
                return text
        for node in self.nodes:  # a WebSite node elsewhere in the graph
            if "website" in _types(node):
                text = _ld_text(node.get("name"))
                if text:
                    return text
        return None

    def url(self) -> str | None:
        if not self.main:
            return None
        for key in ("url", "mainEntityOfPage"):
            value = self.resolve(self.main.get(key))
            if isinstance(value, dict):
                # The WebPage node's url; else its @id without the "#webpage" fragment.
                value = value.get("url") or (value.get("@id") or "").split("#", 1)[0]
            if isinstance(value, list):
                value = next((v for v in value if isinstance(v, str)), None)
            if isinstance(value, str) and value:
                return value
        return None

    def language(self) -> str | None:
        return _ld_text(self.main.get("inLanguage")) if self.main else None


# --------------------------------------------------------------------------- extraction


def _first(*values):
    for value in values:
        if value:
            return value
    return None


def extract(html: str | bytes, url: str | None = None, *, limits: Limits = DEFAULT_LIMITS,
            problems: list[str] | None = None) -> dict:
    """The CSL-JSON item a page describes (type, title, author, issued, container-title, URL ...).

    See the module docstring for precedence; `url` is the page's address, used to
    resolve relative links and as the last fallback for `URL`. A limit reached (see
    `Limits`) is described in `problems`, when a list is given.
    """
    page = _Page(html, limits, problems)
    ld = _JsonLd(page.jsonld)
    base = _http_url(url, None)

    # Type.
    ld_kind = ld.kind()
    if page.get("citation_journal_title"):
        ctype = "article-journal"
    elif page.get("citation_conference_title", "citation_conference"):
        ctype = "paper-conference"
    elif page.get("citation_dissertation_institution"):
        ctype = "thesis"
    elif page.get("citation_technical_report_institution", "citation_technical_report_number") \
            or "report" in ld_kind:
        ctype = "report"
    elif page.get("citation_inbook_title", "citation_book_title"):
        ctype = "chapter"
    elif ld_kind & _BLOG_TYPES or (page.get("og:type") or "").lower() == "blog":
        ctype = "post-weblog"
    elif ld_kind & _NEWS_TYPES:
        ctype = "article-newspaper"
    else:
        ctype = "webpage"

    # Site name: it becomes the container of web items, the publisher of reports.
    site = _first(
        page.get("citation_publisher"),
        page.get("dc.publisher", "dcterms.publisher"),
        ld.site(),
        page.get("og:site_name"),
        page.get("application-name"),
    )

    title = _first(
        page.get("citation_title"),
        page.get("dc.title", "dcterms.title"),
        ld.title(),
        _strip_site(page.get("og:title"), site),
        _strip_site(page.get("twitter:title"), site),
        _strip_site(page.title, site),
    )

    authors = (
        _people(page.all("citation_author"))
        or _people(page.all("citation_authors"))
        or _people(page.all("dc.creator", "dcterms.creator"))
        or ld.authors()
        or _people(page.all("article:author"))
        or _people(page.all("author", "byl", "parsely-author", "sailthru.author"))
    )

    times = page.times
    date_candidates = (
        page.get("citation_publication_date", "citation_date", "citation_online_date",
                 "citation_cover_date"),
        page.get("dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
                 "dc.date.created"),
        ld.date(),
        page.get("article:published_time", "og:published_time", "og:article:published_time"),
        # Plain HTML: what is marked as the publication date, then generic date tags,
        # then any unmarked <time>; a <time> marked as an update never counts.
        page.get("datepublished"),
        next((stamp for rank, stamp in times if rank == 0), None),
        page.get("pubdate", "publish-date", "publication_date", "article.published",
                 "sailthru.date", "parsely-pub-date", "date"),
        next((stamp for rank, stamp in times if rank == 1), None),
    )
    # The first date that reads as one: an unreadable value does not hide a good one below.
    issued = next((d for d in (parse_date(c) for c in date_candidates if c) if d), None)

    dc_identifiers = page.all("dc.identifier", "dcterms.identifier")
    link = _first(
        _http_url(page.get("citation_public_url", "citation_abstract_html_url",
                           "citation_fulltext_html_url"), base),
        next((u for u in (_http_url(v, None) for v in dc_identifiers) if u and "doi.org/" not in u), None),
        _http_url(ld.url(), base),
        _http_url(page.get("og:url"), base),
        _http_url(page.canonical, base),
        base,
    )

    language = _first(
        _lang(page.get("citation_language")),
        _lang(page.get("dc.language", "dcterms.language")),
        _lang(ld.language()),
        _lang(page.get("og:locale")),
        _lang(page.lang),
    )

    item: dict[str, Any] = {"type": ctype}
    if title:
        item["title"] = title
    if authors:
        item["author"] = authors
    if issued:
        item["issued"] = issued

    if ctype == "article-journal":
        item["container-title"] = page.get("citation_journal_title")
        if page.get("citation_journal_abbrev"):
            item["container-title-short"] = page.get("citation_journal_abbrev")
        if page.get("citation_publisher"):
            item["publisher"] = page.get("citation_publisher")
    elif ctype == "paper-conference":
        item["container-title"] = page.get("citation_conference_title", "citation_conference")
        if page.get("citation_publisher"):
            item["publisher"] = page.get("citation_publisher")
    elif ctype == "chapter":
        item["container-title"] = page.get("citation_inbook_title", "citation_book_title")
        if page.get("citation_publisher"):
            item["publisher"] = page.get("citation_publisher")
    elif ctype == "thesis":
        item["publisher"] = page.get("citation_dissertation_institution")
    elif ctype == "report":
        publisher = page.get("citation_technical_report_institution") or site
        if publisher:
            item["publisher"] = publisher
        if page.get("citation_technical_report_number"):
            item["number"] = page.get("citation_technical_report_number")
    elif site:
        item["container-title"] = site

    if ctype in {"article-journal", "paper-conference", "chapter"}:
        for key, var in (("citation_volume", "volume"), ("citation_issue", "issue")):
            if page.get(key):
                item[var] = page.get(key)
        first, last = page.get("citation_firstpage"), page.get("citation_lastpage")
        if first:
            item["page"] = f"{first}-{last}" if last and last != first else first
    for key, var in (("citation_issn", "ISSN"), ("citation_isbn", "ISBN")):
        if page.get(key):
            item[var] = page.get(key)
    doi = _first(page.get("citation_doi"),
                 next((v for v in dc_identifiers if re.search(r"(?:^doi:|doi\.org/|^10\.\d)", v, re.I)), None))
    if doi:
        item["DOI"] = clean_doi(doi)
    if link:
        item["URL"] = link
    if language:
        item["language"] = language
    item = {k: v for k, v in item.items() if v}
    return {"id": make_id(item, set()), **item}
