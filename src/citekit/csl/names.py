"""Names: <names>, <name>, <name-part>, <et-al>, <label> and <substitute>.

One personal name is built from its parts in the order CSL 1.0.2 gives for the
form, inversion and particle demotion; a name list adds et-al truncation, the
"and" term and its delimiters. Disambiguation widens lists (add-names) and given
names (add-givenname) through the cite's DisambigState.

Where the specification is silent the behaviour follows citeproc-js, the
reference implementation whose output the CSL test suite records.
"""

from __future__ import annotations

import re

from . import lazy
from .compiled import node_fn
from .conditions import evaluate_choose
from .richtext import DecoPrefix, DecoSuffix, GluedDelimiter, Prefix, Span, Suffix, Text, Value, is_empty, kept_normals, parse_markup, strip_periods
from .textcase import apply_text_case
from .variables import NAME_VARIABLES


def _int(v, default=None):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def name_options(ev, names_el, name_el, inherit=None) -> dict:
    """Inherited options (style, context) overlaid with the <names> and <name> elements.

    Cached on the <names> element; the dict also carries the <name> element and its
    given/family <name-part> children under private keys.
    """
    key = ("opts", ev.mode, id(name_el), id(inherit))
    cached = names_el.extra.get(key)
    if cached is not None:
        return cached
    o = {}
    for k, v in ev.name_opts.items():
        if k == "name-form":
            o["form"] = v
        elif k == "name-delimiter":
            o["delimiter"] = v
        else:
            o[k] = v
    if names_el.delimiter is not None:
        o["names-delimiter"] = names_el.delimiter
    given_el = family_el = None
    if name_el is not None:
        inherited_init = o.get("initialize")
        o.update(name_el.attrs)
        if inherited_init is not None and o.get("initialize") != "false":
            # initialize="true" on cs:name does not undo an inherited "false": citeproc-js
            # reads the attribute only when it is "false" (effective-altruism-wiki relies on it)
            o["initialize"] = inherited_init
        o["_name_el"] = name_el
        for c in name_el.children:
            if c.tag == "name-part":
                if c.get("name") == "given":
                    given_el = c
                elif c.get("name") == "family":
                    family_el = c
    o["_given_el"] = given_el
    o["_family_el"] = family_el
    o.setdefault("form", "long")
    rule = ev.opts.get("givenname-disambiguation-rule", "")
    o["_rule_initials"] = rule.endswith("-with-initials")
    names_el.extra[key] = o
    return o


# -- scripts -----------------------------------------------------------------------

# Scripts written with spaces between words and given names first: Latin, Greek,
# Cyrillic, Hebrew, Arabic, Thai. Names in other scripts (CJK...) are written family
# first without a space.
_ROMAN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0e00-\u0e7f"
_HAS_ROMAN_RE = re.compile(f"[0-9{_ROMAN}]")
_STARTS_ROMAN_RE = re.compile(f"[&{_ROMAN}]")


def is_romanesque(s: str) -> bool:
    return bool(_HAS_ROMAN_RE.search(s))


def _spaced_term(term: str) -> bool:
    """Whether an "and"/"et-al" term stands between spaces. Terms in scripts that
    attach them to the neighbouring name do not (CJK "等", and the Hebrew prefix
    conjunction vav, U+05D5)."""
    return bool(term) and term[0] != "\u05d5" and bool(_STARTS_ROMAN_RE.match(term))


def _romanesque_kind(name: dict, cite) -> int:
    """0: not romanesque (family then given, no space); 1: family then given with a
    space (romanesque given with a non-romanesque family, or a ja/zh item); 2: normal."""
    if not _HAS_ROMAN_RE.search(name["family"].replace('"', "")):
        given = name.get("given", "")
        return 1 if given and _STARTS_ROMAN_RE.match(given) else 0
    lang = cite.item.language if cite is not None else None
    if lang and lang[:2] in ("ja", "zh"):
        return 1
    return 2


# -- initials ------------------------------------------------------------------------

# Words of a given name are separated by spaces, hyphens and inline markup tags.
_GIVEN_SPLIT_RE = re.compile(
    r"((?:[-\s]*</?(?:i|b|sc|sub|sup|span)(?:\s[^>]*)?>[-\s]*)+|[-\s]+)")
_TAGS_RE = lazy.pattern(globals(), "_TAGS_RE", r"</?(?:i|b|sc|sub|sup|span)(?:\s[^>]*)?>")
_LEADING_TAGS_RE = re.compile(r"^(?:</?(?:i|b|sc|sub|sup|span)(?:\s[^>]*)?>)*")
_HYPHEN_SPACES_RE = re.compile(r"\s*-\s*")
_SPACES_RE = re.compile(r"\s+")
_ASCII_SPACES_RE = re.compile(r"[\t\n\v\f\r ]+")
_HYPHEN_LOWER_RE = re.compile(r"-(?=[a-z])")
_DOT_NO_SPACE_RE = re.compile(r"\.(?=[^\s])")
_DASH_LOWER_RE = re.compile(r"\u2013(?=[a-z])")


