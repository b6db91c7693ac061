"""Items as the engine sees them: CSL-JSON dicts normalized once (names, dates, numbers).

Input is untrusted: every field may be missing or of the wrong shape. Normalization
never raises; what cannot be used is dropped with a warning.
"""

from __future__ import annotations

import re

from . import lazy
from .limits import CONTROL_CHARS, LIMITS, has_controls, strip_controls, to_int
from .record import record, shared

NAME_VARIABLES = frozenset(
    "author chair collection-editor compiler composer container-author contributor curator "
    "director editor editorial-director editor-translator executive-producer guest host "
    "illustrator interviewer narrator organizer original-author performer producer recipient "
    "reviewed-author script-writer series-creator translator".split())

STANDARD_VARIABLES = frozenset(
    "abstract annote archive archive_collection archive_location archive-place authority call-number "
    "citation-key citation-label collection-title container-title container-title-short dimensions "
    "division event event-title event-place genre jurisdiction keyword language license medium note "
    "original-publisher original-publisher-place original-title part-title publisher publisher-place "
    "references reviewed-genre reviewed-title scale source status title title-short volume-title".split())

DATE_VARIABLES = frozenset("accessed available-date event-date issued original-date submitted".split())

NUMBER_VARIABLES = frozenset(
    "chapter-number citation-number collection-number edition first-reference-note-number issue "
    "locator number number-of-pages number-of-volumes page page-first part-number printing-number "
    "section supplement-number version volume".split())

# CSL-JSON spellings used by Zotero and citeproc-js for some variables.
ALIASES = {
    "shortTitle": "title-short",
    "journalAbbreviation": "container-title-short",
    "container-title-abbreviation": "container-title-short",
}


@record(frozen=True, slots=True)
class DateValue:
    """A date or a range. parts: one or two (year, month, day) tuples, 0 for unknown."""

    parts: tuple = ()
    season: int | str | None = None
    circa: bool = False
    literal: str | None = None

    @property
    def is_range(self) -> bool:
        return len(self.parts) > 1

    @property
    def year(self) -> int:
        return self.parts[0][0] if self.parts else 0


_PRESENT_SETS: dict = {}  # Item.present, one frozenset per distinct set of variables


class Item:
    """A normalized item: fields by CSL variable name, names and dates parsed."""

    __slots__ = ("id", "type", "fields", "names", "dates", "language", "raw", "present")

    def __init__(self, raw: dict, warnings: list | None = None):
        self.raw = raw
        self.id = clean_text(raw.get("id", ""), "id", "", warnings) or ""
        self.type = clean_text(raw.get("type"), "type", self.id, warnings) or "article"
        self.fields: dict = {}
        self.names: dict = {}
        self.dates: dict = {}
        self.language = clean_text(raw.get("language"), "language", self.id, warnings) \
            if isinstance(raw.get("language"), str) else None
        for key, value in raw.items():
            if not isinstance(key, str):
                continue
            key = ALIASES.get(key, key)
            if value is None or key in ("id", "type"):
                continue
            if isinstance(value, str):
                value = clean_text(value, key, self.id, warnings)
                if value is None:
                    continue
            if key in NAME_VARIABLES:
                names = normalize_names(value, key, self.id, warnings)
                if names:
                    self.names[key] = names
            elif key in DATE_VARIABLES:
                if isinstance(value, dict):
                    value = {k: clean_text(v, key, self.id, warnings) if isinstance(v, str) else v
                             for k, v in value.items()}
                d = normalize_date(value)
                if d is not None:
                    self.dates[key] = d
                elif warnings is not None:
                    warnings.append(f"item {self.id!r}: {key}: unreadable date {value!r}, left out")
            elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
                text = _number_text(value) if not isinstance(value, str) else value
                if text is None:
                    if warnings is not None:
                        warnings.append(f"item {self.id!r}: {key}: a number of more than "
                                        f"{LIMITS.max_digits} digits, left out (LIMITS.max_digits)")
                    continue
                if text != "":
                    self.fields[key] = text
            elif isinstance(value, bool):
                self.fields[key] = value
        # CSL 1.0.2 variables Zotero writes in "note" as "key: value" lines.
        note = self.fields.get("note")
        if isinstance(note, str) and ":" in note:
            self._read_note_fields(note)
        # the variables this item has, so evaluation can skip parts of a style that need others
        present = frozenset(k for k, v in self.fields.items() if v not in ("", False)) | \
            frozenset(self.names) | frozenset(self.dates)
        # items of one kind share one set (a catalogue has a few hundred kinds at most; the
        # table is emptied past that, so hostile data cannot grow it)
        self.present = shared(_PRESENT_SETS, present)

    def _read_note_fields(self, note: str) -> None:
        kept = []
        own: set = set()  # name variables whose list is the engine's own (normalize_names)
        for line in note.split("\n"):
            m = re.match(r"^\s*([A-Za-z-]+):\s*(.+?)\s*$", line)
            if not m:
                kept.append(line)
                continue
            key, value = m.group(1).lower(), m.group(2)
            if key in DATE_VARIABLES and key not in self.dates:
                d = normalize_date({"raw": value})
                if d:
                    self.dates[key] = d
                    continue
            if key in NAME_VARIABLES:
                fam, _, giv = value.partition("||")
                if key not in own:  # the list may be the caller's: names are added to a copy
                    self.names[key] = list(self.names.get(key, ()))
                    own.add(key)
                self.names[key].append(
                    {"family": fam.strip(), "given": giv.strip()} if giv else {"literal": fam.strip()})
                continue
            if key == "type" or key in NUMBER_VARIABLES or key in STANDARD_VARIABLES:
                if key == "type":
                    self.type = value
                elif key not in self.fields:
                    self.fields[key] = value
                continue
            kept.append(line)

    def get(self, name: str):
        return self.fields.get(name)


