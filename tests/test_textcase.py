"""text-case (citekit.csl.textcase): the engine against a frozen copy of its earlier,
whole-text implementation, and against hand-checked expectations.

The engine applies the context-dependent cases (capitalize-first/-all, sentence, title,
Greek uppercase) piece by piece, so as not to hold one Python object per character of a
long text. `_reference_apply` below is the implementation it replaced, kept only here as
an oracle: the engine must give byte-identical text on every input. (A deliberate change
of behaviour changes both.)
"""

from __future__ import annotations

import copy
import random
import re
import sys

import pytest

from citekit.csl.richtext import Prefix, Span, Suffix, Text, Value, iter_texts
from citekit.csl.textcase import STOP_WORDS, apply_text_case, is_english

# --- the earlier implementation (an oracle; not used by the engine) -------------------------

_R_WORD_RE = re.compile(r"[\w\u2019'’.-]+", re.UNICODE)
_R_JS_WORD_RE = re.compile(r"[^\s\-–—/.,;?!:\[\]()'\"‘’“”]*")
_R_SPACE_WORD_RE = re.compile(r"\S+")
_R_LEAD_RE = re.compile(r"^[\"“‘'(\[¿¡]*")


def _reference_apply(node, case, lang=None, any_language=False):
    if not case or node is None:
        return
    if case == "title" and not any_language and not is_english(lang):
        return
    texts = iter_texts(node, skip_verbatim=True)
    if not texts:
        return
    turkic = bool(lang) and lang[:2].lower() in ("tr", "az")
    if case == "lowercase" or (case == "uppercase" and not (lang and lang.lower()[:2] == "el")):
        fn = (_r_turkic_lower if turkic else str.lower) if case == "lowercase" else (
            _r_turkic_upper if turkic else str.upper)
        for t, nocase in texts:
            if not nocase:
                text = t.text
                t.text = fn(text) if text.isascii() and not turkic else "".join([fn(c) for c in text])
        return
    full = "".join(t.text for t, _ in texts)
    protected = []
    for t, nocase in texts:
        protected.extend([nocase] * len(t.text))
    chars = list(full)
    if case == "uppercase":
        _r_greek_upper(full, chars, protected)
    elif case == "capitalize-first":
        m = _R_WORD_RE.search(full)
        if m is not None and _r_all_lower(full, m.start()):
            _r_cap(chars, protected, m.start(), turkic)
    elif case == "capitalize-all":
        for m in _R_WORD_RE.finditer(full):
            if _r_all_lower(full, m.start()):
                _r_cap(chars, protected, m.start(), turkic)
    elif case == "sentence":
        _r_sentence(full, chars, protected)
    elif case == "title":
        _r_title(full, chars, protected)
    pos = 0
    for t, _ in texts:
        n = len(t.text)
        t.text = "".join(chars[pos:pos + n])
        pos += n


def _r_greek_upper(full, chars, protected):
    import icu

    greek = icu.Locale("el")
    for m in _R_SPACE_WORD_RE.finditer(full):
        a, b = m.span()
        upper = str(icu.UnicodeString(m.group(0)).toUpper(greek))
        if len(upper) == b - a:
            for i, c in enumerate(upper, a):
                if not protected[i]:
                    chars[i] = c
        else:
            _r_map(chars, protected, a, b, lambda c: str(icu.UnicodeString(c).toUpper(greek)))


def _r_map(chars, protected, a, b, fn):
    for i in range(a, b):
        if not protected[i]:
            chars[i] = fn(chars[i])


def _r_cap(chars, protected, i, turkic=False):
    if i < len(chars) and not protected[i]:
        chars[i] = _r_turkic_upper(chars[i]) if turkic else chars[i].upper()


def _r_turkic_upper(c):
    return "İ" if c == "i" else c.upper()


def _r_turkic_lower(c):
    if c == "I":
        return "ı"
    return "i" if c == "İ" else c.lower()


def _r_all_lower(full, i):
    word = _R_JS_WORD_RE.match(full, i).group(0)
    return word == word.lower()


def _r_sentence(full, chars, protected):
    m = _R_WORD_RE.search(full)
    if m is None:
        _r_map(chars, protected, 0, len(chars), str.lower)
        return
    end = full.find(" ", m.start())
    end = len(full) if end < 0 else end
    _r_map(chars, protected, 0, m.start(), str.lower)
    _r_map(chars, protected, end, len(chars), str.lower)
    _r_cap(chars, protected, m.start())


