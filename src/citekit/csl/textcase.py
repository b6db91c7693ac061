"""text-case: lowercase, uppercase, capitalize-first/-all, sentence and title case.

Works on a rich-text tree in place, across its Text nodes (a word may span
formatting), and leaves `nocase` spans alone.
"""

from __future__ import annotations

import re

from . import lazy
from .richtext import _AFFIXES, Span, Text, iter_texts, plain_text

# The specification's stop words, and the prepositions and particles that
# citeproc-js also leaves in lower case (so that output matches Zotero's).
STOP_WORDS = frozenset(
    "a an and as at but by down for from in into nor of on onto or over so the till to up via with yet "
    "about above across afore after against along alongside amid amidst among amongst anenst apropos apud "
    "around aside astride athwart atop barring before behind below beneath beside besides between beyond "
    "circa despite d during except forenenst given inside lest like modulo near next notwithstanding off "
    "out per plus pro qua sans since than through thru throughout thruout toward towards under underneath "
    "until unto upon versus vs. v. vs v vis-à-vis within without de d' von van c ca al et".split())

_WORD_RE = re.compile(r"[\w\u2019'’.-]+", re.UNICODE)


def is_english(lang: str | None) -> bool:
    return not lang or lang.lower().startswith("en")


def apply_text_case(node, case: str | None, lang: str | None = None, any_language: bool = False) -> None:
    """any_language: title case applies whatever lang is (text that is not the item's)."""
    if not case or node is None:
        return
    if case == "title" and not any_language and not is_english(lang):
        return
    texts = iter_texts(node, skip_verbatim=True)
    if not texts:
        return
    turkic = bool(lang) and lang[:2].lower() in ("tr", "az")
    if case == "lowercase" or (case == "uppercase" and not (lang and lang.lower()[:2] == "el")):
        # a character at a time, and a piece at a time: no context across pieces, so no
        # list of every character of a text that may run to hundreds of thousands
        fn = (_turkic_lower if turkic else str.lower) if case == "lowercase" else (
            _turkic_upper if turkic else str.upper)
        for t, nocase in texts:
            if not nocase:
                text = t.text
                # (a whole ASCII string maps as its characters do; others, such as a
                # final sigma, may not)
                t.text = fn(text) if text.isascii() and not turkic else "".join([fn(c) for c in text])
        return
    full = "".join(t.text for t, _ in texts)
    protected = []
    for t, nocase in texts:
        protected.extend([nocase] * len(t.text))
    chars = list(full)
    # (Turkish and Azeri dotted and dotless i, as the platform's toLocaleUpperCase and
    # toLocaleLowerCase give them to citeproc-js for the item's language, else the style's)
    if case == "uppercase":  # Greek, whose capitals drop the accents
        _greek_upper(full, chars, protected)
    elif case == "capitalize-first":
        m = _first_word(full, protected)
        if m is not None and _all_lower(full, m.start()):
            _cap(chars, protected, m.start(), turkic)
    elif case == "capitalize-all":
        for m in _WORD_RE.finditer(full):
            if _all_lower(full, m.start()):
                _cap(chars, protected, m.start(), turkic)
    elif case == "sentence":
        _sentence(full, chars, protected)
    elif case == "title":
        _title(full, chars, protected)
    # write back
    pos = 0
    for t, _ in texts:
        n = len(t.text)
        t.text = "".join(chars[pos:pos + n])
        pos += n


def _greek_upper(full, chars, protected):
    """Greek capitals drop the accents (tonos) and keep a diaeresis where the accent
    told two vowels apart ("άι" -> "ΑΪ"): ICU's rules for Greek, which citeproc-js gets
    from the platform's toLocaleUpperCase."""
    import icu  # PyICU (pyicu-wheels), a dependency already for collation

    greek = icu.Locale("el")
    for m in _SPACE_WORD_RE.finditer(full):
        a, b = m.span()
        upper = str(icu.UnicodeString(m.group(0)).toUpper(greek))
        if len(upper) == b - a:
            for i, c in enumerate(upper, a):
                if not protected[i]:
                    chars[i] = c
        else:  # a letter became two (iota subscript): letter by letter in this word
            _map(chars, protected, a, b, lambda c: str(icu.UnicodeString(c).toUpper(greek)))


def _map(chars, protected, a, b, fn):
    for i in range(a, b):
        if not protected[i]:
            chars[i] = fn(chars[i])


def _cap(chars, protected, i, turkic=False):
    if i < len(chars) and not protected[i]:
        chars[i] = _turkic_upper(chars[i]) if turkic else chars[i].upper()


def _turkic_upper(c):
    return "İ" if c == "i" else c.upper()


def _turkic_lower(c):
    if c == "I":
        return "ı"
    return "i" if c == "İ" else c.lower()


# citeproc-js's words for capitalization end at spaces, quotes, brackets and -–—/.,;?!:
_JS_WORD_CHAR = r"[^\s\-–—/.,;?!:\[\]()'\"‘’“”]"
_JS_WORD_RE = re.compile(_JS_WORD_CHAR + "*")


def _all_lower(full, i):
    """Is the word at i all lower case? capitalize-first and -all leave a word that has a
    capital alone, as citeproc-js does ("arXiv", "iPhone")."""
    word = _JS_WORD_RE.match(full, i).group(0)
    return word == word.lower()


