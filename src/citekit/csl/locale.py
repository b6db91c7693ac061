"""CSL locales: terms, date formats and locale options, with the CSL fallback chain.

A `Locale` is the merged view a style sees for one language. Lookups walk a chain
of `LocaleData` layers, most specific first: the style's own <locale> for the exact
dialect, for the bare language, unlabelled; then the locale file of the dialect,
of the language's primary dialect, and en-US last.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import threading
from pathlib import Path

from .record import field, record
from .xmlsafe import NS, XML_NS, decode_escaped_refs, localname, parse_xml


# Term forms fall back along these chains (CSL 1.0.2, "Terms").
_FORM_FALLBACK = {
    "long": ("long",),
    "short": ("short", "long"),
    "verb": ("verb", "long"),
    "verb-short": ("verb-short", "verb", "long"),
    "symbol": ("symbol", "short", "long"),
}


@record(frozen=True)
class Term:
    single: str
    multiple: str
    gender: str | None = None  # gender of a noun term (months, locators)
    match: str | None = None  # ordinal matching rule

    def text(self, plural: bool = False) -> str:
        return self.multiple if plural else self.single


class LocaleDate:
    """A locale's <date> format: its attributes and those of its <date-part> children."""

    __slots__ = ("attrs", "parts")

    def __init__(self, attrs: dict, parts: list):
        self.attrs = attrs
        self.parts = parts  # the attribute dicts of the date-part children, in order

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)


@record
class LocaleData:
    """What one <locale> element (in a style or a locale file) defines."""

    lang: str | None
    # (name, form, gender_form) -> Term ; gender_form is None for the neuter/default
    terms: dict = field(default_factory=dict)
    dates: dict = field(default_factory=dict)  # form ("text"/"numeric") -> LocaleDate
    options: dict = field(default_factory=dict)
    has_ordinals: bool = False

    def to_data(self) -> list:
        """Plain data (lists, dicts, strings, booleans, None) that from_data reads back."""
        return [self.lang, [[*key, t.single, t.multiple, t.gender, t.match] for key, t in self.terms.items()],
                [[form, d.attrs, d.parts] for form, d in self.dates.items()], self.options, self.has_ordinals]

    @classmethod
    def from_data(cls, data) -> LocaleData:
        """The LocaleData to_data wrote; ValueError (or TypeError) for anything else."""
        lang, terms, dates, options, has_ordinals = data
        if not (lang is None or type(lang) is str) or type(has_ordinals) is not bool:
            raise ValueError("not locale data")
        out = cls(lang, {}, {}, _str_dict(options, bool), has_ordinals)
        found = out.terms
        for name, form, gender_form, single, multiple, gender, match in terms:
            # (inline, a join testing four strings at once: a locale file has hundreds of terms)
            "".join((name, form, single, multiple))  # TypeError unless all are str (JSON makes no subclasses)
            if not ((gender_form is None or type(gender_form) is str) and (gender is None or type(gender) is str)
                    and (match is None or type(match) is str)):
                raise ValueError("not locale data")
            found[(name, form, gender_form)] = Term(single, multiple, gender, match)
        for form, attrs, parts in dates:
            _strs_or_none(form)
            out.dates[form] = LocaleDate(_str_dict(attrs), [_str_dict(p) for p in parts])
        return out


def _strs_or_none(*values) -> None:
    for v in values:
        if v is not None and type(v) is not str:
            raise ValueError("not locale data")


def _str_dict(d, kind=str) -> dict:
    if type(d) is not dict or not all(type(k) is str and type(v) is kind for k, v in d.items()):
        raise ValueError("not locale data")
    return d


_SINGLE = f"{{{NS}}}single"
_MULTIPLE = f"{{{NS}}}multiple"


def _text_of(el) -> str:
    text = decode_escaped_refs(("".join(el.itertext()) if el.children else el.text) or "")
    # a term holding only layout whitespace is empty (as citeproc-js reads it)
    return text if text.strip() or "\n" not in text else ""


_ORDINAL_NN = re.compile(r"ordinal-\d\d$")


def read_locale_element(el, lang: str | None = None) -> LocaleData:
    """Read a <locale> element (from a style or a locale file) into LocaleData."""
    data = LocaleData(lang=lang if lang is not None else el.get("{" + XML_NS + "}lang"))
    for child in el:
        tag = localname(child.tag)
        if tag == "style-options":
            for k, v in child.attrib.items():
                data.options[k] = v == "true"
        elif tag == "date":
            data.dates[child.get("form")] = LocaleDate(
                dict(child.attrib), [dict(dp.attrib) for dp in child
                                     if dp.tag.endswith("date-part")])
        elif tag == "terms":
            terms = data.terms
            for term in child:
                if localname(term.tag) != "term":
                    continue
                get = term.get
                name = get("name")
                if term.children:
                    single_el = term.find(_SINGLE)
                    multiple_el = term.find(_MULTIPLE)
                else:  # (most terms: their text)
                    single_el = multiple_el = None
                if single_el is not None or multiple_el is not None:
                    single = _text_of(single_el) if single_el is not None else ""
                    multiple = _text_of(multiple_el) if multiple_el is not None else single
                else:
                    single = multiple = _text_of(term)
                terms[(name, get("form", "long"), get("gender-form"))] = Term(single, multiple, get("gender"), get("match"))
                if name.startswith("ordinal"):
                    data.has_ordinals = True
    if any(k[0] == "ordinal" for k in data.terms):
        _default_gendered_terms(data)
    return data