def _number_text(value) -> str | None:
    """An int or float field as text; None for an int too long to print (Python refuses
    to print ints of more than 4,300 digits), or for one longer than LIMITS.max_digits."""
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            return str(value)  # inf, nan and fractions print as Python writes them
    if to_int(value) is None:
        return None
    return str(value)


def clean_text(value, field: str, item_id: str, warnings: list | None) -> str | None:
    """A string from an item, made safe to format: control characters removed, and
    None (with a warning) when it is longer than LIMITS.max_field_length. Other types are
    turned into text first (ids may be numbers); a number too long to print gives None."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if field in ("id", "type"):
                value = _repr_text(value)
            else:
                return None
        else:
            value = _number_text(value)
            if value is None:
                if warnings is not None:
                    warnings.append(f"item {item_id!r}: {field}: a number of more than {LIMITS.max_digits} "
                                    "digits, left out (LIMITS.max_digits)")
                return None
    if len(value) > LIMITS.max_field_length:
        if warnings is not None:
            warnings.append(f"item {item_id!r}: {field}: {len(value):,} characters, more than the "
                            f"{LIMITS.max_field_length:,} allowed (LIMITS.max_field_length); left out")
        return None
    if _SUSPECT_RE.search(value):  # one search for the two checks, in most text finding nothing
        if has_controls(value):
            value = strip_controls(value)
            if warnings is not None:
                warnings.append(f"item {item_id!r}: {field}: control characters removed")
        if _SURROGATE_RE.search(value):
            # a lone surrogate (JSON allows "\\ud800") cannot be written as UTF-8
            value = _SURROGATE_RE.sub("\ufffd", value)
            if warnings is not None:
                warnings.append(f"item {item_id!r}: {field}: lone surrogates replaced by U+FFFD")
    if "<" in value and markup_depth(value) > LIMITS.max_markup_depth and warnings is not None:
        warnings.append(f"item {item_id!r}: {field}: markup nested more than {LIMITS.max_markup_depth} "
                        "levels deep; the deeper tags are kept as text (LIMITS.max_markup_depth)")
    return value


_SURROGATE_RE = lazy.pattern(globals(), "_SURROGATE_RE", "[\ud800-\udfff]")
# a control character (limits.has_controls) or a lone surrogate
_SUSPECT_RE = re.compile(f"[{CONTROL_CHARS}\ud800-\udfff]")


def _repr_text(value) -> str:
    """Any id as text, bounded; a dict or list that holds itself prints as "{...}"."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    return text[:200]


_MARKUP_TAG_RE = lazy.pattern(globals(), "_MARKUP_TAG_RE", r"<(/?)(?:i|b|sup|sub|sc|span)\b[^>]*>")


def markup_depth(text: str) -> int:
    """How deep the markup tags of a field nest (what parse_markup would build)."""
    depth = deepest = 0
    for m in _MARKUP_TAG_RE.finditer(text):
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


# -- names -------------------------------------------------------------------

_NAME_KEYS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")