def _merge_tags(sep: str, terminator: str) -> str:
    """The terminator, keeping any markup tags of the separator it replaces."""
    tags = "".join(_TAGS_RE.findall(sep))
    if not tags:
        return terminator
    stripped = terminator.rstrip()
    return stripped + tags + terminator[len(stripped):]


def _split_given(given: str, hyphen: bool) -> tuple[list, list]:
    if not hyphen:
        given = given.replace("-", " ")
    given = _SPACES_RE.sub(" ", _HYPHEN_SPACES_RE.sub("-", given))
    # "Guo-ping": a hyphen before a lower-case letter joins one word
    given = _HYPHEN_LOWER_RE.sub("\u2013", given)
    # "M.E" → "M. E": periods separate initials
    given = _DOT_NO_SPACE_RE.sub(". ", given)
    parts = _GIVEN_SPLIT_RE.split(given)
    return parts[0::2], parts[1::2]


def _finish_given(words: list, seps: list) -> str:
    out = [words[0]]
    for s, w in zip(seps, words[1:]):
        out.append(s)
        out.append(w)
    s = "".join(out).strip()
    # no-break spaces of the terminator stay ("B.&#160;P."): citeproc-js collapses only
    # ASCII whitespace here
    s = _ASCII_SPACES_RE.sub(" ", _HYPHEN_SPACES_RE.sub("-", s))
    return _DASH_LOWER_RE.sub("-", s)


def initialize(given: str, terminator: str, hyphen: bool = True, normalize_only: bool = False) -> str:
    """Initials of a given name: 'John Robert' → 'J. R.', 'Jean-Paul' → 'J.-P.'.

    terminator is the style's initialize-with. Words that are already abbreviations
    ("Ph.", "Ts.") stay whole; lower-case words ("de") stay as they are. With
    normalize_only (initialize="false") only existing initials are re-punctuated.
    Inline markup tags are kept around the initials they enclosed.
    """
    if not given or given in ("Lord", "Lady"):
        return given
    key = (given, terminator, hyphen, normalize_only)
    done = _INITIALS_CACHE.get(key)
    if done is not None:
        return done
    if not _STARTS_ROMAN_RE.match(_LEADING_TAGS_RE.sub("", given)):
        done = given
    else:
        words, seps = _split_given(given, hyphen)
        if normalize_only:
            _normalize_words(words, seps, terminator)
        else:
            _initialize_words(words, seps, terminator)
        done = _finish_given(words, seps)
    if len(_INITIALS_CACHE) > 20000:
        _INITIALS_CACHE.clear()
    _INITIALS_CACHE[key] = done
    return done


# The same given names recur (sort keys, citations and bibliography, repeated authors).
_INITIALS_CACHE: dict = {}


def _initialize_words(words: list, seps: list, terminator: str) -> None:
    last = len(words) - 1
    for i, w in enumerate(words):
        if not w:
            continue
        first = w[0]
        if first.isalpha() and not first.islower():
            j = 1
            while j < len(w) and w[j].isalpha():
                j += 1
            rest = w[1:j]
            if rest and j < len(w) and w[j] == ".":
                initial = w[:j]  # an abbreviation such as "Ph." or "Ts." stays whole
            else:
                # a run of capitals inside a word ("MEdward") keeps its first letters
                k = 0
                while k < len(rest) and rest[k].isupper():
                    k += 1
                initial = first + (rest[:k].lower() if 0 < k < len(rest) else "")
            words[i] = initial
            if i < last:
                sep = seps[i]
                if "-" in sep:
                    seps[i] = _merge_tags(sep.replace("-", "", 1), terminator) + "-"
                else:
                    seps[i] = _merge_tags(sep, terminator)
            else:
                words[i] = initial + terminator
        elif _HAS_ROMAN_RE.search(w):
            words[i] = " " + w  # "de", "3rd": kept, set apart from a preceding initial


def _normalize_words(words: list, seps: list, terminator: str) -> None:
    abbrev = []
    for i, w in enumerate(words):
        if len(w) > 1 and w.endswith("."):
            words[i] = w[:-1]
            abbrev.append(True)
        else:
            abbrev.append(len(w) == 1 and w.upper() == w)
    last = len(words) - 1
    for i in range(len(words)):
        if not abbrev[i]:
            continue
        if i < last:
            sep = seps[i] if abbrev[i + 1] else seps[i] + " "
            if len(words[i + 1]) > 1:
                seps[i] = terminator + sep
            else:
                seps[i] = _merge_tags(sep, terminator)
        else:
            words[i] = words[i] + terminator


# -- one name --------------------------------------------------------------------------

