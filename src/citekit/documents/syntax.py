"""Reading pandoc's citation syntax out of Markdown text.

The scanner finds, in one pass over the text, what the processor needs and nothing else:
citations (`[@a; see @b, p. 3]`, `[-@a]`, `@a`, `@a [p. 3]`), footnote references
(`[^x]`) and footnote definitions (`[^x]: ...`), and `::: {#refs}` divs. Code blocks
(fenced and indented), code spans, HTML comments, autolinks and link destinations are
skipped, so an `@` in them is never a citation. Everything else is left as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A key: letters, digits and `_`; inside it, punctuation that is followed by a letter or
# digit (`@smith:2004.a`); or anything but braces within `@{...}`.
_KEY = r"(?:\{(?P<bkey>[^{}\n]+)\}|(?P<key>[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*))"
KEY_RE = re.compile(r"(?P<dash>-?)@" + _KEY)
_INTEXT_RE = re.compile(r"@" + _KEY)
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_FOOTDEF_RE = re.compile(r"^ {0,3}\[\^(?P<label>[^\]\s]+)\]:[ \t]?")
_REFS_OPEN_RE = re.compile(r"^ {0,3}(?P<colons>:{3,})\s*\{[^}\n]*#refs\b[^}\n]*\}\s*$")
_DIV_OPEN_RE = re.compile(r"^ {0,3}(:{3,})\s*(?:\{[^}\n]*\}|[\w-]+)\s*(?::+\s*)?$")
_DIV_CLOSE_RE = re.compile(r"^ {0,3}(:{3,})\s*$")
_LIST_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass
class Cite:
    key: str
    prefix: str = ""
    suffix: str = ""
    locator: str | None = None
    label: str | None = None
    suppress_author: bool = False


@dataclass
class Citation:
    """One citation in the text: `[...]` (parenthetical) or `@key` (author in text)."""

    start: int
    end: int
    cites: list[Cite]
    in_text: bool = False  # `@key` or `@key [p. 3]`: the author stays in the sentence
    note: str | None = None  # label of the footnote definition it sits in


@dataclass
class FootnoteRef:
    start: int
    end: int
    label: str
    note: str | None = None  # a reference inside another footnote (pandoc ignores nesting)


@dataclass
class FootnoteDef:
    start: int  # the `[^x]:` marker
    marker_end: int
    end: int  # end of the definition's last line
    label: str


@dataclass
class Scan:
    citations: list[Citation] = field(default_factory=list)
    refs: list[FootnoteRef] = field(default_factory=list)
    defs: list[FootnoteDef] = field(default_factory=list)
    refs_div: tuple[int, int] | None = None  # the span of the first `::: {#refs}` div


def _lines(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _blocks(text: str, scan: Scan) -> list[tuple[int, int, str | None]]:
    """The spans of prose (start, end, footnote label or None); code blocks are left out."""
    spans: list[tuple[int, int, str | None]] = []
    fence: str | None = None
    prev_blank = True
    container = False  # the last unindented block was a list item or footnote: indents continue it
    current_def: FootnoteDef | None = None
    refs_open: tuple[int, int] | None = None  # (start, colons) of an open #refs div
    div_depth = 0
    for pos, line in _lines(text):
        body = line.rstrip("\r\n")
        blank = not body.strip()
        indent = len(body) - len(body.lstrip(" "))
        if fence is not None:
            if body.strip().startswith(fence[0] * len(fence)) and body.strip().strip(fence[0]) == "":
                fence = None
            prev_blank = False
            continue
        m = _FENCE_RE.match(body)
        if m:
            fence = m.group(2)
            if current_def is not None and indent < 4:
                current_def = None
            prev_blank = False
            continue
        if not blank and indent >= 4 and prev_blank and not container and current_def is None:
            continue  # an indented code block
        if current_def is not None:
            if blank:
                pass
            elif indent >= 4 or not prev_blank:
                current_def.end = pos + len(body)
            else:
                current_def = None
        if not blank and indent < 4:
            container = bool(_LIST_RE.match(body))
        d = _FOOTDEF_RE.match(body)
        if d:
            current_def = FootnoteDef(pos + d.start(), pos + d.end(), pos + len(body), d.group("label"))
            scan.defs.append(current_def)
            container = True
            spans.append((pos + d.end(), pos + len(line), current_def.label))
            prev_blank = False
            continue
        if current_def is None:
            r = _REFS_OPEN_RE.match(body)
            if r and scan.refs_div is None and refs_open is None:
                refs_open = (pos, len(r.group("colons")))
                div_depth = 0
                prev_blank = False
                continue
            if refs_open is not None:
                if _DIV_OPEN_RE.match(body) and not _DIV_CLOSE_RE.match(body):
                    div_depth += 1
                elif _DIV_CLOSE_RE.match(body):
                    if div_depth == 0:
                        scan.refs_div = (refs_open[0], pos + len(line))
                        refs_open = None
                    else:
                        div_depth -= 1
                prev_blank = blank
                continue  # what a #refs div holds is replaced by the bibliography
        spans.append((pos, pos + len(line), current_def.label if current_def is not None else None))
        prev_blank = blank
    return spans


def scan(text: str, label_words: dict[str, str] | None = None) -> Scan:
    """Find the citations, footnotes and the `#refs` div in Markdown `text`.

    `label_words` maps locator words (`p.`, `pp.`, `chap.`, lower case) to CSL labels."""
    words = label_words or {}
    # longest first, so that "pp." wins over "p."
    words = {w: words[w] for w in sorted(words, key=len, reverse=True)}
    result = Scan()
    spans = _blocks(text, result)
    # Adjacent prose lines form one run, so a citation may span a line break.
    runs: list[list] = []
    for start, end, note in spans:
        if runs and runs[-1][1] == start and runs[-1][2] == note:
            runs[-1][1] = end
        else:
            runs.append([start, end, note])
    for start, end, note in runs:
        _inline(text, start, end, note, result, words)
    return result


_CODE_RUN = re.compile(r"`+")


_SPECIAL = re.compile(r"[\\`<\]\[@]")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>")


_MAX_CITATION = 4000  # characters a bracketed citation may span: bounds the search for `]`


def _code_end(text: str, i: int, end: int, no_close: dict) -> int:
    """Where the code span opening at i ends (after its closing run), or after the opening
    run when none closes it. `no_close` remembers, per run length, from where no closing
    run exists, so that many unclosed backticks cost linear time."""
    run = _CODE_RUN.match(text, i, end).group()
    n = len(run)
    if no_close.get(n, end + 1) <= i:
        return i + n
    close = text.find(run, i + n, end)
    while close != -1 and text[close + n:close + n + 1] == "`":
        close = text.find(run, close + n + 1, end)
    if close == -1:
        no_close[n] = i
        return i + n
    return close + n


def _inline(text: str, start: int, end: int, note: str | None, out: Scan, words: dict) -> None:
    i = start
    no_close: dict = {}
    pairs = _bracket_pairs(text, start, end)
    while i < end:
        m = _SPECIAL.search(text, i, end)  # skip plain text in one step
        if m is None:
            return
        i = m.start()
        c = text[i]
        if c == "\\":
            i += 2  # an escaped character: `\@`, `\[` are never syntax
            continue
        if c == "`":
            i = _code_end(text, i, end, no_close)
            continue
        if c == "<":
            if text.startswith("<!--", i):
                close = text.find("-->", i + 4)
                i = close + 3 if close != -1 else end
                continue
            m = _AUTOLINK.match(text, i, end)
            if m:
                i = m.end()
                continue
        if c == "]" and text.startswith("](", i):
            close = text.find(")", i + 2, end)
            i = close + 1 if close != -1 else i + 2
            continue
        if c == "[":
            if text.startswith("[^", i):
                close = text.find("]", i, end)
                if close != -1 and not text.startswith("]:", close):
                    label = text[i + 2:close]
                    if label and not any(ch.isspace() for ch in label):
                        out.refs.append(FootnoteRef(i, close + 1, label, note))
                        i = close + 1
                        continue
            cit = _bracketed(text, i, pairs, note, words)
            if cit is not None:
                out.citations.append(cit)
                i = cit.end
                continue
        if c == "@" and (i == start or not (text[i - 1].isalnum() or text[i - 1] in "_@\\")):
            cit = _in_text(text, i, end, pairs, note, words)
            if cit is not None:
                out.citations.append(cit)
                i = cit.end
                continue
        i += 1


def _bracket_pairs(text: str, start: int, end: int) -> dict[int, int]:
    """Each `[` of the text's paragraphs → its matching `]`, in one pass (escapes and code
    spans skipped; a blank line closes whatever is open)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    no_close: dict = {}
    special = re.compile(r"[\\`\[\]\n]")
    j = start
    while j < end:
        m = special.search(text, j, end)
        if m is None:
            break
        j = m.start()
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "`":
            j = _code_end(text, j, end, no_close)
            continue
        if ch == "[":
            stack.append(j)
        elif ch == "]":
            if stack:
                opened = stack.pop()
                if j - opened <= _MAX_CITATION:
                    pairs[opened] = j
        else:  # a line break: a blank line next ends the paragraph
            nl = text.find("\n", j + 1, end)
            if stack and not text[j + 1:nl if nl != -1 else end].strip():
                stack.clear()
        j += 1
    return pairs