def normalize_names(value, var: str, item_id: str, warnings) -> list:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        if isinstance(value, str) and value.strip():
            return [{"literal": value.strip()}]
        return []
    if len(value) > LIMITS.max_field_length:
        if warnings is not None:
            warnings.append(f"item {item_id!r}: {var}: {len(value):,} names, more than "
                            f"{LIMITS.max_field_length:,} (LIMITS.max_field_length); left out")
        return []
    out = []
    for n in value:
        if isinstance(n, str):
            n = {"literal": n}
        if not isinstance(n, dict):
            continue
        name = {}
        for k in _NAME_KEYS:
            v = n.get(k)
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                v = clean_text(v, f"{var} {k}", item_id, warnings)
                if v is not None and v.strip() != "":
                    name[k] = v
        if n.get("comma-suffix"):
            name["comma-suffix"] = True
        if n.get("static-ordering"):
            name["static-ordering"] = True
        if n.get("isInstitution"):
            name["isInstitution"] = True
        if not name or (set(name) <= {"comma-suffix", "static-ordering", "isInstitution"}):
            continue
        if "literal" not in name and "family" not in name and "given" in name and n.get("isInstitution"):
            name["literal"] = name.pop("given")
        if "literal" not in name:
            _parse_name(name, n.get("parse-names") is not False and n.get("parse-names") != "false",
                        bool(n.get("static-particles")))
        # the caller's name when it reads the same, key for key: the engine only reads names,
        # and a copy of each would cost a dict per name
        out.append(n if len(n) == len(name) and _same_items(n, name) else name)
    # and the caller's list when every name is its own
    if len(out) == len(value) and all(a is b for a, b in zip(out, value)):
        return value
    return out


def _same_items(a: dict, b: dict) -> bool:
    """The same keys in the same order, with equal values of the same types."""
    for (ka, va), (kb, vb) in zip(a.items(), b.items()):
        if ka != kb or va.__class__ is not vb.__class__ or va != vb:
            return False
    return True


# A leading word of a family name that ends in a space, hyphen or apostrophe ("van ",
# "al-", "d'"), and a trailing word of a given name after a space ("Ludwig van").
_FAMILY_PARTICLE_RE = re.compile("^([^ ]+[-\u02bb\u2019' ] *)(.+)$")
_GIVEN_PARTICLE_RE = re.compile("^(.*?)( +[\u02bb\u2019']?[^ ]+)$")
_PARTICLE_FIRST_RE = lazy.pattern(globals(), "_PARTICLE_FIRST_RE", "^[-'\u02bb\u2019\\s]*(.)")
_SUFFIX_COMMA_RE = re.compile(r"\s*,!*\s*")


def _is_particle(word: str) -> bool:
    m = _PARTICLE_FIRST_RE.match(word)
    return bool(m) and m.group(1).upper() != m.group(1)


def _parse_name(name: dict, parse: bool, static_particles: bool) -> None:
    """Split particles and suffixes out of family and given names as citeproc-js does.

    "van Gogh" in family → non-dropping-particle "van"; "Ludwig van" in given →
    dropping-particle "van"; "John, Jr." in given → suffix "Jr." ("John,! Jr." also
    sets comma-suffix). A family name in double quotes is taken as it is.
    """
    fam = name.get("family")
    if not parse or not fam:
        return
    if len(fam) > 1 and fam[0] == '"' and fam[-1] == '"':
        name["family"] = fam[1:-1]
        return
    if "non-dropping-particle" in name or "given" not in name or static_particles:
        return
    particle = ""
    rest = fam
    while True:
        m = _FAMILY_PARTICLE_RE.match(rest)
        if not m or not _is_particle(m.group(1)):
            break
        particle += m.group(1)
        rest = m.group(2)
    if particle:
        name["family"] = rest
        stripped = particle.strip()
        # "de' Frinkle": an apostrophe particle written apart keeps its space
        if particle.endswith(" ") and stripped[-1:] in ("'", "\u2019"):
            stripped += " "
        name["non-dropping-particle"] = stripped
    given = name["given"]
    if "suffix" not in name:
        m = _SUFFIX_COMMA_RE.search(given)
        if m:
            suffix = given[m.end():]
            if suffix:
                name["suffix"] = suffix
                if m.group(0).replace(" ", "") == ",!":
                    name["comma-suffix"] = True
            given = given[:m.start()]
    dropping = []
    while True:
        m = _GIVEN_PARTICLE_RE.match(given)
        if not m or not m.group(1) or not _is_particle(m.group(2)):
            break
        dropping.insert(0, m.group(2).strip())
        given = m.group(1)
    if dropping:
        name["dropping-particle"] = " ".join(dropping)
    if given:
        name["given"] = given
    else:
        name.pop("given", None)