def _part(text: str, part_el, cite, ev=None):
    """A name part as rich text with its <name-part> text-case and formatting (not
    its affixes, which go around the combined parts)."""
    if not text:
        return None
    node = parse_markup(text)
    if part_el is not None:
        if part_el.text_case:
            # an item without a language is in the style's for upper and lower case (the
            # Turkish dotted i: citeproc-js), and as before for title case
            item_lang = cite.item.language if cite is not None else None
            lang = item_lang or (ev.locale.tag if ev is not None else None)
            apply_text_case(node, part_el.text_case, lang, any_language=not item_lang)
        if part_el.strip_periods:
            strip_periods(node)
        fmt = part_el.fmt
        if fmt and not _HAS_ROMAN_RE.search(text):
            # no italics for scripts without them (CJK), as citeproc-js does
            fmt = tuple(f for f in fmt if f[0] != "font-style")
        if fmt:
            node = Span([node], fmt=fmt)
    return node


def _affix(part_el, node):
    if node is None or part_el is None or not (part_el.prefix or part_el.suffix):
        return node
    return Span([Prefix(part_el.prefix), node, Suffix(part_el.suffix)])


def _join(nodes, sep: str):
    if None in nodes:
        nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None
    if len(nodes) == 1:
        return nodes[0]
    out = [nodes[0]]
    for n in nodes[1:]:
        if sep:
            out.append(Text(sep))
        out.append(n)
    return Span(out)


def _printed_sort_separator(sep: str, family_suffix: str) -> str:
    """The sort-separator as citeproc-js prints it after the family name (with the family
    part's suffix before it): the last of two spaces ending it goes ("Abbott  BP" with
    sort-separator="  " prints "Abbott BP", ",  " prints ", "), unless the two begin
    with a letter ("Y  " stays). citeproc-js moves the last space up a level and then
    drops it as a duplicate of the space still ending the suffix."""
    if len(sep) < 1 or sep[-1] != " ":
        return sep
    joined = family_suffix + sep
    if len(joined) > 1 and (joined[-2] == "\u00a0" or (joined[-2] == " " and joined[0] in _PUNCT_OR_SPACE)):
        return sep[:-1]
    return sep


_PUNCT_OR_SPACE = frozenset(".,;:!? \u00a0")


def _joins_tightly(particle: str) -> bool:
    # "al-", "d'", "de' ": the particle carries its own joint to the family name
    return particle[-1:] in ("'", "\u2019", "-", " ")


def base_given_level(form: str, initialize_with) -> int:
    """How much of the given name a name element shows by itself: 0 none (short form),
    1 initials where the style initializes, 2 in full."""
    if form == "short":
        return 0
    return 1 if initialize_with is not None else 2


def given_level(o: dict, level: int) -> int:
    """How much of the given name shows: the element's own level, which disambiguation
    may raise."""
    default = base_given_level(o["form"], o.get("initialize-with"))
    return level if level > default else default


def _given_text(name: dict, o: dict, use: int, ev) -> str:
    given = name.get("given", "")
    if not given or use != 1:
        return given
    iw = o.get("initialize-with")
    if iw is None:
        if not o["_rule_initials"]:
            return given
        iw = ""
    return initialize(given, iw, ev.initialize_with_hyphen, o.get("initialize") == "false")


def _suffix_text(name: dict, o: dict, ev) -> str:
    suffix = name.get("suffix", "")
    iw = o.get("initialize-with")
    if suffix and iw is not None:
        suffix = initialize(suffix, iw, ev.initialize_with_hyphen, True)
    return suffix