def _r_is_latin_letter(ch):
    return ch.isalpha() and (ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)


def _r_dotted_stop_word(low):
    return (len(low) == 2 and low[0] == "v") or (len(low) == 3 and low[:2] == "vs")


def _r_title(full, chars, protected):
    words = list(_R_SPACE_WORD_RE.finditer(full))
    for idx, m in enumerate(words):
        a, b = m.start(), m.end()
        if all(protected[a:b]):
            continue
        lead = len(_R_LEAD_RE.match(m.group(0)).group(0))
        a += lead
        if a >= b or not full[a].isalpha():
            continue
        is_first = idx == 0 or words[idx - 1].group(0)[-1] in ":?!"
        is_last = idx == len(words) - 1
        parts = re.split(r"([-/–—])", full[a:b])
        n_parts = (len(parts) + 1) // 2
        pos = a
        for k in range(0, len(parts), 2):
            part = parts[k]
            pa = pos
            pos += len(part) + (len(parts[k + 1]) if k + 1 < len(parts) else 0)
            idx_part = k // 2
            core = part.rstrip(".,;:!?)]\"”’'")
            if not core or not _r_is_latin_letter(core[0]):
                continue
            low = core.lower()
            exempt = (is_first and idx_part == 0) or (is_last and idx_part == n_parts - 1) or \
                (idx_part == 0 and n_parts > 1)
            if (low in STOP_WORDS or _r_dotted_stop_word(low)) and not exempt:
                if core == low or (core[0].isupper() and core[1:] == core[1:].lower() and idx_part > 0):
                    _r_map(chars, protected, pa, pa + len(core), str.lower)
                continue
            if len(core) == 1 and not (is_first and idx_part == 0) and \
                    not (k + 1 < len(parts) and parts[k + 1] == "-"):
                continue
            if core == low:
                _r_cap(chars, protected, pa)


# --- random trees ----------------------------------------------------------------------------

CASES = ("title", "sentence", "capitalize-first", "capitalize-all", "lowercase", "uppercase", None, "",
         "no-such-case")
LANGS = (None, "", "en", "en-US", "EN-gb", "tr", "TR-tr", "az-Latn", "el", "el-GR", "de", "fr-FR")

# words that exercise each rule: stop words (and citeproc-js's dotted ones), capitals kept
# ("PhD", "arXiv"), compounds, lone letters, elisions, non-Latin letters, letters whose case
# mapping changes length (ß, ﬁ, İ, ŉ) or depends on context (Σ), Turkish i's, Greek accents
WORDS = (
    "the a an of and in on to for with from by as at but or nor so yet via von van de d' d al et "
    "vs. v. vs v v4 va vs2 vis-à-vis circa ca c "
    "study effect history science dna DNA PhD arXiv iPhone McDonald O'Brien l'histoire U.S. e.g. "
    "x-ray self-esteem cat/mouse a–b war—peace up-to-date non-state X-Ray Self-Esteem The-End "
    "vitamin x b Zotero ZOTERO it is what "
    "istanbul İzmir IŞIK ılık iç ION "
    "straße STRASSE ß ﬁnance ŉ ǆemal ǅemal ǲ "
    "λόγος Σοφία ΣΟΦΙΑΣ άι ᾳ ὁδός ΟΔΟΣ σοφός "
    "1984 2nd 07-x 3-d v2.0 Ⅻ ⅻ"
).split()
PUNCT = (":", "?", "!", ".", ",", ";", "“", "”", "‘", "’", "'", '"', "(", ")", "[", "]", "¿", "¡",
         "-", "–", "—", "/", "+", "…", "&", "*")
SPACES = (" ", " ", " ", " ", "  ", "\u00a0", "\t", "\n", "\u2009", "\u3000")


def _random_text(rng, n_tokens):
    out = []
    for _ in range(n_tokens):
        r = rng.random()
        if r < 0.6:
            w = rng.choice(WORDS)
            if rng.random() < 0.15:
                w = w.upper() if rng.random() < 0.5 else w.capitalize()
            out.append(w)
        elif r < 0.85:
            out.append(rng.choice(PUNCT))
        else:
            out.append(rng.choice(SPACES))
        if rng.random() < 0.55:
            out.append(rng.choice(SPACES))
    text = "".join(out)
    return text.strip() if rng.random() < 0.3 else text


