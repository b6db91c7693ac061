"""What the models accept, told without Pydantic for records in the common shapes.

`reference_csl(item)` is `Reference.model_validate(item).to_csl()` (unknown fields kept,
as the lenient doors keep them) and `brief_csl(item)` is `Brief.model_validate(item).to_csl()`,
computed in plain Python when every value has a shape the models take as it is: text
where text is expected, names and dates as CSL-JSON objects, whole numbers, JSON values
elsewhere. For anything else (a value the models would convert, refuse or report) they
return None and the caller asks the models, so that every message and every repair
stays the models'. `citekit.normalize` uses them so that formatting clean input (the
`citekit cite` command, `cite()` of a dict) does not import Pydantic, whose import and
validators cost more than the whole rest of a short run.

tests/test_cold_start.py checks, on generated and hand-written records, that whatever
these accept the models accept too, with the same CSL-JSON, key order included.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ._vocabulary import (
    DATE_FIELDS,
    DATE_OBJECT_FIELDS,
    ITEM_TYPES,
    NAME_FIELDS,
    NAME_PART_FIELDS,
    NUMBER_FIELDS,
    REFERENCE_FIELDS,
    TEXT_FIELDS,
    csl_alias,
)
from .normalize import slug, unsafe_url

__all__ = ["reference_csl", "brief_csl"]

# CSL-JSON name → what the field holds
_KIND: dict[str, str] = {"id": "id", "type": "type", "categories": "categories", "custom": "custom"}
_KIND.update({csl_alias(n): "names" for n in NAME_FIELDS})
_KIND.update({csl_alias(n): "date" for n in DATE_FIELDS})
_KIND.update({csl_alias(n): "number" for n in NUMBER_FIELDS})
_KIND.update({csl_alias(n): "text" for n in TEXT_FIELDS})
_ORDER = tuple(csl_alias(n) for n in REFERENCE_FIELDS)  # the order to_csl() writes fields in
# Python spellings the models also take (`container_title`): to_csl() renames them, so the
# models decide.
_PYTHON_ONLY = frozenset(REFERENCE_FIELDS) - frozenset(_KIND)
_ITEM_TYPES = frozenset(ITEM_TYPES)

_NAME_KIND = {csl_alias(n): kind for n, kind in NAME_PART_FIELDS}
_NAME_ORDER = tuple(_NAME_KIND)
_NAME_PYTHON_ONLY = frozenset(n for n, _ in NAME_PART_FIELDS) - frozenset(_NAME_KIND)
_DATE_ORDER = tuple(csl_alias(n) for n in DATE_OBJECT_FIELDS)
_DATE_PYTHON_ONLY = frozenset(DATE_OBJECT_FIELDS) - frozenset(_DATE_ORDER)

# each field's place in its order, to put a handful of fields in order without walking it all
_RANK = {k: i for i, k in reversed(list(enumerate(_ORDER)))}
_NAME_RANK = {k: i for i, k in reversed(list(enumerate(_NAME_ORDER)))}
_DATE_RANK = {k: i for i, k in reversed(list(enumerate(_DATE_ORDER)))}

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")  # models.Brief's
_BIG = 1 << 63  # whole numbers past 64 bits are left to the models
_MAX_DEPTH, _MAX_VALUES = 32, 10_000


def _small_int(value: Any) -> bool:
    return type(value) is int and -_BIG < value < _BIG


def _json_copy(value: Any) -> tuple[bool, Any]:
    """(True, a copy) for a value made of JSON types only (str keys, finite floats, no
    cycles, within the depth and size above), which the models keep and dump unchanged;
    (False, None) otherwise."""
    count = 0

    def copy(v: Any, depth: int) -> Any:
        nonlocal count
        count += 1
        if count > _MAX_VALUES or depth > _MAX_DEPTH:
            raise ValueError
        t = type(v)
        if t is str or t is bool or v is None:
            return v
        if t is int:
            if not -_BIG < v < _BIG:
                raise ValueError
            return v
        if t is float:
            if v != v or v in (float("inf"), float("-inf")):
                raise ValueError
            return v
        if t is list:
            return [copy(x, depth + 1) for x in v]
        if t is dict:
            out = {}
            for k, x in v.items():
                if type(k) is not str:
                    raise ValueError
                out[k] = copy(x, depth + 1)
            return out
        raise ValueError

    try:
        return True, copy(value, 0)
    except (ValueError, RecursionError):
        return False, None


def _in_order(fields: dict[str, Any], rank: dict[str, int]) -> dict[str, Any]:
    """`{k: fields[k] for k in order if k in fields}`, for order's ranks."""
    keys = [k for k in fields if k in rank]
    keys.sort(key=rank.__getitem__)
    return {k: fields[k] for k in keys}