def format_name(ev, name: dict, o: dict, inverted: bool, level: int, cite):
    """Render one name as rich text (None if it has nothing to show).

    level: the given-name level requested by disambiguation (0 = as styled).
    """
    given_el = o["_given_el"]
    family_el = o["_family_el"]
    if "family" not in name:
        lit = name.get("literal")
        if not lit:
            if not name.get("given") or given_level(o, level) == 0:
                # a name with only a given part (a mononym, "Plato") has no family part for
                # a short form to print (the specification; citeproc-js): it prints nothing
                # but still counts (et-al, form="count", no substitution)
                return None
            # in longer forms, or given names added to disambiguate, the given part in full,
            # with its formatting, not the family's (citeproc-js never initializes it)
            return _part(name["given"], given_el, cite, ev)
        # an institution takes the family part's formatting but not its affixes
        return _part(lit, family_el, cite, ev)
    use = given_level(o, level)
    short = use == 0
    kind = _romanesque_kind(name, cite)
    family = name["family"]
    ndp = name.get("non-dropping-particle", "")
    given = "" if short else _given_text(name, o, use, ev)
    dp = "" if short else name.get("dropping-particle", "")
    suffix = "" if short else _suffix_text(name, o, ev)

    # French, Russian and Czech styles tie particles to the family name with a no-break
    # space (citeproc-js does it for these languages of the style)
    nb = "\u00a0" if ev.lang in ("fr", "ru", "cs") else " "
    fam_n = _part(family, family_el, cite, ev)
    ndp_n = _part(ndp, family_el, cite, ev)
    giv_n = _part(given, given_el, cite, ev)
    # names in family-first scripts take the parts' formatting but not their affixes
    if kind == 0:
        return _join([ndp_n, fam_n, giv_n], "")
    if kind == 1 or name.get("static-ordering"):
        return _join([_join([ndp_n, fam_n], nb), giv_n], " ")
    dp_n = _part(dp, given_el, cite, ev)
    suf_n = parse_markup(suffix) if suffix else None
    tight = bool(ndp) and _joins_tightly(ndp)
    if inverted:
        sort_sep = o.get("sort-separator", ", ")
        if given in ("Lord", "Lady"):
            sort_sep = ", "
        # (the separator before a name suffix, "Jr.", loses its space alike)
        suffix_sep = _printed_sort_separator(sort_sep, "")
        sort_sep = _printed_sort_separator(sort_sep, family_el.suffix if family_el is not None else "")
        if ev.demote_particle not in ("display-and-sort", "always"):
            first = _affix(family_el, _join([ndp_n, fam_n], "" if tight else nb))
            second = _affix(given_el, _join([giv_n, dp_n], " "))
        else:
            # the non-dropping particle moves behind the given name
            first = _affix(family_el, fam_n)
            second = _affix(given_el, _join([_join([giv_n, dp_n], " "), ndp_n], " "))
        return _join([_join([first, second], sort_sep), suf_n], suffix_sep)
    # display order: given, dropping particle, non-dropping particle, family, suffix
    if dp and not ndp and dp[-1] in ("'", "\u02bc", "\u2019", "-") and dp[:-1] != "de":
        # "d'Aubignac": an elided dropping particle attaches to the family name
        fam_n = _join([dp_n, fam_n], "")
        dp_n = None
    if tight:
        second = _join([dp_n, _join([ndp_n, fam_n], "")], nb)
    else:
        second = _join([dp_n, ndp_n, fam_n], nb)
    second = _join([second, suf_n], ", " if name.get("comma-suffix") else " ")
    # a given-name suffix that ends in a (no-break) space is the space
    if given_el is not None and given_el.suffix[-1:].isspace():
        space = ""
    else:
        # initials ended by a no-break space keep the family name on their line: in French,
        # Russian and Czech styles citeproc-js joins them to it with a no-break space too
        iw = o.get("initialize-with")
        space = nb if use == 1 and iw and ("\u00a0" in iw or "\ufeff" in iw) else " "
    return _join([_affix(given_el, giv_n), _affix(family_el, second)], space)


def name_sort_key(ev, name: dict, o: dict | None = None, level: int = 0, cite=None) -> str:
    """The sort string of one name: family name first, particles placed as
    demote-non-dropping-particle says, given name as the style renders it."""
    if o is None:
        o = _DEFAULT_SORT_OPTS
    if "family" not in name:
        lit = name.get("literal")
        if lit:
            return lit
        # a mononym sorts by its given part, or as nothing in a short form (citeproc-js)
        return name.get("given", "") if given_level(o, level) else ""
    use = given_level(o, level)
    family = name["family"]
    ndp = _drop_apostrophe(name.get("non-dropping-particle", ""))
    kind = _romanesque_kind(name, cite)
    given = "" if use == 0 else _plain(_given_text(name, o, use, ev))
    if kind == 0:
        return ndp + family + given
    if kind == 1 or name.get("static-ordering"):
        return _words(_words(ndp, family), given)
    dp = "" if use == 0 else _drop_apostrophe(name.get("dropping-particle", ""))
    suffix = "" if use == 0 else name.get("suffix", "")
    if ev.demote_particle == "never":
        key = _words(_words(_words(ndp, family), dp), given)
    else:
        key = _words(family, _words(_words(given, dp), ndp))
    return _words(key, suffix)


_DEFAULT_SORT_OPTS = {"form": "long", "_rule_initials": False}


def _drop_apostrophe(particle: str) -> str:
    # "d'" and "de'" sort as "d" and "de"
    return re.sub("['\u2019]", "", particle, count=1).strip() if particle else ""


def _plain(s: str) -> str:
    return _TAGS_RE.sub("", s) if "<" in s else s


def _words(a: str, b: str) -> str:
    if a and b:
        return a + " " + b
    return a or b


# -- name lists -----------------------------------------------------------------------

def _et_al_limits(o, cite, ev):
    et_min = _int(o.get("et-al-min"))
    use_first = _int(o.get("et-al-use-first"))
    if ev.mode == "citation" and cite is not None and cite.position != "first":
        if o.get("et-al-subsequent-min") is not None:
            et_min = _int(o.get("et-al-subsequent-min"))
        if o.get("et-al-subsequent-use-first") is not None:
            use_first = _int(o.get("et-al-subsequent-use-first"))
    return et_min, use_first