def _random_tree(rng):
    text = _random_text(rng, rng.randint(0, 14))
    # cut anywhere, within words too, with empty pieces now and then
    cuts = sorted(rng.randint(0, len(text)) for _ in range(rng.randint(0, 6)))
    pieces, prev = [], 0
    for c in cuts + [len(text)]:
        pieces.append(text[prev:c])
        prev = c
    kinds = (Text, Text, Text, Prefix, Suffix, Value)
    nodes = [rng.choice(kinds)(p) for p in pieces]
    # group neighbours into spans: formatting, nocase, a field printed as typed (verbatim)
    while len(nodes) > 1 and rng.random() < 0.6:
        i = rng.randrange(len(nodes))
        j = rng.randint(i + 1, len(nodes))
        r = rng.random()
        span = Span(nodes[i:j], fmt=(("font-style", "italic"),) if r < 0.3 else (),
                    nocase=0.3 <= r < 0.55, role="verbatim" if 0.55 <= r < 0.62 else None)
        nodes[i:j] = [span]
    if len(nodes) == 1 and rng.random() < 0.5:
        return nodes[0]
    return Span(nodes) if rng.random() < 0.8 else nodes


def _all_texts(node):
    """Every Text node, verbatim spans included (text case must leave those alone)."""
    out = []

    def walk(n):
        if isinstance(n, Text):
            out.append((type(n).__name__, n.text))
        elif isinstance(n, Span):
            for c in n.children:
                walk(c)
        elif isinstance(n, list):
            for c in n:
                walk(c)
    walk(node)
    return out


def _check_same(tree, case, lang, any_language):
    ours, theirs = copy.deepcopy(tree), copy.deepcopy(tree)
    apply_text_case(ours, case, lang, any_language)
    _reference_apply(theirs, case, lang, any_language)
    assert _all_texts(ours) == _all_texts(theirs), (tree, case, lang, any_language)


@pytest.mark.parametrize("seed", range(8))
def test_same_text_as_the_whole_text_implementation_on_random_trees(seed):
    rng = random.Random(seed)
    for _ in range(700):
        tree = _random_tree(rng)
        _check_same(tree, rng.choice(CASES), rng.choice(LANGS), rng.random() < 0.2)


def test_same_text_on_the_real_shapes_of_titles():
    # one piece, as nearly every title comes; a formatted or nocase word within it
    rng = random.Random(99)
    for _ in range(2000):
        words = _random_text(rng, rng.randint(1, 12))
        for tree in (Text(words),
                     Span([Text("My "), Span([Text(words)], nocase=True), Text(" in a title")]),
                     Span([Text(words[:5]), Span([Text(words[5:9])], fmt=(("font-style", "italic"),)),
                           Text(words[9:])])):
            for case in ("title", "sentence", "capitalize-first", "capitalize-all", "uppercase"):
                _check_same(tree, case, rng.choice(("en", "tr", "el")), False)


def test_case_mappings_of_every_code_point_as_the_character_by_character_ones():
    # lower and upper case map a piece as they map its characters one by one (a final
    # sigma too, "ΑΣ" -> "ασ"), in Turkish and Azeri as well
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1)
                    if not 0xD800 <= c <= 0xDFFF and chr(c).lower() + chr(c).upper() != chr(c) * 2)
    chunks = [chars[i:i + 997] for i in range(0, len(chars), 997)]
    chunks += ["ΑΣ ΟΔΟΣ. ΣΑΣ Σ", "İIıi ΣΣ"]
    for case in ("lowercase", "uppercase", "sentence", "title", "capitalize-all"):
        for lang in ("en", "tr", "el"):
            for chunk in chunks:
                tree = Span([Text(chunk[:300]), Text(chunk[300:301]), Text(chunk[301:])])
                _check_same(tree, case, lang, True)


# --- hand-checked expectations, across the pieces of a formatted text -----------------------

def _pieces(*parts):
    """Text pieces; a (text,) tuple is a nocase span."""
    return Span([Span([Text(p[0])], nocase=True) if isinstance(p, tuple) else Text(p) for p in parts])


def _apply(case, *parts, lang="en"):
    node = _pieces(*parts)
    apply_text_case(node, case, lang)
    return [t.text for t, _ in iter_texts(node)]