def _extra_key(key: Any) -> bool:
    # a field of one's own the models keep as it is (a leading underscore is left to them)
    return type(key) is str and not key.startswith("_")


def _name(value: Any) -> dict[str, Any] | None:
    """`Name.model_validate(value).to_csl()` for a dict of name parts, or None."""
    if type(value) is not dict:
        return None
    fields: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for key, v in value.items():
        kind = _NAME_KIND.get(key) if type(key) is str else None
        if kind is None:
            if not _extra_key(key) or key in _NAME_PYTHON_ONLY:
                return None
            ok, v = _json_copy(v)
            if not ok:
                return None
            extras[key] = v
        elif kind == "text":
            if type(v) is not str:
                return None
            fields[key] = v
        else:  # bool | int | str
            if not (type(v) is bool or type(v) is str or _small_int(v)):
                return None
            fields[key] = v
    if not (fields.get("family") or fields.get("given") or fields.get("literal")):
        return None  # the models say a name needs one of them
    return {**_in_order(fields, _NAME_RANK), **extras}


def _names(value: Any) -> list[dict[str, Any]] | None:
    if type(value) is not list:
        return None
    out = []
    for name in value:
        parts = _name(name)
        if parts is None:
            return None
        out.append(parts)
    return out


def _date_part(value: Any) -> int | None:
    if type(value) is str or _small_int(value):
        return _to_int()(value)
    return None


@functools.lru_cache(maxsize=None)
def _to_int():
    # imported on first use, not with this module, and not on every call either
    from citekit.csl.limits import to_int

    return to_int


def _date(value: Any) -> dict[str, Any] | None:
    """`Date.model_validate(value).to_csl()` for a CSL-JSON date object, or None."""
    if type(value) is not dict or ("date-parts" not in value and "year" in value):
        return None  # pandoc's {year: ...} is rewritten by the models
    fields: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for key, v in value.items():
        if key == "date-parts":
            if type(v) is not list or not 1 <= len(v) <= 2:
                return None
            points = []
            for point in v:
                if type(point) is not list or not 1 <= len(point) <= 3:
                    return None
                nums = [_date_part(p) for p in point]
                if None in nums:
                    return None
                if len(nums) > 1 and not (0 <= nums[1] <= 16 or 21 <= nums[1] <= 24):
                    return None
                if len(nums) > 2 and not 0 <= nums[2] <= 31:
                    return None
                points.append(list(point))
            fields[key] = points
        elif key == "season":
            if not (type(v) is str or _small_int(v)):
                return None
            fields[key] = v
        elif key == "circa":
            if not (type(v) is bool or type(v) is str or _small_int(v)):
                return None
            fields[key] = v
        elif key in ("literal", "raw"):
            if type(v) is not str:
                return None
            fields[key] = v
        else:
            if not _extra_key(key) or key in _DATE_PYTHON_ONLY:
                return None
            ok, v = _json_copy(v)
            if not ok:
                return None
            extras[key] = v
    if not (fields.get("date-parts") or fields.get("literal") or fields.get("raw")):
        return None
    return {**_in_order(fields, _DATE_RANK), **extras}