def shown_count(ev, o, names, cite, add_names=0, force=None) -> tuple[int, bool]:
    """How many names a list shows and whether it is truncated with et-al.
    force: a count set by disambiguation (add-names), overriding et-al."""
    n = len(names)
    if force is not None:
        # never fewer names than the style shows here (a first cite may show more
        # than the subsequent form disambiguation worked on)
        natural, _ = shown_count(ev, o, names, cite, add_names)
        force = max(force, natural)
        return (n, False) if force >= n else (force, True)
    et_min, use_first = _et_al_limits(o, cite, ev)
    if et_min and use_first is not None and n >= et_min and use_first < n:
        shown = max(use_first, 0) + add_names
        if cite is not None and cite.position == "first" and ev.mode == "citation" and (
                "et-al-subsequent-min" in o or "et-al-subsequent-use-first" in o):
            # citeproc-js registers the names its subsequent form shows and never shows
            # fewer in a first cite: a first form with et-al-use-first="0" still prints
            # the names a subsequent cite would (turkiye-bilimsel-ve-teknolojik-arastirma-kurumu)
            sub_min = _int(o["et-al-subsequent-min"]) if "et-al-subsequent-min" in o else et_min
            sub_first = _int(o["et-al-subsequent-use-first"]) if "et-al-subsequent-use-first" in o else use_first
            sub = n if not sub_min or sub_first is None or n < sub_min else max(sub_first, 0) + add_names
            shown = max(shown, sub)
        if shown >= n:
            return n, False
        return shown, True
    return n, False


def _uses_last(o, shown: int, total: int) -> bool:
    # the ellipsis and last name need at least two names left out
    return o.get("et-al-use-last") == "true" and shown + 2 <= total


def render_name_list(ev, names_el, o, names, cite, etal_el, var, add_names=0):
    """Render one variable's names; returns (node, shown_names)."""
    cit = ev.mode == "citation"
    counts = cite.disamb.name_counts if cit or ev.shows_cite_names else None
    # A last name {"literal": "others"} is BibTeX's "and others": the list is always cut with et-al.
    others = bool(names) and names[-1].get("literal") == "others" and len(names[-1]) == 1
    if others:
        names = names[:-1]
    shown, truncated = shown_count(ev, o, names, cite, add_names, counts.get(var) if counts else None)
    truncated = truncated or (others and shown > 0)
    if shown == 0:
        return None, []
    nas = o.get("name-as-sort-order")
    delimiter = o.get("delimiter", ", ")
    # given names expanded to tell cites apart also show in the bibliography entry when the
    # citation adds given names (citeproc-js), never below the bibliography's own form
    level_default = cite.disamb.givenname_level if cit else 0
    levels = cite.disamb.name_levels if cit or ev.shows_cite_givens else None
    full_for_cite = cite.disamb.global_full_for_cite
    if levels and not cit and full_for_cite and o.get("initialize-with") is not None:
        # (the bibliography's initials tell these names apart: citeproc-js shows no more)
        levels = {k: 1 if k in full_for_cite else v for k, v in levels.items()}
    # cs:name's affixes and formatting go around each name, not the list (as citeproc-js
    # does: styles write suffix="." for "Auxier B., Anderson M.")
    name_el = o.get("_name_el")
    if name_el is not None and not (name_el.fmt or name_el.prefix or name_el.suffix):
        name_el = None
    glued = name_el is not None and bool(name_el.suffix)
    rendered = []
    inverted_flags = []
    for i, name in enumerate(names[:shown]):
        inverted = nas == "all" or (nas == "first" and i == 0)
        level = levels.get((var, i), level_default) if levels else level_default
        node = format_name(ev, name, o, inverted, level, cite)
        if node is None:
            continue
        if name_el is not None:
            if "family" in name or not name.get("literal"):
                # opaque: a name-part's "normal" does not undo cs:name's own formatting
                # (citeproc-js sees only what is around the names element)
                node = ev.wrap(name_el, node, cite, case=False, opaque=True)
            elif name_el.fmt:
                # an institution takes the formatting but not the affixes (citeproc-js)
                node = Span([node], fmt=name_el.fmt)
        node = Span([node], role="name")  # subsequent-author-substitute finds single names by this
        rendered.append(node)
        inverted_flags.append(inverted and "family" in name)
    if not rendered:
        # mononyms in a short form: nothing printed, but the names are there to disambiguate
        return None, names[:shown]
    dpl = o.get("delimiter-precedes-last", "contextual")
    if truncated and _uses_last(o, shown, len(names)):
        last = names[-1]
        last_inverted = nas == "all"
        node = format_name(ev, last, o, last_inverted, levels.get((var, len(names) - 1), level_default)
                           if levels else level_default, cite)
        if node is not None:
            if name_el is not None:
                node = ev.wrap(name_el, node, cite, case=False, opaque=True)
            rendered.append(Span([node], role="name"))
            inverted_flags.append(last_inverted and "family" in last)
        if len(rendered) > 2 or (dpl == "after-inverted-name" and inverted_flags[-2]):
            ellipsis = delimiter + "\u2026 "
        else:
            ellipsis = " \u2026 "
        out = _delimited(rendered, delimiter, ellipsis)
    elif truncated:
        out = _delimited(rendered, delimiter, None, glued)
        term_name = etal_el.get("term", "et-al") if etal_el is not None else "et-al"
        term = ev.locale.term_text(term_name)
        if term:
            use_delim = _delimiter_precedes(o.get("delimiter-precedes-et-al", "contextual"),
                                            inverted_flags[-1], len(rendered) > 1)
            prefix = delimiter if use_delim else " "
            if prefix == " " and not _spaced_term(term):
                prefix = ""
            et_node = parse_markup(term, parse_quotes=False)
            if etal_el is not None:
                et_node = ev.wrap(etal_el, et_node, cite)
            out.append(Text(prefix))
            out.append(et_node)
        if name_el is not None:
            # a list cut with et-al also takes cs:name's formatting and affixes as a whole,
            # around the per-name ones (citeproc-js: "<i><i>Smith</i>, <i>Doe</i>, et al.</i>",
            # "#<i>#<i>Berg</i>! et al.</i>!"): styles rely on it for the suffix, which then
            # follows the term too ("Smith u. a.&#160;2019" with suffix="&#160;")
            list_span = Span(out)
            if name_el.fmt:
                list_span = Span([list_span], fmt=kept_normals(name_el.fmt, list_span))
            if name_el.prefix or name_el.suffix:
                deco = bool(name_el.fmt)
                list_span = Span([(DecoPrefix if deco else Prefix)(name_el.prefix), list_span,
                                  (DecoSuffix if deco else Suffix)(name_el.suffix)], role="affixes")
            return Span([list_span]), names[:shown]
    else:
        joint = _and_joint(ev, o, rendered, inverted_flags, delimiter, dpl)
        out = _delimited(rendered, delimiter, joint, glued)
        if joint is None and len(out) > 2:
            # without "and", citeproc-js joins the last name apart: the delimiter's space
            # and the name's prefix space both print ("A. Lowe,  P. Willis")
            out[-2] = Value(delimiter)
    return Span(out), names[:shown]