# -- dates -------------------------------------------------------------------

_ISO_RE = lazy.pattern(globals(), "_ISO_RE",
    r"^\s*(-?\d{1,5})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T[\d:.Z+-]*)?\s*([~?%]?)\s*$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


def _int(v) -> int:
    """A date part as a number; 0 (unknown) when it is none, or too long (LIMITS.max_digits)."""
    if isinstance(v, float):
        try:
            v = int(v)
        except (ValueError, OverflowError):  # nan, an infinite float
            return 0
    return to_int(v) or 0


def normalize_date(value) -> DateValue | None:
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, dict):
        return None
    circa = bool(value.get("circa"))
    season = value.get("season")
    literal = value.get("literal")
    parts_in = value.get("date-parts")
    parts = []
    if isinstance(parts_in, list):
        for p in parts_in[:2]:
            if isinstance(p, (list, tuple)) and p:
                y = _int(p[0])
                m = _int(p[1]) if len(p) > 1 else 0
                d = _int(p[2]) if len(p) > 2 else 0
                if y == 0 and m == 0 and d == 0 and not (isinstance(p[0], (int, str)) and str(p[0]).strip() == "0"):
                    continue
                parts.append((y, m, d))
    if not parts and isinstance(value.get("raw"), str):
        parsed = parse_date_string(value["raw"])
        if parsed is None:
            literal = literal or value["raw"]
        else:
            parsed_parts, raw_circa, raw_season = parsed
            parts = list(parsed_parts)
            circa = circa or raw_circa
            season = season or raw_season
    if parts:
        # Months 13-16 (CSL-JSON) and 21-24 (EDTF; citeproc-js wraps 13-24) are seasons, kept as 13-16 in the
        # month slot so that ranges of seasons work; other months out of range are dropped.
        parts = [_season_month(p) for p in parts]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
    if isinstance(season, str) and to_int(season) is not None:
        season = to_int(season)
    elif not isinstance(season, (int, str)) or isinstance(season, bool):
        season = None  # a list, dict or float would print as Python's repr
    if not parts and not literal:
        return None
    date = DateValue(parts=tuple(parts), season=season, circa=circa,
                     literal=literal if isinstance(literal, str) and not parts else None)
    # equal dates share one value (most items of a list fall in a few years); the table is
    # emptied past its size, so hostile data cannot grow it
    return shared(_DATES, date)


_DATES: dict = {}  # DateValue → the one kept


def _season_month(p):
    y, m, d = p
    if 13 <= m <= 24:
        return (y, 13 + (m - 13) % 4, 0)
    if m < 0 or m > 12:
        return (y, 0, 0)
    if d < 0 or d > 31:
        d = 0
    return (y, m, d)


def parse_date_string(raw: str):
    """ISO 8601 / EDTF dates and ranges, and a few common text forms."""
    raw = raw.strip()
    if not raw:
        return None
    circa = False
    if "/" in raw and not re.search(r"\d/\d{1,2}/\d", raw):
        left, _, right = raw.partition("/")
        if "/" in right:
            return None  # a range has two ends (and recursing once per slash could exhaust the stack)
        a = parse_date_string(left)
        if a is None:
            return None
        b = parse_date_string(right) if right.strip() not in ("", "..") else None
        parts = a[0] + (b[0] if b else ())
        return parts, a[1] or bool(b and b[1]), a[2]
    m = _ISO_RE.match(raw)
    if m:
        y, mo, d, flag = m.groups()
        circa = flag in ("~", "%", "?")
        return ((int(y), int(mo or 0), int(d or 0)),), circa, None
    # "19 December 2006", "December 19, 2006", "Dec 2006", "Spring 2006"
    words = re.findall(r"[A-Za-z]+|\d+", raw)
    year = month = day = 0
    season = None
    for w in words:
        lw = w.lower()
        if w.isdecimal() and to_int(w) is not None:
            n = to_int(w)
            if len(w) >= 3 or (year == 0 and n > 31):
                year = n
            elif day == 0 and n <= 31:
                day = n
            else:
                year = n
        elif lw[:3] in _MONTHS and month == 0:
            month = _MONTHS[lw[:3]]
        elif lw in _SEASONS:
            season = _SEASONS[lw]
        elif lw in ("ca", "circa", "c"):
            circa = True
        else:
            return None
    if year == 0:
        return None
    if month == 0 and day:
        return None
    return ((year, month, day),), circa, season
