"""Typed references: `Name`, `Date`, `Reference` (any CSL 1.0.2 item) and `Brief` (a web page).

The models validate at the boundary, so that nothing half-valid reaches the engine, and
they map losslessly to and from CSL-JSON, the engine's input:

    ref = Reference.from_csl({"id": "x", "type": "book", "title": "T", "container-title": "C"})
    ref.container_title          # "C"  (Python names, CSL-JSON aliases)
    ref.to_csl()                 # the same dict back, unknown fields included

Names and dates also take the forms people write: `Name("Zissis, Carin")`,
`Date("2006-12-19")`, `Date(datetime.date(2006, 12, 19))`, `Date("2004/2006")`.
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._vocabulary import ITEM_TYPES as _VOCABULARY_ITEM_TYPES
from ._vocabulary import csl_alias
from .errors import ItemError
from .normalize import item_shape_problem as _item_shape_problem
from .normalize import safe_repr as _safe_repr
from .normalize import slug as _slug

__all__ = [
    "Name",
    "Date",
    "Reference",
    "Brief",
    "ITEM_TYPES",
    "NAME_VARIABLES",
    "DATE_VARIABLES",
    "NUMBER_VARIABLES",
    "STANDARD_VARIABLES",
    "parse_item",
    "parse_name",
    "parse_date",
    "json_schema",
]

# --- CSL 1.0.2 vocabulary -------------------------------------------------------------

# the item types of CSL 1.0.2, from the one table citekit._vocabulary keeps
ItemType = Literal[_VOCABULARY_ITEM_TYPES]  # type: ignore[valid-type]
ITEM_TYPES: tuple[str, ...] = get_args(ItemType)

# CSL-JSON spellings of the fields (`container_title` → `container-title`, `doi` → `DOI`);
# citekit._vocabulary holds the same tables without Pydantic, for citekit.normalize.
_csl_alias = csl_alias


# --- Names ----------------------------------------------------------------------------

def parse_name(text: str) -> dict[str, str]:
    """Split a written name into CSL name parts.

    "Carin Zissis", "Zissis, Carin", "Ludwig van Beethoven" (dropping particle),
    "van Gogh, Vincent" (non-dropping particle), "Martin Luther King, Jr.",
    "King, Martin Luther, Jr.", and "{Council on Foreign Relations}" (braces: a literal
    name, for organisations) are understood. Text it cannot split raises a ValueError
    (a PydanticCustomError, as the models report it).
    """
    from .normalize import NameProblem, split_name  # the one name rule, without Pydantic

    try:
        return split_name(text)
    except NameProblem as exc:
        raise exc.as_pydantic() from None


class _CSLModel(BaseModel):
    """Shared configuration: Python names in code, CSL-JSON names on the wire, extras kept."""

    model_config = ConfigDict(
        alias_generator=_csl_alias,
        populate_by_name=True,
        extra="allow",
        validate_assignment=True,
        defer_build=True,  # validators are built on first use: a command that needs one model pays for one
    )

    # Other input forms the model accepts besides its object form, for the JSON Schema.
    _schema_alternatives: ClassVar[tuple[dict[str, Any], ...]] = ()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = handler.resolve_ref_schema(handler(core_schema))
        if handler.mode != "validation" or not cls._schema_alternatives:
            return schema
        return {"title": schema.get("title", cls.__name__), "description": schema.pop("description", ""),
                "anyOf": [schema, *cls._schema_alternatives]}

    def __init__(self, value: Any = None, /, **data: Any) -> None:
        # One positional value goes through the same validation as a field value would:
        # Name("Zissis, Carin"), Date("2006-12-19"), Reference({...CSL-JSON...}).
        if value is None:
            super().__init__(**data)
            return
        if data:
            raise TypeError(f"{type(self).__name__}() takes one value or keyword fields, not both")
        self.__pydantic_validator__.validate_python(value, self_instance=self)

    def __repr_args__(self):
        # Short reprs: only the fields that are set (a Reference has ~130 fields).
        for name, value in super().__repr_args__():
            if name is None or name in self.model_fields_set or name not in type(self).model_fields:
                yield name, value

    def to_csl(self) -> dict[str, Any]:
        """This object as CSL-JSON (only the fields that were given, unknown fields included)."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")