def _default_gendered_terms(data: LocaleData) -> None:
    """A term a locale with CSL 1.0.1 ordinals defines only in gendered forms ("ordinal"
    in pt-PT: ".º" and ".ª") also serves words without a gender, in its feminine form
    (or masculine, without one), as citeproc-js fills it in: "7.ª ed." (The ordinal-NN
    terms are looked up by gender alone.)"""
    neuter = {k[0] for k in data.terms if k[2] is None}
    gendered: dict = {}
    for (name, form, gender_form), t in data.terms.items():
        if name not in neuter and gender_form in ("feminine", "masculine") and not _ORDINAL_NN.match(name):
            gendered.setdefault(name, {}).setdefault(gender_form, {})[form] = t
    for name, by_gender in gendered.items():
        for form, t in (by_gender.get("feminine") or by_gender["masculine"]).items():
            data.terms[(name, form, None)] = t


def package_dir(name: str) -> Path:
    """Where an installed package's files are, found without importing it (importing
    citeproc-py would load its whole engine just to reach its data files)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the package {name!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


@functools.lru_cache(maxsize=None)
def _locales_dir() -> Path:
    return package_dir("citeproc") / "data" / "locales"


@functools.lru_cache(maxsize=None)
def shipped_tags() -> frozenset:
    """The tags of the shipped locale files ("en-US", "de-AT", ...), read from the folder once."""
    return frozenset(p.name[len("locales-"):-len(".xml")] for p in _locales_dir().glob("locales-*.xml"))


@functools.lru_cache(maxsize=None)
def _primary_dialects() -> dict:
    try:
        with (_locales_dir() / "locales.json").open("rb") as fh:
            return json.load(fh).get("primary-dialects", {})
    except OSError:
        return {"en": "en-US"}


_file_lock = threading.Lock()


# A language tag as locale files are named (BCP 47 shapes: "en-US", "zh-Hant-TW", "de"):
# anything else names no file, and never reaches the file system.
_TAG_RE = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}")


# Where locale files, once read, may be kept as plain data (LocaleData.to_data) between
# processes: an object with load(name, raw) -> data or None and save(name, raw, data), set
# by the caller that owns a cache (citekit's style registry). The engine never knows where
# or how it keeps them, and reads the file itself whenever the store has nothing usable.
_file_store = None


def set_file_store(store) -> None:
    """Keep locale files read from now on in `store` (None: no store)."""
    global _file_store
    _file_store = store


@functools.lru_cache(maxsize=256)  # bounded: tags come from callers; misses are cached too
def _load_file(tag: str) -> LocaleData | None:
    if not _TAG_RE.fullmatch(tag):
        return None
    path = _locales_dir() / f"locales-{tag}.xml"
    if not path.is_file():
        return None
    raw = path.read_bytes()
    store = _file_store
    if store is not None:
        try:
            data = store.load(path.name, raw)
            if data is not None:
                return LocaleData.from_data(data)
        except Exception:  # noqa: BLE001  (a store's failure, or data it should not have kept: read the file)
            pass
    found = read_locale_element(parse_xml(raw, source=path.name))
    if store is not None:
        try:
            store.save(path.name, raw, found.to_data())
        except Exception:  # noqa: BLE001  (a store that cannot keep it costs a read next time)
            pass
    return found


def locale_file(tag: str) -> LocaleData | None:
    with _file_lock:
        return _load_file(tag)


def normalize_tag(tag: str | None) -> str | None:
    if not tag:
        return None
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for p in parts[1:]:
        out.append(p.upper() if len(p) == 2 else p.capitalize() if len(p) == 4 else p)
    return "-".join(out)


def file_chain(tag: str) -> list[LocaleData]:
    """Locale files for a language tag: exact dialect, primary dialect, en-US."""
    chain, seen = [], set()
    lang = tag.split("-")[0]
    for candidate in (tag, _primary_dialects().get(lang), "en-US"):
        if candidate and candidate not in seen:
            seen.add(candidate)
            data = locale_file(candidate)
            if data is not None:
                chain.append(data)
    return chain


class Locale:
    """The merged locale a style sees for one language tag."""

    def __init__(self, tag: str, style_locales: list[LocaleData]):
        self.tag = tag
        self.lang = tag.split("-")[0]
        in_style = []
        # the style's locale for the language's primary dialect (en-US, de-DE) also
        # serves its other regions, before the bare language's (as in citeproc-js)
        for want in (tag, _primary_dialects().get(self.lang), self.lang, None):
            for data in style_locales:
                if data.lang == want and data not in in_style:
                    in_style.append(data)
        files = file_chain(tag)
        self.layers: list[LocaleData] = in_style + files
        # A locale that defines any ordinal term replaces all the ordinals of the layers
        # under it (CSL 1.0.2, "Ordinal Suffixes"): a style's, or fr-FR's over en-US's.
        # As in citeproc-js, a style's locale replaces them only when it defines the
        # "ordinal" term itself: the CSL 1.0 terms alone ("ordinal-01" to "-04") change
        # the text of the terms the locale file uses, never which number takes which term.
        def legacy(d):
            return d in in_style and not any(k[0] == "ordinal" for k in d.terms)
        first = next((i for i, d in enumerate(self.layers) if d.has_ordinals and not legacy(d)),
                     len(self.layers) - 1)
        self._ordinal_layers = self.layers[:first + 1]
        self._ordinal_rules = [d for d in self._ordinal_layers if not legacy(d)]
        self._cache: dict = {}

    # -- options and dates ---------------------------------------------------
    def option(self, name: str, default: bool = False) -> bool:
        for data in self.layers:
            if name in data.options:
                return data.options[name]
        return default

    def date_format(self, form: str):
        for data in self.layers:
            el = data.dates.get(form)
            if el is not None:
                return el
        return None

    # -- terms -----------------------------------------------------------------
    def term(self, name: str, form: str = "long", gender_form: str | None = None) -> Term | None:
        """Find a term, trying the form fallback chain in each layer."""
        key = (name, form, gender_form)
        try:
            return self._cache[key]
        except KeyError:
            pass
        layers = self._ordinal_layers if name.startswith("ordinal") else self.layers
        found = None
        for f in _FORM_FALLBACK.get(form, (form, "long")):
            for data in layers:
                t = None
                if gender_form:
                    t = data.terms.get((name, f, gender_form))
                if t is None:
                    t = data.terms.get((name, f, None))
                if t is not None:
                    found = t
                    break
            if found is not None:
                break
        self._cache[key] = found
        return found

    def term_text(self, name: str, form: str = "long", plural: bool = False) -> str | None:
        t = self.term(name, form)
        return None if t is None else t.text(plural)

    def gender_of(self, name: str) -> str | None:
        t = self.term(name)
        return t.gender if t is not None else None

    def ordinal_suffix(self, n: int, gender: str | None = None) -> str:
        """The ordinal suffix for n ("st", "nd", ...), following CSL 1.0.1 matching."""
        last_two = n % 100
        found = None
        name = f"ordinal-{last_two:02d}"
        t = self._ordinal_term(name, gender)
        if t is not None:
            match = t.match or ("last-two-digits" if last_two > 9 else "last-digit")
            if match == "last-two-digits" or (match == "whole-number" and n == last_two) or (
                    match == "last-digit" and last_two < 10):
                found = name
        if found is None:
            name = f"ordinal-{n % 10:02d}"
            t = self._ordinal_term(name, gender)
            if t is not None and (t.match in (None, "last-digit") or (t.match == "whole-number" and n == n % 10)):
                found = name
        if found is None:
            name = "ordinal"
            t = self._ordinal_term(name, gender)
            if t is not None:
                found = name
        if found is None:
            return ""
        if len(self._ordinal_rules) < len(self._ordinal_layers):
            # a style's CSL 1.0 ordinal terms: the chosen term's text may be the style's
            t = self._ordinal_term(found, gender, self._ordinal_layers, True)
        return t.single

    def _ordinal_term(self, name: str, gender: str | None, layers=None, any_gendered=False) -> Term | None:
        # Gendered variants first, then the neuter one; never another form. any_gendered:
        # a gendered variant in any layer comes before a neuter one (citeproc-js keeps the
        # locale file's gendered term when a style redefines the neuter one)
        layers = self._ordinal_rules if layers is None else layers
        if gender and any_gendered:
            for data in layers:
                t = data.terms.get((name, "long", gender))
                if t is not None:
                    return t
        for data in layers:
            if gender:
                t = data.terms.get((name, "long", gender))
                if t is not None:
                    return t
            t = data.terms.get((name, "long", None))
            if t is not None:
                return t
        return None

    def long_ordinal(self, n: int, gender: str | None = None) -> str | None:
        if not 1 <= n <= 10:
            return None
        name = f"long-ordinal-{n:02d}"
        for data in self.layers:
            if gender:
                t = data.terms.get((name, "long", gender))
                if t is not None:
                    return t.single
            t = data.terms.get((name, "long", None))
            if t is not None:
                return t.single
        return None
