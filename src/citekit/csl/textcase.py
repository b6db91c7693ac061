"""text-case: lowercase, uppercase, capitalize-first/-all, sentence and title case.

Works on a rich-text tree in place, across its Text nodes (a word may span
formatting), and leaves `nocase` spans alone.
"""

from __future__ import annotations

import re

from .richtext import iter_texts

STOP_WORDS = frozenset(
    "a an and as at but by down for from in into nor of on onto or over so the till to up via with yet".split())

_WORD_RE = re.compile(r"[\w\u2019'’.-]+", re.UNICODE)


def is_english(lang: str | None) -> bool:
    return not lang or lang.lower().startswith("en")


def apply_text_case(node, case: str | None, lang: str | None = None) -> None:
    if not case or node is None:
        return
    if case == "title" and not is_english(lang):
        return
    texts = iter_texts(node)
    if not texts:
        return
    full = "".join(t.text for t, _ in texts)
    protected = []
    for t, nocase in texts:
        protected.extend([nocase] * len(t.text))
    chars = list(full)
    if case == "lowercase":
        _map(chars, protected, 0, len(chars), str.lower)
    elif case == "uppercase":
        _map(chars, protected, 0, len(chars), str.upper)
    elif case == "capitalize-first":
        m = _first_word(full, protected)
        if m is not None:
            _cap(chars, protected, m.start())
    elif case == "capitalize-all":
        for m in _WORD_RE.finditer(full):
            _cap(chars, protected, m.start())
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


def _map(chars, protected, a, b, fn):
    for i in range(a, b):
        if not protected[i]:
            chars[i] = fn(chars[i])


def _cap(chars, protected, i):
    if i < len(chars) and not protected[i]:
        chars[i] = chars[i].upper()


def _first_word(full, protected):
    for m in _WORD_RE.finditer(full):
        return m
    return None


def _sentence(full, chars, protected):
    letters = [c for c, p in zip(full, protected) if c.isalpha() and not p]
    all_upper = letters and all(c.isupper() for c in letters)
    first = True
    for m in _WORD_RE.finditer(full):
        word = m.group(0)
        if first:
            if all_upper:
                _map(chars, protected, m.start() + 1, m.end(), str.lower)
            _cap(chars, protected, m.start())
            first = False
        elif all_upper:
            _map(chars, protected, m.start(), m.end(), str.lower)


def _title(full, chars, protected):
    letters = [c for c, p in zip(full, protected) if c.isalpha() and not p]
    all_upper = bool(letters) and all(c.isupper() for c in letters)
    words = list(_WORD_RE.finditer(full))
    for idx, m in enumerate(words):
        word = m.group(0)
        a, b = m.start(), m.end()
        if all(protected[a:b]):
            continue
        before = full[:a].rstrip()
        after_colon = before.endswith((":", "?", "!")) or before.endswith(("—", "–")) and False
        is_first = idx == 0 or after_colon
        is_last = idx == len(words) - 1
        lw = word.lower()
        if all_upper:
            _map(chars, protected, a + 1, b, str.lower)
            word_now = "".join(chars[a:b])
        else:
            word_now = word
        if lw in STOP_WORDS and not is_first and not is_last:
            if word_now == word_now.lower() or all_upper or word_now[:1].isupper() and word_now[1:] == word_now[1:].lower():
                _map(chars, protected, a, b, str.lower)
            continue
        # mixed-case words (iPhone) keep their case; lowercase words get a capital
        if word_now == word_now.lower() or all_upper:
            _cap(chars, protected, a)
            # hyphenated parts are words of their own
            for j in range(a, b - 1):
                if full[j] == "-" and not full[j + 1:b].lower().split("-")[0] in STOP_WORDS:
                    _cap(chars, protected, j + 1)