class Name(_CSLModel):
    """A person or organisation, as CSL-JSON names them.

    Build one from a dict of name parts, or from a written name: `Name("Carin Zissis")`,
    `Name("Zissis, Carin")`, `Name("{Council on Foreign Relations}")` (a literal name).
    """

    family: str | None = None
    given: str | None = None
    dropping_particle: str | None = None
    non_dropping_particle: str | None = None
    suffix: str | None = None
    comma_suffix: bool | int | str | None = None
    static_ordering: bool | int | str | None = None
    literal: str | None = None
    parse_names: bool | int | str | None = None

    _schema_alternatives = ({"type": "string", "description": "a written name: 'Carin Zissis', 'Zissis, Carin', "
                                                             "'{Council on Foreign Relations}'"},)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            from .normalize import NameProblem, name_from_text

            try:
                return name_from_text(value)
            except NameProblem as exc:
                raise exc.as_pydantic() from None
        if isinstance(value, (Mapping, Name)):
            return value
        raise PydanticCustomError(
            "name_type", "expected a name as text ('Zissis, Carin') or name parts (family, given, ...), got {input}",
            {"input": _safe_repr(value)},
        )

    @model_validator(mode="after")
    def _not_empty(self) -> Name:
        if not (self.family or self.given or self.literal):
            raise PydanticCustomError("name_empty", "a name needs a family name, a given name or a literal name")
        return self

    @classmethod
    def parse(cls, text: str) -> Name:
        """`Name.parse("King, Martin Luther, Jr.")`, the same as `Name(text)`."""
        return cls(text)

    def __str__(self) -> str:
        if self.literal:
            return self.literal
        head = " ".join(p for p in (self.given, self.dropping_particle, self.non_dropping_particle, self.family) if p)
        return f"{head} {self.suffix}" if self.suffix else head


def _one_or_many(value: Any) -> Any:
    # A single name where a list is expected is a list of one.
    if isinstance(value, (str, Mapping, Name)):
        return [value]
    return value


NameList = Annotated[list[Name], BeforeValidator(_one_or_many)]


# --- Dates ----------------------------------------------------------------------------

def _date_error(value: Any) -> PydanticCustomError:
    from .normalize import DATE_FORMS

    return PydanticCustomError("date_format", "expected a date: {forms}; got {input}",
                               {"forms": DATE_FORMS, "input": _safe_repr(value)})


def parse_date(text: str) -> dict[str, Any]:
    """A date string as a CSL-JSON date object, by citekit's one date rule
    (`citekit.normalize.read_date`): ISO 8601 / EDTF, 2006/12/19, and English dates with
    the month as a word ("19 December 2006", "Dec 19 2006"). Raises a ValueError naming
    the forms it reads for anything else (no date is guessed).
    """
    from .normalize import DATE_FORMS, DateProblem, read_date

    try:
        return read_date(text)
    except DateProblem as exc:
        hint = "" if exc.impossible else f", or {{'literal': {text!r}}} for a date to print as written"
        raise PydanticCustomError("date_format", "{why}; expected {forms}{hint}",
                                  {"why": str(exc), "forms": DATE_FORMS, "hint": hint}) from None


def _as_int(part: int | str) -> int | None:
    from citekit.csl.limits import to_int

    if isinstance(part, bool):
        return None
    return to_int(part if isinstance(part, int) else str(part))  # None past LIMITS.max_digits