def _and_joint(ev, o, rendered, inverted_flags, delimiter, dpl):
    """The text between the last two names of an untruncated list, or None when it
    is the plain delimiter."""
    n = len(rendered)
    if n < 2:
        return None
    and_mode = o.get("and")
    if and_mode == "text":
        term = ev.locale.term_text("and") or ""
    elif and_mode == "symbol":
        term = "&"
    else:
        return None
    if not _spaced_term(term):
        return term
    use_delim = _delimiter_precedes(dpl, inverted_flags[-2], n > 2)
    return (delimiter if use_delim else " ") + term + " "


def _delimiter_precedes(rule: str, after_inverted: bool, contextual: bool) -> bool:
    """delimiter-precedes-last / -et-al: does the name delimiter come before the term?"""
    if rule == "always":
        return True
    if rule == "never":
        return False
    if rule == "after-inverted-name":
        return after_inverted
    return contextual


def _delimited(nodes, delimiter, last_joint, glued=False) -> list:
    """glued: cs:name has a suffix, which the plain delimiter does not merge with."""
    out = []
    last = len(nodes) - 1
    plain = GluedDelimiter if glued else Text
    for i, node in enumerate(nodes):
        if i:
            out.append(Text(last_joint) if (i == last and last_joint is not None) else plain(delimiter))
        out.append(node)
    return out


def _label_node(ev, label_el, var, count, cite):
    if label_el is None:
        return None
    text = _label_text(ev, label_el, var, count)
    if not text:
        return None
    return ev.wrap(label_el, parse_markup(text, parse_quotes=False), cite)


def _label_text(ev, label_el, var, count):
    form = label_el.get("form", "long")
    plural_mode = label_el.get("plural", "contextual")
    plural = count > 1 if plural_mode == "contextual" else plural_mode == "always"
    term = ev.locale.term(var, form)
    if term is None:
        return None
    return term.text(plural)


def _name_sort_keys(ev, o, names, cite, overrides, var) -> list:
    """Sort strings of a name list as a macro key sees it: et-al truncation with the
    key's overrides, the et-al term left out, the last name kept for et-al-use-last.
    Given names that global name expansion gave sort as they print (citeproc-js: "Lee,
    Hannah" before "Lee, Harold" where both print "Lee, H." undisambiguated); a cite's
    own expansions (by-cite) do not."""
    so = dict(o)
    so.update(overrides)
    shown, truncated = shown_count(ev, so, names, cite)
    levels = cite.disamb.global_levels if ev.mode == "citation" or ev.shows_cite_givens else None
    full_for_cite = cite.disamb.global_full_for_cite
    if levels and ev.mode != "citation" and full_for_cite and so.get("initialize-with") is not None:
        levels = {k: 1 if k in full_for_cite else v for k, v in levels.items()}
    if not levels:
        keys = [name_sort_key(ev, n, so, 0, cite) for n in names[:shown]]
    else:
        keys = [name_sort_key(ev, n, so, levels.get((var, i), 0), cite) for i, n in enumerate(names[:shown])]
    if truncated and so.get("et-al-use-last") == "true":
        # citeproc-js keeps the last name in a key also when only one is left out
        keys.append(name_sort_key(ev, names[-1], so, levels.get((var, len(names) - 1), 0) if levels else 0, cite))
    return keys