@pytest.mark.parametrize("case, parts, expected", [
    # a word split between two formatted pieces is one word
    ("title", ("the hist", "ory of ", "science"), ["The Hist", "ory of ", "Science"]),
    ("title", ("a study o", "f the effect"), ["A Study o", "f the Effect"]),
    ("title", ("wh", "at it is ", "for"), ["Wh", "at It Is ", "For"]),  # last word: a capital
    # a nocase span keeps its text; the words around it still count it
    ("title", ("my ", ("small caps",), " in a title"), ["My ", "small caps", " in a Title"]),
    ("title", (("the",), " of the ", ("end",)), ["the", " of the ", "end"]),
    # after a colon, "?" or "!" a stop word is first again; not after a period
    ("title", ("war:", " a history"), ["War:", " A History"]),
    ("title", ("why? ", "an answer"), ["Why? ", "An Answer"]),
    ("title", ("U.S. and", " the world"), ["U.S. and", " the World"]),
    # quotes and brackets before a word; a word that does not start with a letter
    ("title", ("“the", " art” of it"), ["“The", " Art” of It"]),
    ("title", ("[1] the ", "history"), ["[1] the ", "History"]),
    # compounds, lone letters, citeproc-js's dotted stop words
    ("title", ("self-", "esteem and x-ray of vitamin c"), ["Self-", "Esteem and X-Ray of Vitamin c"]),
    ("title", ("gistemp v4 ", "data"), ["Gistemp v4 ", "Data"]),
    ("title", ("the PhD and arXiv"), ["The PhD and arXiv"]),
    # sentence: the first word keeps its capitals, the rest is lower case
    ("sentence", ("PhD th", "esis ON DNA"), ["PhD th", "esis on dna"]),
    ("sentence", ("“the ", "END”"), ["“The ", "end”"]),
    ("sentence", ("ON ", ("DNA",), " AND RNA"), ["ON ", "DNA", " and rna"]),  # "ON" as "ABC"
    ("sentence", ("?? ", "!!"), ["?? ", "!!"]),
    # capitalize-first: the first word, unless it has a capital; across pieces
    ("capitalize-first", ("‘", "ibid."), ["‘", "Ibid."]),
    ("capitalize-first", ("“", "arXiv paper"), ["“", "arXiv paper"]),
    ("capitalize-first", (("anon",), " work"), ["anon", " work"]),
    # capitalize-all: every word whose citeproc-js word is all lower case
    ("capitalize-all", ("hel", "lo wor", "ld"), ["Hel", "lo Wor", "ld"]),
    ("capitalize-all", ("an iPhone ", ("nocase",), " and"), ["An iPhone ", "nocase", " And"]),
    # words within one citeproc-js word ("+" does not end it): capitalized when the rest of
    # it has no capital (a titlecase letter, "ǅ", counts as one)
    ("capitalize-all", ("a+ǅemal b+", "c x+Y+z"), ["a+ǅemal B+", "C x+Y+Z"]),
])
def test_hand_checked_text_case_across_pieces(case, parts, expected):
    parts = parts if isinstance(parts, tuple) else (parts,)
    assert _apply(case, *parts) == expected
    node = _pieces(*parts)
    _reference_apply(node, case, "en")
    assert [t.text for t, _ in iter_texts(node)] == expected


def test_turkish_and_greek_across_pieces():
    assert _apply("capitalize-first", "i", "stanbul", lang="tr") == ["İ", "stanbul"]
    assert _apply("uppercase", "ά", "ι ", ("ό",), "δός", lang="el") == ["Α", "Ϊ ", "ό", "ΔΟΣ"]
    assert _apply("lowercase", "ΟΔΟΣ ", "ISIK", lang="tr") == ["οδοσ ", "ısık"]


def test_same_text_on_long_texts():
    # long pieces are case-mapped a slice at a time, long words read as they come: the
    # slices and parts meet where a final sigma, a Turkish i or a compound's hyphen may fall
    unit = "ΟΔΟΣ İIıi straße ǅemal ﬁ-x a-of-THE-Of/the—b vs. ᾳ άι: the "
    long_word = "-".join(["of", "The", "x", "Of", "ἀᾳ"] * 9000)
    for text in (unit * 4000, long_word, "Σ" * 70000 + "I" * 70000):
        for tree in (Text(text), Span([Text(text[:65535]), Text(text[65535:131073]),
                                       Span([Text(text[131073:140000])], nocase=True), Text(text[140000:])])):
            for case in ("lowercase", "uppercase", "sentence", "title", "capitalize-all", "capitalize-first"):
                for lang in ("en", "tr", "el"):
                    _check_same(tree, case, lang, True)