class Date(_CSLModel):
    """A CSL-JSON date: date parts (a point or a range), season, circa, or a literal.

    `Date("2006-12-19")`, `Date("2006-12")`, `Date("2006~")`, `Date("2004/2006")`,
    `Date(datetime.date(2006, 12, 19))`, `Date(2006)`, or a CSL-JSON date object
    `{"date-parts": [[2006, 12, 19]]}`; `Date(literal="Spring term, 1850s")` for dates no
    parts can say.
    """

    date_parts: list[list[int | str]] | None = None
    season: int | str | None = None
    circa: bool | int | str | None = None
    literal: str | None = None
    raw: str | None = None

    _schema_alternatives = (
        {"type": "string", "description": "ISO 8601 / EDTF: 2006-12-19, 2006-12, 2006, 2006~, 2004/2006"},
        {"type": "integer", "description": "a year"},
    )

    @model_validator(mode="before")
    @classmethod
    def _from_value(cls, value: Any) -> Any:
        if isinstance(value, Date):
            return value
        from .normalize import DateProblem, date_value

        try:
            coerced = date_value(value)
        except DateProblem:
            return parse_date(value)  # raises, naming the forms citekit reads
        if not isinstance(coerced, Mapping):
            raise _date_error(value)
        return coerced

    @field_validator("date_parts")
    @classmethod
    def _check_parts(cls, value: list[list[int | str]] | None) -> list[list[int | str]] | None:
        if value is None:
            return value
        if not 1 <= len(value) <= 2:
            raise PydanticCustomError("date_parts", "date-parts holds one date or two (a range), got {n}", {"n": len(value)})
        for point in value:
            if not 1 <= len(point) <= 3:
                raise PydanticCustomError("date_parts", "each date in date-parts is [year], [year, month] or [year, month, day], got {p}", {"p": _safe_repr(point)})
            nums = [_as_int(p) for p in point]
            if None in nums:
                raise PydanticCustomError("date_parts", "date parts are whole numbers, got {p}", {"p": _safe_repr(point)})
            # Months 13-16 and 21-24 are the seasons citeproc-js reads from date-parts.
            if len(nums) > 1 and not (0 <= nums[1] <= 16 or 21 <= nums[1] <= 24):
                raise PydanticCustomError("date_parts", "no month {m} in {p}", {"m": nums[1], "p": point})
            if len(nums) > 2 and not 0 <= nums[2] <= 31:
                raise PydanticCustomError("date_parts", "no day {d} in {p}", {"d": nums[2], "p": point})
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Date:
        if not (self.date_parts or self.literal or self.raw):
            raise PydanticCustomError("date_empty", "a date needs date-parts, a literal or a raw value")
        return self

    def _point(self, index: int) -> list[int | None]:
        if not self.date_parts or index >= len(self.date_parts):
            return [None, None, None]
        nums = [_as_int(p) for p in self.date_parts[index]]
        return (nums + [None, None, None])[:3]

    @property
    def year(self) -> int | None:
        return self._point(0)[0]

    @property
    def month(self) -> int | None:
        return self._point(0)[1]

    @property
    def day(self) -> int | None:
        return self._point(0)[2]

    @property
    def is_range(self) -> bool:
        return bool(self.date_parts) and len(self.date_parts) == 2

    @property
    def edtf(self) -> str | None:
        """The date as an EDTF string ("2006-12-19", "2006~", "2004/2006"), None for a literal."""
        if not self.date_parts:
            return None
        season = _as_int(self.season) if self.season is not None else None
        texts = []
        for i in range(len(self.date_parts)):
            y, m, d = self._point(i)
            text = f"{y:05d}" if y is not None and y < 0 else f"{y:04d}"
            if i == 0 and season in (1, 2, 3, 4) and m is None:
                text += f"-{season + 20}"
            if m:
                text += f"-{m:02d}"
                if d:
                    text += f"-{d:02d}"
            texts.append(text)
        return "/".join(texts) + ("~" if self.circa else "")

    def to_date(self) -> _dt.date | None:
        """The (start) date as a `datetime.date` when year, month and day are known."""
        y, m, d = self._point(0)
        try:
            return _dt.date(y, m, d) if y and m and d else None
        except ValueError:
            return None

    def __str__(self) -> str:
        return self.edtf or self.literal or self.raw or ""


# --- Reference: any CSL item --------------------------------------------------------------

# Set by citekit.normalize's lenient mode, which keeps unknown fields and reports them.
# (A context variable: the models' own __init__ hides pydantic's validation context.)
KEEP_UNKNOWN_FIELDS: contextvars.ContextVar[bool] = contextvars.ContextVar("citekit_keep_unknown", default=False)


def _refuse_unknown(model: type[BaseModel], value: Mapping[str, Any]) -> None:
    from .normalize import _field_names, unknown_field_message

    known = _field_names(model) | ({"author"} if model is Brief else set())
    for key in value:
        if key not in known:
            raise PydanticCustomError("unknown_field", "{field}: {message}",
                                      {"field": str(key), "message": unknown_field_message(str(key), model)})