def render_names(ev, el, cite, frame, inherit=None):
    """<names>: each variable's list with its label, joined; else the substitute."""
    node = _render_names(ev, el, cite, frame, inherit)
    if node is None and frame.sort_mode and inherit is None:
        name_el = el.child("name")
        if name_options(ev, el, name_el)["form"] == "count":
            frame.rendered += 1  # (a key, not a term: the macro keeps it)
            return Text("0")  # no names counts as none (citeproc-js sorts it first)
    return node


def _parts(el):
    """A cs:names element's variables and children, found once per element."""
    parts = el.extra.get("names-parts")
    if parts is None:
        name_el, etal_el, label_el = el.child("name"), el.child("et-al"), el.child("label")
        label_before = (label_el is not None and name_el is not None
                        and el.children.index(label_el) < el.children.index(name_el))
        parts = el.extra["names-parts"] = (tuple(el.get("variable", "").split()), name_el, etal_el, label_el,
                                           label_before, el.child("substitute"))
    return parts


def _render_names(ev, el, cite, frame, inherit):
    variables, name_el, etal_el, label_el, label_before, subst = _parts(el)
    inherited_delimiter = None
    if inherit is not None and name_el is None:
        name_el, etal_el, label_el_inh, label_before, inherited_delimiter = inherit
        if label_el is None:
            label_el = label_el_inh
    o = name_options(ev, el, name_el)
    form = o["form"]
    # the names element's own delimiter, else the inherited names-delimiter (name_options)
    delimiter = o.get("names-delimiter")
    item = cite.item
    lists = []
    for var in variables:
        frame.called += 1
        if var in frame.suppressed:
            continue
        names = item.names.get(var)
        if names:
            lists.append((var, names))
    # editor and translator that are the same people print once, as "editortranslator",
    # when the element selects those two variables only (the specification; citeproc-js)
    if len(lists) > 1 and sorted(variables) == ["editor", "translator"]:
        lists = _merge_editor_translator(ev, lists, label_el)
    if lists:
        # every name printed counts against the work budget, as an element would
        ev.spend(frame, sum(len(names) for _, names in lists))
        frame.rendered += 1
        frame.rendered_vars.extend(v for v, _ in lists)
        if frame.sort_mode and form != "count":
            keys = []
            for var, names in lists:
                var_keys = _name_sort_keys(ev, o, names, cite, frame.sort_overrides or {},
                                           var if var != "editortranslator" else "editor")
                var_keys = [k for k in var_keys if k]  # (a mononym in a short form has none)
                if var_keys:
                    # citeproc-js's key keeps the name delimiter ("Smith J, Okafor C")
                    keys.append(o.get("delimiter", ", ").join(var_keys))
                frame.names_seen.append((var, names, names, form, o.get("initialize-with")))
                if frame.in_substitute:
                    frame.suppressed.add(var)  # as when printed: a later cs:names of it is empty
            if frame.sort_mode == "delimited":
                return Text(" ".join(keys))
            # and the names element's delimiter and affixes, not its label: "Smith J. 2019"
            # sorts before "Smith J, Okafor C. 2019" as in citeproc-js
            return _wrap_names(ev, el, Text((delimiter or "").join(keys)), cite, inherit)
        if form == "count":
            co = o
            if frame.sort_mode and frame.sort_overrides:
                co = dict(o)
                co.update(frame.sort_overrides)
            total = 0
            counts = cite.disamb.name_counts if ev.mode == "citation" else None
            for var, names in lists:
                shown, _ = shown_count(ev, co, names, cite, cite.disamb.add_names if ev.mode == "citation" else 0,
                                       counts.get(var) if counts else None)
                total += shown
            if total == 0:
                return None
            return ev.wrap(el, Text(str(total)), cite)
        parts = []
        seen_mark = len(frame.names_seen)
        for var, names in lists:
            add = cite.disamb.add_names if ev.mode == "citation" else 0
            list_var = var if var != "editortranslator" else "editor"
            node, shown = render_name_list(ev, el, o, names, cite, etal_el, list_var, add)
            # (variable, all names, shown names, form, initialize-with) for disambiguation,
            # also when none print (mononyms in a short form, et-al-use-first="0"): adding
            # names or given names may still tell the cite apart
            frame.names_seen.append((list_var, names, shown, form, o.get("initialize-with")))
            if node is None:
                continue
            node = Span([node], role="name-list")  # what subsequent-author-substitute compares
            label = _label_node(ev, label_el, var, len(names), cite)
            if label is not None:
                node = Span([label, node] if label_before else [node, label])
            parts.append(node)
            if frame.in_substitute:
                frame.suppressed.add(var)
        if not parts:
            return None
        joined = []
        delim = delimiter
        if el.delimiter is None and inherited_delimiter is not None:
            # a bare names element of a substitute takes the delimiter of the one it stands
            # in for, too ("Tolkien (ed.); Tolkien (trans.)", as citeproc-js prints it)
            delim = inherited_delimiter
        for i, p in enumerate(parts):
            if i and delim:
                joined.append(Text(delim))
            joined.append(p)
        inner = Span(joined)
        if ev.mode == "bibliography" and not frame.first_names:
            # the first names of an entry: subsequent-author-substitute may replace them
            inner.role = "names-first"
            frame.first_names = inner
            # subsequent-author-substitute compares people, not their printed form (citeproc-js)
            frame.first_names_people = [_person(n) for seen in frame.names_seen[seen_mark:] for n in seen[2]]
            outer = _wrap_names(ev, el, inner, cite, inherit)
            if outer is not None and outer is not inner:  # None: names that printed nothing
                outer.role = "names-outer"  # what an empty substitute removes with the names
            return outer
        return _wrap_names(ev, el, inner, cite, inherit)
    # substitute
    if subst is None:
        return None
    inherit_spec = (name_el, etal_el, label_el, label_before,
                    delimiter)
    for child in _substitute_candidates(ev, subst.children, cite):
        saved = frame.in_substitute
        frame.in_substitute = True
        before_called, before_rendered = frame.called, frame.rendered
        mark = len(frame.rendered_vars)
        if child.tag == "names":
            node = render_names(ev, child, cite, frame, inherit=inherit_spec)
        else:
            saved_inherit = frame.substitute_inherit
            frame.substitute_inherit = inherit_spec
            fn = node_fn(ev, child)
            node = fn(ev, cite, frame) if fn is not None else None
            frame.substitute_inherit = saved_inherit
        frame.in_substitute = saved
        if node is not None and not is_empty(node):
            # what the substitute printed is suppressed in the rest of the output
            frame.suppressed.update(frame.rendered_vars[mark:])
            frame.substituted_text = child.tag != "names"
            if ev.mode == "bibliography" and not frame.first_names and form != "count" and frame.rendered_vars[mark:]:
                # a substituted title stands for the author in subsequent-author-substitute
                # (a term such as "Anon." does not: citeproc-js prints it every time)
                node = Span([node], role="names-first")
                frame.first_names = node
            if child.tag != "names" and not (frame.rendered_vars[mark:] and all(
                    v in NAME_VARIABLES or v == "editortranslator" for v in frame.rendered_vars[mark:])):
                return node  # the names element's affixes and formatting are for names
            return ev.wrap(el, node, cite, opaque=True) if (el.prefix or el.suffix or el.fmt) else node
        if child.tag == "names" and frame.rendered_vars[mark:]:
            # names that are there but print nothing (mononyms in a short form) end the
            # substitution, as citeproc-js has it: the names stood in, empty
            frame.suppressed.update(frame.rendered_vars[mark:])
            return None
        del frame.rendered_vars[mark:]
        frame.called, frame.rendered = before_called, before_rendered
        if child.tag == "text" and ("term" in child.attrs or "value" in child.attrs):
            return None  # a term stands in even when it is empty (as in citeproc-js)
    return None


