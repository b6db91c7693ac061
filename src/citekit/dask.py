"""Catalogues on a Dask cluster: `format_each` partition by partition.

    pip install 'citekit[dask]'

    import dask.bag as db
    from citekit.dask import format_bag, format_dataframe

    lines = db.read_text("catalogue-*.jsonl")               # JSON Lines, one item a line
    format_bag(lines, ["apa", "mla"]).map(json.dumps).to_textfiles("out-*.jsonl")

    df["apa"] = format_dataframe(df, "apa")                  # a column of CSL-JSON fields

Each partition is formatted by `citekit.each` in the worker that holds it, with the
styles parsed once per worker process (sent by name, path or CSL XML text: a path must
exist on every worker; a parsed style goes by the name the registry knows it by). As
with `format_each`, entries are standalone: not sorted, not disambiguated against one
another. Records are read by citekit's one door (`citekit.normalize`, lenient): a bad
one is reported, never stops the computation.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from .each import _check_sendable, _format_record, _prepare

__all__ = ["format_bag", "format_dataframe"]


def _specs(style: Any, format: str, locale: str | None) -> list[tuple[str, Any]]:
    """The styles checked in the client (an unknown one fails before any task runs), as
    what the workers rebuild them from."""
    return _check_sendable(_prepare(style, format, locale))


@functools.lru_cache(maxsize=16)
def _worker_style(spec: str) -> Any:
    # once per worker process and style: partitions after the first find it parsed
    from . import registry

    return registry.resolve(spec)


def _styles(specs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(key, _worker_style(spec)) for key, spec in specs]


# --------------------------------------------------------------------------- bags


def format_bag(bag: Any, style: Any = "apa", *, format: str = "text", locale: str | None = None) -> Any:
    """A Dask bag of the records `citekit bib --each` writes, one per item of `bag`, in order.

    `bag` holds CSL-JSON dicts (or briefs), or JSON text (the lines of `read_text` over
    JSON Lines files: blank lines are skipped). Each record is `{"id": ..., "apa": ...}`,
    one string per style, with `"problems"` (text, as the command prints them) when the
    item had any; an item that could not be used has only its id and its problems.
    """
    specs = _specs(style, format, locale)
    return bag.map_partitions(_bag_partition, specs, format, locale)


def _bag_partition(records: Any, specs: list[tuple[str, Any]], format: str, locale: str | None) -> list[dict]:
    styles = _styles(specs)
    out = []
    for position, record in enumerate(records, 1):
        decode = isinstance(record, (str, bytes))
        entry = _format_record(position, record, styles, format, locale, None, decode)
        if entry is not None:
            out.append(entry.record())
    return out


# --------------------------------------------------------------------------- data frames


def format_dataframe(df: Any, style: Any = "apa", *, column: str | None = None, format: str = "text",
                     locale: str | None = None, problems: str | None = None) -> Any:
    """The reference of each row of a Dask DataFrame, as a new column (a Dask Series with
    the frame's index), partition by partition.

    Without `column`, each row's columns are the item's CSL-JSON fields (`id`, `type`,
    `title`, `author` as a list of name dicts, `issued`, ...; missing values are left
    out, as from a Parquet file of CSL-JSON); with `column`, that column holds each item
    as a dict or as JSON text. With one style the result is a Series named after it; with
    several styles, or with `problems` (the name of a column for each row's problems, as
    text joined by "; ", empty when none), a DataFrame with one column each. A row that
    could not be used has None for its reference.

        df["apa"] = format_dataframe(df, "apa")
    """
    import pandas as pd

    specs = _specs(style, format, locale)
    several = isinstance(style, (list, tuple)) or problems is not None
    names = [key for key, _ in specs]
    if problems is not None and problems in names:
        raise ValueError(f"the problems column {problems!r} has the name of a style")
    if several:
        meta = pd.DataFrame({name: pd.Series([], dtype=object) for name in [*names, *([problems] if problems else [])]})
    else:
        meta = pd.Series([], dtype=object, name=names[0])
    return df.map_partitions(_frame_partition, specs, format, locale, column, several, problems, meta=meta)


def _frame_partition(part: Any, specs: list[tuple[str, Any]], format: str, locale: str | None,
                     column: str | None, several: bool, problems: str | None) -> Any:
    import pandas as pd

    styles = _styles(specs)
    names = [key for key, _ in specs]
    texts: dict[str, list] = {name: [] for name in names}
    said: list[str] = []
    if column is not None:
        rows: Any = part[column].tolist()
    else:
        fields = list(part.columns)
        rows = (dict(zip(fields, values)) for values in part.itertuples(index=False, name=None))
    for position, row in enumerate(rows, 1):
        decode = isinstance(row, (str, bytes)) and bool(row.strip())  # a blank one is reported as no item
        entry = _format_record(position, row if decode else _plain(row), styles, format, locale, None, decode)
        for name in names:
            texts[name].append(entry.texts.get(name) if entry is not None else None)
        said.append("; ".join(str(p) for p in entry.problems) if entry is not None else "")
    if not several:
        return pd.Series(texts[names[0]], index=part.index, dtype=object, name=names[0])
    data = dict(texts)
    if problems is not None:
        data[problems] = said
    return pd.DataFrame(data, index=part.index, dtype=object)


def _plain(value: Any) -> Any:
    """A row's value as CSL-JSON: NumPy arrays and scalars as lists and numbers, missing
    values (None, NaN, pandas' NA) left out of dicts."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if not _missing(v)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    tolist = getattr(value, "tolist", None)  # NumPy arrays (nested columns) and scalars
    if callable(tolist) and not isinstance(value, (str, bytes)):
        return _plain(tolist())
    return value


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - Dask DataFrames bring pandas
        return False
