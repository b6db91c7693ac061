"""text-case: lowercase, uppercase, capitalize-first/-all, sentence and title case.

Works on a rich-text tree in place, across its Text nodes (a word may span
formatting), and leaves `nocase` spans alone. Memory goes by the piece and the word,
never by the character of the whole text.
"""

from __future__ import annotations

import re
import sys

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
    """any_language: title case applies whatever lang is (text that is not the item's).

    Memory goes by the piece, not by the character: a macro's output under text-case may run
    to a million characters. The cases that read across pieces (a word may span formatting)
    read one string of the whole text and yield their changes in order, which `_write` puts
    into the pieces as they come."""
    if not case or node is None:
        return
    if case == "title" and not any_language and not is_english(lang):
        return
    texts = iter_texts(node, skip_verbatim=True)
    if not texts:
        return
    # (Turkish and Azeri dotted and dotless i, as the platform's toLocaleUpperCase and
    # toLocaleLowerCase give them to citeproc-js for the item's language, else the style's)
    turkic = bool(lang) and lang[:2].lower() in ("tr", "az")
    if case == "lowercase" or (case == "uppercase" and not (lang and lang.lower()[:2] == "el")):
        # no context across pieces: each piece alone
        fn = (_turkic_lower if turkic else _lower) if case == "lowercase" else (
            _turkic_upper if turkic else _upper)
        for t, nocase in texts:
            if not nocase:
                t.text = fn(t.text)
        return
    if len(texts) == 1:  # (nearly every title)
        t, nocase = texts[0]
        if nocase:
            return
        full = t.text
    else:
        if all(nocase for _, nocase in texts):
            return
        full = "".join([t.text for t, _ in texts])
    if case == "uppercase":  # Greek, whose capitals drop the accents
        edits = _greek_upper(full)
    elif case == "capitalize-first":
        edits = _capitalize_first(full, turkic)
    elif case == "capitalize-all":
        edits = _capitalize_all(full, turkic)
    elif case == "sentence":
        edits = _sentence(full)
    elif case == "title":
        edits = _title(full)
    else:
        return
    _write(texts, full, edits)


_END = sys.maxsize


class _Joined:
    """A changed text as its kept and changed parts, joined every 256 parts so that a
    long text with many changes never holds a small string per change at once."""

    __slots__ = ("parts", "blocks")

    def __init__(self):
        self.parts = []
        self.blocks = None

    def add(self, kept: str, changed: str) -> None:
        parts = self.parts
        parts.append(kept)
        parts.append(changed)
        if len(parts) >= 256:
            if self.blocks is None:
                self.blocks = []
            self.blocks.append("".join(parts))
            parts.clear()

    def text(self, rest: str) -> str:
        self.parts.append(rest)
        if self.blocks is None:
            return "".join(self.parts)
        self.blocks.append("".join(self.parts))
        return "".join(self.blocks)


def _write(texts, full, edits) -> None:
    """Put the changes into the pieces. Each change is (start, end, fn), in order and not
    overlapping: fn maps full[start:end] character for character (so it maps any part of
    it alike), or is a string of the same length that replaces it character for character.
    Pieces inside nocase keep their text."""
    if len(texts) == 1:  # one piece (not nocase): the changes go straight in
        joined = _Joined()
        cur = 0
        for a, b, fn in edits:
            seg = full[a:b]
            new = fn(seg) if fn.__class__ is not str else fn
            if new != seg:
                joined.add(full[cur:a], new)
                cur = b
        if cur:
            texts[0][0].text = joined.text(full[cur:])
        return
    a, b, fn = next(edits, (_END, _END, None))
    if a == _END:
        return
    pos = 0
    for t, nocase in texts:
        text = t.text
        s = pos
        e = pos = s + len(text)
        if a >= e:
            continue
        joined = _Joined()
        cur = 0  # text[:cur] is in joined
        while a < e:
            if not nocase:
                i = a - s if a > s else 0
                j = b - s if b < e else e - s
                seg = text[i:j]
                new = fn(seg) if fn.__class__ is not str else fn[i + s - a:j + s - a]
                if new != seg:
                    joined.add(text[cur:i], new)
                    cur = j
            if b > e:  # the change goes on into the next piece
                break
            a, b, fn = next(edits, (_END, _END, None))
        if cur:
            t.text = joined.text(text[cur:])
        if a == _END:
            return