def _check_url_scheme(value: str | None) -> str | None:
    from .normalize import unsafe_url

    if unsafe_url(value):
        raise PydanticCustomError("url", "a javascript:, data:, vbscript: or file: URL is never used, got {input}",
                                  {"input": repr(value[:60])})
    return value


def _check_type(value: Any) -> Any:
    if isinstance(value, str) and value not in ITEM_TYPES:
        close = difflib.get_close_matches(value, ITEM_TYPES, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else " (see citekit.models.ITEM_TYPES)"
        raise PydanticCustomError("item_type", "unknown CSL item type {input}{hint}", {"input": _safe_repr(value), "hint": hint})
    return value


Number = int | str  # CSL number variables: "12", 12, "xii", "3-5"


class Reference(_CSLModel):
    """One CSL 1.0.2 item: every item type and variable, with Python names.

    Field names are the CSL variable names with `_` for `-` (`container_title` ↔
    `container-title`), lower case for the upper-case ones (`doi` ↔ `DOI`, `url` ↔ `URL`).
    Unknown fields are kept and written back by `to_csl()`.
    """

    id: str | int | None = None
    type: Annotated[ItemType, BeforeValidator(_check_type)]

    # Name variables
    author: NameList | None = None
    chair: NameList | None = None
    collection_editor: NameList | None = None
    compiler: NameList | None = None
    composer: NameList | None = None
    container_author: NameList | None = None
    contributor: NameList | None = None
    curator: NameList | None = None
    director: NameList | None = None
    editor: NameList | None = None
    editorial_director: NameList | None = None
    editor_translator: NameList | None = None
    executive_producer: NameList | None = None
    guest: NameList | None = None
    host: NameList | None = None
    illustrator: NameList | None = None
    interviewer: NameList | None = None
    narrator: NameList | None = None
    organizer: NameList | None = None
    original_author: NameList | None = None
    performer: NameList | None = None
    producer: NameList | None = None
    recipient: NameList | None = None
    reviewed_author: NameList | None = None
    script_writer: NameList | None = None
    series_creator: NameList | None = None
    translator: NameList | None = None

    # Date variables
    accessed: Date | None = None
    available_date: Date | None = None
    event_date: Date | None = None
    issued: Date | None = None
    original_date: Date | None = None
    submitted: Date | None = None

    # Number variables (CSL-JSON allows text or numbers)
    chapter_number: Number | None = None
    citation_number: Number | None = None
    collection_number: Number | None = None
    edition: Number | None = None
    first_reference_note_number: Number | None = None
    issue: Number | None = None
    locator: Number | None = None
    number: Number | None = None
    number_of_pages: Number | None = None
    number_of_volumes: Number | None = None
    page: Number | None = None
    page_first: Number | None = None
    part_number: Number | None = None
    printing_number: Number | None = None
    section: Number | None = None
    supplement_number: Number | None = None
    version: Number | None = None
    volume: Number | None = None
    # The CSL-JSON schema's names for three of them
    part: Number | None = None
    printing: Number | None = None
    supplement: Number | None = None

    # Standard (text) variables
    abstract: str | None = None
    annote: str | None = None
    archive: str | None = None
    archive_collection: str | None = None
    archive_location: str | None = None
    archive_place: str | None = None
    authority: str | None = None
    call_number: str | None = None
    citation_key: str | None = None
    citation_label: str | None = None
    collection_title: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    dimensions: str | None = None
    division: str | None = None
    doi: str | None = None
    event: str | None = None
    event_place: str | None = None
    event_title: str | None = None
    genre: str | None = None
    isbn: str | None = None
    issn: str | None = None
    journal_abbreviation: str | None = None
    jurisdiction: str | None = None
    keyword: str | None = None
    language: str | None = None
    license: str | None = None
    medium: str | None = None
    note: str | None = None
    original_publisher: str | None = None
    original_publisher_place: str | None = None
    original_title: str | None = None
    part_title: str | None = None
    pmcid: str | None = None
    pmid: str | None = None
    publisher: str | None = None
    publisher_place: str | None = None
    references: str | None = None
    reviewed_genre: str | None = None
    reviewed_title: str | None = None
    scale: str | None = None
    short_title: str | None = None
    source: str | None = None
    status: str | None = None
    title: str | None = None
    title_short: str | None = None
    url: str | None = None
    volume_title: str | None = None
    volume_title_short: str | None = None
    year_suffix: str | None = None

    # Not variables, but part of CSL-JSON
    categories: list[str] | None = None
    custom: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _known_fields(cls, value: Any) -> Any:
        # CSL-JSON has no other fields (data of one's own goes under `custom`); the lenient
        # doors (render(), readers, the command) keep unknown ones and report them instead.
        if isinstance(value, Mapping) and not KEEP_UNKNOWN_FIELDS.get():
            _refuse_unknown(cls, value)
        return value

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str | None) -> str | None:
        return _check_url_scheme(value)

    @classmethod
    def from_csl(cls, data: Mapping[str, Any]) -> Reference:
        """A Reference from a CSL-JSON item; raises `ItemError` naming the item and field.

        Names and dates may be written as text (`"Poe, Edgar Allan"`, `"Dec 19 2006"`), by the
        rules of `citekit.normalize`; unknown fields are refused (with the closest field name).
        """
        from .normalize import check_item

        if not isinstance(data, Mapping) or "type" not in data:
            return _validate(cls, data)  # CSL-JSON, not a brief: "type: required but missing"
        item, _ = check_item(data, strict=True)
        return cls.model_validate(item)