def _key_of(m: re.Match) -> str:
    return m.group("bkey") if m.group("bkey") is not None else m.group("key")


def _bracketed(text: str, i: int, pairs: dict, note: str | None, words: dict) -> Citation | None:
    close = pairs.get(i, -1)
    if close == -1:
        return None
    after = text[close + 1:close + 2]
    if after in ("(", "["):
        return None  # a link or a reference link, not a citation
    inner = text[i + 1:close]
    if "@" not in inner:
        return None
    cites = []
    for part in _split_semicolons(inner):
        m = _first_key(part)
        if m is None:
            return None  # every part of a citation names a key
        cite = Cite(_key_of(m), suppress_author=bool(m.group("dash")))
        cite.prefix = _clean(part[:m.start()])
        _locator_and_suffix(part[m.end():], cite, words)
        cites.append(cite)
    return Citation(i, close + 1, cites, False, note)


def _first_key(part: str) -> re.Match | None:
    for m in KEY_RE.finditer(part):
        before = part[m.start() - 1] if m.start() > 0 else " "
        if m.group("dash") or not (before.isalnum() or before in "_\\"):
            if m.group("dash") and m.start() > 0 and not part[m.start() - 1].isspace():
                continue
            return m
    return None


def _split_semicolons(inner: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in inner:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _in_text(text: str, i: int, end: int, pairs: dict, note: str | None, words: dict) -> Citation | None:
    m = _INTEXT_RE.match(text, i, end)
    if m is None:
        return None
    cite = Cite(_key_of(m))
    stop = m.end()
    extra: list[Cite] = []
    b = re.compile(r"[ \t]?\[").match(text, stop, end)
    if b:
        close = pairs.get(b.end() - 1, -1)
        if close != -1 and text[close + 1:close + 2] not in ("(", "["):
            inner = text[b.end():close]
            parts = _split_semicolons(inner)
            if _first_key(parts[0]) is None:
                _locator_and_suffix(parts[0], cite, words, bare=True)
                for part in parts[1:]:
                    k = _first_key(part)
                    if k is None:
                        break
                    more = Cite(_key_of(k), suppress_author=bool(k.group("dash")), prefix=_clean(part[:k.start()]))
                    _locator_and_suffix(part[k.end():], more, words)
                    extra.append(more)
                else:
                    stop = close + 1
                if stop != close + 1:
                    cite.locator = cite.label = None
                    cite.suffix = ""
                    extra = []
    return Citation(i, stop, [cite, *extra], True, note)


# --------------------------------------------------------------------------- locators

# Label names CSL knows for locators; the words that stand for them come from the locale.
LOCATOR_LABELS = ("act", "appendix", "article-locator", "book", "canon", "chapter", "column", "elocation",
                  "equation", "figure", "folio", "issue", "line", "note", "opus", "page", "paragraph", "part",
                  "rule", "scene", "section", "sub-verbo", "supplement", "table", "timestamp", "title-locator",
                  "verse", "volume")

_LOC_ITEM = r"(?:[A-Za-z]{0,3}\d[\w.:]*|[ivxlcdmIVXLCDM]+\b)"
_LOCATOR_RE = re.compile(_LOC_ITEM + r"(?:\s*(?:[-–—,&]|\band\b)\s*" + _LOC_ITEM + r")*")


def _locator_and_suffix(rest: str, cite: Cite, words: dict, bare: bool = False) -> None:
    """Split what follows a key into a locator (with its label) and a suffix, as pandoc does:
    `, p. 33` or `, 33` (a page) or `, {iv, A}` (taken as it is); the rest is the suffix."""
    s = rest
    m = re.match(r"\s*,\s*", s) if not bare else re.match(r"\s*", s)
    if m is None or (not bare and not m.group()):
        cite.suffix = _clean_suffix(rest)
        return
    body = s[m.end():]
    label, after_label = None, body
    lower = body.lower()
    for word in words:  # longest first (see scan)
        if lower.startswith(word) and (len(body) == len(word) or not body[len(word)].isalpha()
                                       or word.endswith(".")):
            label, after_label = words[word], body[len(word):].lstrip()
            break
    if body.startswith("{"):  # a locator taken as it is (pandoc: only right after the comma)
        close = body.find("}")
        if close != -1:
            cite.locator = body[1:close]
            cite.label = "page"
            cite.suffix = _clean_suffix(body[close + 1:])
            return
    lm = _LOCATOR_RE.match(after_label)
    if lm and (label is not None or lm.group()):
        cite.locator = lm.group().strip()
        cite.label = label or "page"
        cite.suffix = _clean_suffix(after_label[lm.end():])
        return
    cite.suffix = _clean_suffix(rest if not bare else body)


def _clean_suffix(s: str) -> str:
    s = re.sub(r"\s+", " ", s)
    return s.rstrip()