def _first_word(full, protected):
    for m in _WORD_RE.finditer(full):
        return m
    return None


def _sentence(full, chars, protected):
    # As citeproc-js: the first word takes a capital and keeps its other letters
    # ("PhD", "ABC"), every later word is lower case (nocase spans kept).
    m = _first_word(full, protected)
    if m is None:
        _map(chars, protected, 0, len(chars), str.lower)
        return
    end = full.find(" ", m.start())
    end = len(full) if end < 0 else end
    _map(chars, protected, 0, m.start(), str.lower)
    _map(chars, protected, end, len(chars), str.lower)
    _cap(chars, protected, m.start())


_SPACE_WORD_RE = re.compile(r"\S+")
_LEAD_RE = re.compile(r"^[\"“‘'(\[¿¡]*")


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and (ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)


def _title(full, chars, protected):
    """Title case: lower-case words get a capital, stop words stay lower case except
    first, last and after a colon or sentence end; words with capitals keep them."""
    words = list(_SPACE_WORD_RE.finditer(full))
    for idx, m in enumerate(words):
        a, b = m.start(), m.end()
        if all(protected[a:b]):
            continue
        lead = len(_LEAD_RE.match(m.group(0)).group(0))
        a += lead
        if a >= b or not full[a].isalpha():
            continue  # "07-x", "(1)": leave words that do not start with a letter
        # the text before this word ends where the previous word ends
        # (a colon, "?" or "!" starts a new phrase; a period does not: "U.S. and", "V. for")
        is_first = idx == 0 or words[idx - 1].group(0)[-1] in ":?!"
        is_last = idx == len(words) - 1
        # compounds ("self-esteem", "cat/mouse", "a–b"): each part is a word of its own;
        # a stop word is kept lower case only when it is not the compound's first part
        parts = re.split(r"([-/–—])", full[a:b])
        n_parts = (len(parts) + 1) // 2
        pos = a
        for k in range(0, len(parts), 2):
            part = parts[k]
            pa = pos
            pos += len(part) + (len(parts[k + 1]) if k + 1 < len(parts) else 0)
            idx_part = k // 2
            core = part.rstrip(".,;:!?)]\"”’'")
            if not core or not _is_latin_letter(core[0]):
                continue
            low = core.lower()
            exempt = (is_first and idx_part == 0) or (is_last and idx_part == n_parts - 1) or \
                (idx_part == 0 and n_parts > 1)
            if (low in STOP_WORDS or _dotted_stop_word(low)) and not exempt:
                if core == low or (core[0].isupper() and core[1:] == core[1:].lower() and idx_part > 0):
                    _map(chars, protected, pa, pa + len(core), str.lower)
                continue
            if len(core) == 1 and not (is_first and idx_part == 0) and \
                    not (k + 1 < len(parts) and parts[k + 1] == "-"):
                continue  # citeproc-js leaves a lone letter as written ("vitamin c"), not "x-ray"
            if core == low:
                _cap(chars, protected, pa)


def _dotted_stop_word(low: str) -> bool:
    """citeproc-js matches its stop words "v." and "vs." as patterns whose dot is any
    character: "v4" and "va" (a version, a label) stay lower case under title case, as
    Zotero prints "GISTEMP v4"; first and last words are still capitalized."""
    return (len(low) == 2 and low[0] == "v") or (len(low) == 3 and low[:2] == "vs")


_ALNUM_RE = re.compile(r"[^\W_]")


_NUMBER_ROLES = frozenset(("citation-number", "year-suffix"))
_JS_FIRST_WORD_RE = lazy.pattern(globals(), "_JS_FIRST_WORD_RE", _JS_WORD_CHAR + "+")


def capitalize_leading_term(node) -> bool:
    """A term that is the first thing printed (in a bibliography entry, or in a note
    that it opens) takes a capital, as citeproc-js gives it: "Anon.", "Ibid.". Affixes
    and delimiters do not count as printed ("see Note"), nor text without letters or digits.

    A citation number or year-suffix before the term does not count either: citeproc-js
    prints them as numbers, which leave the term first ("183. In The Cambridge…").

    Returns whether node prints anything but spaces (one walk serves both)."""
    printed = False

    def walk(children, in_term):
        nonlocal printed
        for n in children:
            if isinstance(n, Text):
                text = n.text
                if not text or text.isspace():
                    continue
                printed = True
                if isinstance(n, _AFFIXES) or _ALNUM_RE.search(text) is None:
                    continue
                if in_term:
                    # citeproc-js's first word, which ends at a period too ("o.V." → "O.V.")
                    m = _JS_FIRST_WORD_RE.search(text)
                    if m is not None and _all_lower(text, m.start()):
                        i = m.start()
                        n.text = text[:i] + text[i].upper() + text[i + 1:]
                return True
            if isinstance(n, Span):
                if n.role in _NUMBER_ROLES:
                    printed = printed or bool(plain_text(n).strip())
                    continue
                if walk(n.children, in_term or n.role == "term"):
                    return True
        return False
    walk(node if isinstance(node, list) else [node], False)
    return printed