def reference_csl(item: Any) -> dict[str, Any] | None:
    """`Reference.model_validate(item).to_csl()` with unknown fields kept, or None when
    the models must decide (see the module's docstring)."""
    if type(item) is not dict:
        return None
    fields: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for key, v in item.items():
        kind = _KIND.get(key) if type(key) is str else None
        if kind is None:
            if not _extra_key(key) or key in _PYTHON_ONLY:
                return None
            ok, v = _json_copy(v)
            if not ok:
                return None
            extras[key] = v
            continue
        if kind == "text":
            if type(v) is not str or (key == "URL" and unsafe_url(v)):
                return None
        elif kind == "names":
            v = _names(v)
            if v is None:
                return None
        elif kind == "date":
            v = _date(v)
            if v is None:
                return None
        elif kind == "number" or kind == "id":
            if not (type(v) is str or _small_int(v)):
                return None
        elif kind == "type":
            if type(v) is not str or v not in _ITEM_TYPES:
                return None
        elif kind == "categories":
            if type(v) is not list or any(type(c) is not str for c in v):
                return None
            v = list(v)
        else:  # custom
            if type(v) is not dict:
                return None
            ok, v = _json_copy(v)
            if not ok:
                return None
        fields[key] = v
    if "type" not in fields:
        return None
    return {**_in_order(fields, _RANK), **extras}


def brief_csl(item: Any) -> dict[str, Any] | None:
    """`Brief.model_validate(item).to_csl()`, or None when the models must decide."""
    if type(item) is not dict or ("authors" in item and "author" in item):
        return None
    title = item.get("title")
    if type(title) is not str or not title.strip():
        return None
    values: dict[str, Any] = {}
    for key, v in item.items():
        if key == "title":
            continue
        if key in ("authors", "author"):
            v = _names(v)
        elif key in ("date", "accessed", "updated"):
            v = v if _date(v) is not None else None
        elif key in ("publisher", "kind", "id"):
            v = (v.strip() or False) if type(v) is str else None  # False: given but blank (None)
        elif key == "url":
            v = v.strip() if type(v) is str else None
            if v is not None and (not _URL.match(v) or unsafe_url(v)):
                v = None
        else:
            return None  # not a field of a Brief
        if v is None:
            return None
        values[key] = v
    title = title.strip()
    text = {k: values.get(k) or None for k in ("publisher", "kind", "id")}
    authors = values.get("authors", values.get("author", []))
    date, updated = values.get("date"), values.get("updated")
    issued = date if date is not None else updated
    out: dict[str, Any] = {"id": text["id"] or _default_id(title, authors, issued), "type": "webpage",
                           "title": title}
    if authors:
        out["author"] = authors
    if issued is not None:
        out["issued"] = _date(issued)
    if text["publisher"]:
        out["container-title"] = text["publisher"]
    if text["kind"]:
        out["genre"] = text["kind"]
    if values.get("url"):
        out["URL"] = values["url"]
    if values.get("accessed") is not None:
        out["accessed"] = _date(values["accessed"])
    if updated is not None:
        out["custom"] = {"updated": _date(updated)}
    return out


def _default_id(title: str, authors: list[dict[str, Any]], issued: dict[str, Any] | None) -> str:
    # models.Brief.default_id, on the CSL-JSON of its fields
    stem = ""
    if authors:
        first = authors[0]
        stem = slug(first.get("family") or (first.get("literal") or first.get("given") or "").split(" ")[0])
    if not stem:
        words = re.findall(r"\w+", title)
        stem = slug(next((w for w in words if len(w) > 3), words[0] if words else ""))
    year = None
    if issued is not None and issued.get("date-parts"):
        year = _date_part(issued["date-parts"][0][0])
    return (stem or "brief") + ("" if year is None else str(year))