# Lower and upper case of a piece, as its characters map one by one (as citeproc-js maps
# them): str.upper maps each character alone, str.lower too but for a capital sigma, which
# becomes a final sigma at the end of a word ("ΟΔΟΣ" -> "οδος", one by one "οδοσ").
# A long piece goes a slice at a time, which maps alike: CPython's case mapping of a string
# that is not ASCII holds 12 bytes a character while it works.
_SLICE = 1 << 16


def _sliced(fn, s):
    return "".join([fn(s[k:k + _SLICE]) for k in range(0, len(s), _SLICE)])


def _lower(s):
    return s.replace("Σ", "σ").lower() if len(s) <= _SLICE else _sliced(_lower, s)


def _upper(s):
    return s.upper() if len(s) <= _SLICE else _sliced(str.upper, s)


def _turkic_upper(s):
    return s.replace("i", "İ").upper() if len(s) <= _SLICE else _sliced(_turkic_upper, s)


def _turkic_lower(s):
    if len(s) > _SLICE:
        return _sliced(_turkic_lower, s)
    return s.replace("I", "ı").replace("İ", "i").replace("Σ", "σ").lower()


def _lower_to_compare(s):
    """s.lower(), or for a long s a lower case that differs from it at most in a final
    sigma: the same for telling whether s is all lower case (no character of it changes)."""
    return s.lower() if len(s) <= _SLICE else _sliced(str.lower, s)


def _greek_upper(full):
    """Greek capitals drop the accents (tonos) and keep a diaeresis where the accent
    told two vowels apart ("άι" -> "ΑΪ"): ICU's rules for Greek, which citeproc-js gets
    from the platform's toLocaleUpperCase."""
    import icu  # PyICU (pyicu-wheels), a dependency already for collation

    greek = icu.Locale("el")

    def by_letter(s):  # (in slices: a word may be long)
        return "".join(["".join([str(icu.UnicodeString(c).toUpper(greek)) for c in s[k:k + 1024]])
                        for k in range(0, len(s), 1024)])

    for m in _SPACE_WORD_RE.finditer(full):
        a, b = m.span()
        upper = str(icu.UnicodeString(m.group(0)).toUpper(greek))
        # letter for letter; else (a letter became two: iota subscript) letter by letter
        yield a, b, upper if len(upper) == b - a else by_letter


# citeproc-js's words for capitalization end at spaces, quotes, brackets and -–—/.,;?!:
_JS_WORD_CHAR = r"[^\s\-–—/.,;?!:\[\]()'\"‘’“”]"
_JS_WORD_RE = re.compile(_JS_WORD_CHAR + "*")


def _all_lower(full, i):
    """Is the word at i all lower case? capitalize-first and -all leave a word that has a
    capital alone, as citeproc-js does ("arXiv", "iPhone")."""
    word = _JS_WORD_RE.match(full, i).group(0)
    return word == _lower_to_compare(word)


def _capitalize_first(full, turkic):
    m = _WORD_RE.search(full)
    if m is not None and _all_lower(full, m.start()):
        i = m.start()
        yield i, i + 1, _turkic_upper if turkic else str.upper