def _substitute_candidates(ev, children, cite):
    """The substitute's elements in order, a chosen cs:choose branch's children taking the
    choose's place: each is a candidate of its own, so that the first that prints wins
    (citeproc-js prints the editor alone where a branch lists editor and translator)."""
    for child in children:
        if child.tag == "choose":
            branch = evaluate_choose(ev, child, cite)
            if branch is not None:
                yield from _substitute_candidates(ev, branch.children, cite)
        else:
            yield child


def _wrap_names(ev, el, node, cite, inherit):
    """A names element's own affixes and formatting; a names element in a substitute
    (directly or inside a choose) that inherits cs:name has none of its own: those of
    the names element it stands in for go around it, as citeproc-js prints it."""
    if inherit is not None and el.child("name") is None and not el.text_case and not el.strip_periods:
        return node
    # what is inside does not see the names element's formatting (opaque), as in citeproc-js
    return ev.wrap(el, node, cite, opaque=True)


def _person(name: dict) -> str:
    # the name parts run together, as citeproc-js compares them ({"literal": "X"} is {"family": "X"})
    get = name.get
    return "".join([str(get(k) or "") for k in _PERSON_PARTS])


_PERSON_PARTS = ("non-dropping-particle", "family", "given", "dropping-particle", "suffix", "literal")


def _merge_editor_translator(ev, lists, label_el):
    found = dict(lists)
    ed = found.get("editor")
    if ed is None or ed != found.get("translator"):
        return lists
    if label_el is not None and not _label_text(ev, label_el, "editortranslator", len(ed)):
        return lists  # no term to say it with: both lists print with their own labels
    return [(v if v != "editor" else "editortranslator", n) for v, n in lists if v != "translator"]