NAME_VARIABLES = tuple(_csl_alias(n) for n, f in Reference.model_fields.items() if f.annotation == (NameList | None))
DATE_VARIABLES = tuple(_csl_alias(n) for n, f in Reference.model_fields.items() if f.annotation == (Date | None))
NUMBER_VARIABLES = tuple(_csl_alias(n) for n, f in Reference.model_fields.items() if f.annotation == (Number | None))
STANDARD_VARIABLES = tuple(_csl_alias(n) for n, f in Reference.model_fields.items() if f.annotation == (str | None))


# --- Brief: a web page, the common case -----------------------------------------------------

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


class Brief(BaseModel):
    """The metadata of a web page or online article, the common case.

    It maps to a CSL `webpage` item: `publisher` (the site or organisation that publishes
    the page) becomes `container-title` and `kind` (the page's own label, e.g.
    "Analysis Brief") becomes `genre`. `updated` (the last-modified date) has no CSL
    variable: it is kept under `custom.updated`, and stands in for `date` when no
    publication date is given, as MLA and APA ask.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    title: str
    authors: NameList = Field(default_factory=list, validation_alias=AliasChoices("authors", "author"))
    date: Date | None = None
    publisher: str | None = None
    url: str | None = None
    kind: str | None = None
    accessed: Date | None = None
    updated: Date | None = None
    id: str | None = Field(None, description="The CSL item id; derived from the first author and year when absent.")

    @model_validator(mode="before")
    @classmethod
    def _known_fields(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            _refuse_unknown(cls, value)
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("title_empty", "expected the page's title, got an empty string")
        return value

    @field_validator("publisher", "kind", "id")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not _URL.match(value):
            raise PydanticCustomError("url", "expected an absolute URL such as https://example.org/page, got {input}", {"input": _safe_repr(value)})
        return _check_url_scheme(value)

    def __repr_args__(self):
        for name, value in super().__repr_args__():
            if name in self.model_fields_set:
                yield name, value

    def default_id(self) -> str:
        """A stable id: the first author's family name and the year, e.g. "zissis2006"."""
        stem = ""
        if self.authors:
            first = self.authors[0]
            # the whole family name ("La Fontaine"), or an organisation's first word
            stem = _slug(first.family or (first.literal or first.given or "").split(" ")[0])
        if not stem:  # no author: the title's first word of some length
            words = re.findall(r"\w+", self.title)
            stem = _slug(next((w for w in words if len(w) > 3), words[0] if words else ""))
        issued = self.date or self.updated
        year = issued.year if issued is not None else None
        return (stem or "brief") + ("" if year is None else str(year))

    def to_csl(self) -> dict[str, Any]:
        """The CSL-JSON `webpage` item the engine formats."""
        item: dict[str, Any] = {"id": self.id or self.default_id(), "type": "webpage", "title": self.title}
        if self.authors:
            item["author"] = [n.to_csl() for n in self.authors]
        issued = self.date or self.updated
        if issued is not None:
            item["issued"] = issued.to_csl()
        if self.publisher:
            item["container-title"] = self.publisher
        if self.kind:
            item["genre"] = self.kind
        if self.url:
            item["URL"] = self.url
        if self.accessed is not None:
            item["accessed"] = self.accessed.to_csl()
        if self.updated is not None:
            item["custom"] = {"updated": self.updated.to_csl()}
        return item

    def to_reference(self) -> Reference:
        return Reference.from_csl(self.to_csl())

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Brief:
        """A Brief from a dict (JSON or YAML); raises `ItemError` naming the field
        (an unknown one with the closest field name: "pubisher: ... did you mean publisher?")."""
        return _validate(cls, data)