def _capitalize_all(full, turkic):
    upper = _turkic_upper if turkic else str.upper
    # Several words may start within one citeproc-js word ("a+b+c"), each reading it to its
    # end: its last capital, found once, answers them all (not a read of the rest each time).
    run_start = run_end = last_capital = -1
    for m in _WORD_RE.finditer(full):
        i = m.start()
        if i >= run_end:
            word = _JS_WORD_RE.match(full, i).group()
            run_end = i + len(word)
            if word != (word.lower() if len(word) <= _SLICE else _lower_to_compare(word)):
                run_start = i
                last_capital = None  # (not sought until another word starts in this one)
                continue
            last_capital = -1
        else:
            if last_capital is None:
                last_capital = run_start + _last_capital(full[run_start:run_end])
            if i <= last_capital:
                continue
        yield i, i + 1, upper


def _last_capital(word):
    # (a word is all lower case when none of its characters changes under lower case)
    for k in range(len(word) - 1, -1, -1):
        c = word[k]
        if c.lower() != c:
            return k
    return -1


def _sentence(full):
    # As citeproc-js: the first word takes a capital and keeps its other letters
    # ("PhD", "ABC"), every later word is lower case (nocase spans kept).
    m = _WORD_RE.search(full)
    if m is None:
        yield 0, len(full), _lower
        return
    i = m.start()
    end = full.find(" ", i)
    if i:
        yield 0, i, _lower
    yield i, i + 1, str.upper
    if end >= 0:
        yield end, len(full), _lower


_SPACE_WORD_RE = re.compile(r"\S+")
_LEAD_RE = re.compile(r"[\"“‘'(\[¿¡]*")
_COMPOUND_RE = re.compile(r"[-/–—]")


def _is_latin_letter(ch: str) -> bool:
    return ch.isalpha() and (ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)


def _title(full):
    """Title case: lower-case words get a capital, stop words stay lower case except
    first, last and after a colon or sentence end; words with capitals keep them."""
    words = _SPACE_WORD_RE.finditer(full)
    m = next(words, None)
    before = None  # the last character of the word before
    while m is not None:
        word = m.group(0)
        a = m.start()
        m = next(words, None)  # (one word ahead: is this one the last?)
        # the text before this word ends where the previous word ends
        # (a colon, "?" or "!" starts a new phrase; a period does not: "U.S. and", "V. for")
        is_first = before is None or before in ":?!"
        before = word[-1]
        lead = _LEAD_RE.match(word).end()
        if lead == len(word) or not word[lead].isalpha():
            continue  # "07-x", "(1)": leave words that do not start with a letter
        is_last = m is None
        # compounds ("self-esteem", "cat/mouse", "a–b"): each part is a word of its own;
        # a stop word is kept lower case only when it is not the compound's first part
        body = word[lead:] if lead else word
        parts = ((0, body, ""),) if _COMPOUND_RE.search(body) is None else _compound_parts(body)
        for idx_part, (offset, part, sep) in enumerate(parts):
            core = part.rstrip(".,;:!?)]\"”’'")
            if not core or not _is_latin_letter(core[0]):
                continue
            pa = a + lead + offset
            low = core.lower() if len(core) <= _SLICE else _lower_to_compare(core)
            # (the first word's first part, the last word's last part, a compound's first part)
            exempt = (is_first and idx_part == 0) or (is_last and sep == "") or (idx_part == 0 and sep != "")
            if (low in STOP_WORDS or _dotted_stop_word(low)) and not exempt:
                # (lower case: a stop word not yet so, as "Of" in "State-Of")
                if core != low and core[0].isupper() and core[1:] == core[1:].lower() and idx_part > 0:
                    yield pa, pa + len(core), _lower
                continue
            if len(core) == 1 and not (is_first and idx_part == 0) and sep != "-":
                continue  # citeproc-js leaves a lone letter as written ("vitamin c"), not "x-ray"
            if core == low:
                yield pa, pa + 1, str.upper


def _compound_parts(body):
    """(offset, part, the separator after it or "") for each part of a compound, as they
    come (a word may be long)."""
    start = 0
    for m in _COMPOUND_RE.finditer(body):
        yield start, body[start:m.start()], m.group()
        start = m.end()
    yield start, body[start:], ""


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