# --- Validation at the boundary ---------------------------------------------------------------

# Error types whose messages already say what was expected and what was given.
_OWN_ERRORS = {"name_empty", "name_form", "name_type", "date_format", "date_parts", "date_empty",
               "item_type", "url", "title_empty", "unknown_field"}


def _field_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else ("." if path else "") + str(part)
    return path


def _safe_id(value: Any) -> str | int | None:
    """An item's id as errors show it: only a string or a number, and never a long one."""
    from citekit.csl.limits import strip_controls, to_int

    if isinstance(value, str):
        return strip_controls(value if len(value) <= 80 else value[:80] + "…")
    if isinstance(value, int) and not isinstance(value, bool) and to_int(value) is not None:
        return value
    return None


def _validate(model: type[BaseModel], data: Any, position: int | None = None) -> Any:
    """`model.model_validate(data)`, with the first problem as an `ItemError` naming item and field."""
    item_id = _safe_id(data.get("id")) if isinstance(data, Mapping) else None
    problem = _item_shape_problem(data)
    if problem is not None:
        field, _, message = problem.rpartition(": ")
        raise ItemError(message, item_id=item_id, field=field or None, position=position)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        kind, message = first["type"], first["msg"]
        loc = first["loc"]
        if kind == "unknown_field":
            loc, message = (first["ctx"]["field"],), first["ctx"]["message"]
        elif kind == "missing":
            message = "required but missing"
        elif kind == "extra_forbidden":
            close = difflib.get_close_matches(str(first["loc"][-1]), list(model.model_fields), n=1)
            message = (f"not a field of a {model.__name__}; did you mean {close[0]}?" if close else
                       f"not a field of a {model.__name__} (its fields: {', '.join(model.model_fields)})")
        elif kind not in _OWN_ERRORS and not isinstance(first["input"], (Mapping, list)):
            message += f", got {_safe_repr(first['input'])}"
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        raise ItemError(message, item_id=item_id, field=_field_path(loc) or None,
                        position=position) from None


BRIEF_KEYS = frozenset({*Brief.model_fields, "author"})
REFERENCE_KEYS = frozenset({*Reference.model_fields, *(f.alias for f in Reference.model_fields.values() if f.alias)})


def parse_item(data: Any, position: int | None = None) -> Reference | Brief:
    """A validated model from one input object: a `Brief` when it has no `type` and no
    field only a CSL item has, else a `Reference` (see `citekit.normalize`).

    `position` (1-based) names the item in errors when it has no id.
    """
    if isinstance(data, (Reference, Brief)):
        return data
    from .normalize import check_item, is_brief

    if isinstance(data, Mapping) and is_brief(data):
        return _validate(Brief, data, position)
    item, _ = check_item(data, strict=True, position=position)
    return Reference.model_validate(item)


_SCHEMA_MODELS = {"reference": Reference, "brief": Brief, "name": Name, "date": Date}


def json_schema(model: str = "reference") -> dict[str, Any]:
    """The JSON Schema of one model: "reference" (a CSL-JSON item), "brief", "name" or "date".

        json_schema("brief")["required"]   # ['title']
    """
    try:
        cls = _SCHEMA_MODELS[model.lower()]
    except KeyError:
        raise ValueError(f"no model {model!r}; expected one of {', '.join(_SCHEMA_MODELS)}") from None
    schema = cls.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
