"""Catalogues: one standalone reference per item, streamed, on one core or all of them.

`format_each(items, style)` reads items from any iterable (a list, a generator over a
JSON Lines file, a database cursor) and yields a `Formatted` per item as soon as it is
made, so that memory does not grow with the number of items. Each entry is what
`citekit.cite()` prints for the item alone: there is no document, so no sorting and no
disambiguation (no year suffixes, no added names or initials). Records are read by
citekit's one door (`citekit.normalize`, lenient, as the command reads files): a bad
record yields a `Formatted` with its problems and no text, and the next ones go on.

`jobs > 1` (0: every core) formats in worker processes, each parsing the styles once;
records travel in chunks and a bounded number of chunks is in flight, so that the input
is read only as fast as the workers format it and the output keeps the input's order.
The command's `citekit bib --each` and `citekit.dask` use the same path.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .normalize import Problem, check_item

__all__ = ["format_each", "Formatted"]

# Records per task sent to a worker: large enough that the cost of sending a task is
# small beside formatting it (about a millisecond a record), small enough to keep a few
# tasks per worker in flight with little memory.
CHUNK_SIZE = 64
# Tasks in flight per worker: one being formatted, the next ones waiting, so that no worker
# waits for the reader; the input is read no further ahead than this.
_IN_FLIGHT_PER_JOB = 3


@dataclass(frozen=True)
class Formatted:
    """One item of `format_each`: its reference in each style, and what was wrong with it.

    `texts` maps each style, as it was given (`"apa"`), to the item's reference; it is
    empty when the record could not be used (see `problems`). `id` is the item's id
    (`"item-N"` when it has none), `position` its 1-based place in the input (in a file
    read by the command, the line where its record starts). `problems` are those of the input
    (`citekit.normalize.Problem`: key, field, message, and whether the record was
    skipped); `warnings` the engine's (missing terms and the like).
    """

    id: Any
    position: int
    texts: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the item was formatted (possibly after a repair listed in `problems`)."""
        return bool(self.texts)

    @property
    def text(self) -> str | None:
        """The reference in the first (or only) style; None for a record that was skipped."""
        return next(iter(self.texts.values()), None)

    def record(self) -> dict[str, Any]:
        """The JSON Lines record `citekit bib --each` writes: `{"id": ..., "apa": ...}`,
        with `"problems"` (as text) when there were any."""
        out: dict[str, Any] = {"id": self.id, **self.texts}
        if self.problems:
            out["problems"] = [str(p) for p in self.problems]
        return out


def format_each(items: Iterable[Any], style: Any = "apa", *, format: str = "text", locale: str | None = None,
                jobs: int = 1, chunk_size: int = CHUNK_SIZE) -> Iterator[Formatted]:
    """Yield one `Formatted` per item: its standalone reference in `style`, in input order.

    `items` is any iterable of CSL-JSON dicts, briefs or citekit models, read lazily: a
    generator over a million-line file is fine, and memory stays the same whatever the
    number of items. `style` is a name, path, CSL XML or parsed style (as for `cite()`),
    or a list of them: each `Formatted` then holds one string per style. Entries are
    formatted one by one, as `cite()` formats them: not sorted, not disambiguated
    against one another (use `bibliography()` for a reference list). A style without a
    bibliography gives the item's citation, as `cite()` does.

    Records are read leniently by `citekit.normalize`, as the command reads a file: a
    record that cannot be used yields a `Formatted` with its problems and no text; a
    repaired one (a date kept as written) yields its text and the problem.

    `jobs` > 1 formats in that many worker processes (0: one per core), each parsing the
    styles once, `chunk_size` records at a time; the output keeps the input's order. With
    worker processes, a style is sent to them by name, path or XML text (a parsed style
    only when the registry gave it), and the items must pickle. On platforms that start
    workers by spawning (Windows, macOS), call this under `if __name__ == "__main__":`.

        for entry in format_each(read_jsonl("catalogue.jsonl"), ["apa", "mla"], jobs=0):
            print(entry.id, entry.texts["apa"])
    """
    styles = _prepare(style, format, locale)
    jobs = _job_count(jobs)
    if chunk_size < 1:
        raise ValueError(f"chunk_size is a positive number of records, got {chunk_size!r}")
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(f"items is an iterable of CSL-JSON dicts or citekit models, not {type(items).__name__}")
    if jobs > 1:
        _check_sendable(styles)  # now, not at the first item
    return _stream(enumerate(items, 1), styles, format, locale, jobs=jobs, chunk_size=chunk_size)


# --------------------------------------------------------------------------- shared with the command and Dask


def _prepare(style: Any, format: str, locale: str | None) -> list[tuple[str, Any, Any]]:
    """The styles as (key, parsed, what a worker rebuilds it from), checked once before any
    item: an unknown style, format or locale fails here, not a million times."""
    from . import registry
    from .api import _check_format, check_locale

    _check_format(format)
    given = list(style) if isinstance(style, (list, tuple)) else [style]
    if not given:
        raise ValueError("no style given")
    out: list[tuple[str, Any, Any]] = []
    for spec in given:
        parsed = registry.resolve(spec)
        check_locale(parsed, locale)
        key = _key(spec, parsed)
        if any(k == key for k, _, _ in out):
            raise ValueError(f"style {key!r} is given twice")
        out.append((key, parsed, _sendable(spec)))
    return out


def _key(spec: Any, parsed: Any) -> str:
    """The name a style's strings are filed under: as the user wrote it ("apa", a path),
    else (a parsed style, CSL XML text) the style's id."""
    if isinstance(spec, os.PathLike):
        return os.fspath(spec)
    if isinstance(spec, str) and not spec.lstrip().startswith("<"):
        return spec
    return parsed.info.id or parsed.info.title or "style"


def _sendable(spec: Any) -> Any:
    """The style as a worker process can rebuild it: a parsed style does not pickle, so it
    goes by the name the registry knows it by (checked to be that very style)."""
    from . import registry
    from .csl import Style

    if not isinstance(spec, Style):
        return os.fspath(spec) if isinstance(spec, os.PathLike) else spec
    if spec.info.id:
        try:
            if registry.resolve(spec.info.id) is spec:
                return spec.info.id
        except Exception:  # noqa: BLE001 - not a registry style: said below
            pass
    return _Unsendable(spec.info.id or spec.info.title or "the style")


@dataclass(frozen=True)
class _Unsendable:
    name: str

    def resolve(self) -> Any:
        raise TypeError(f"{self.name!r} is a parsed style the registry does not know: worker processes "
                        "cannot rebuild it; give its path or its CSL XML text instead")


def _check_sendable(styles: list) -> list[tuple[str, Any]]:
    """(key, what a worker rebuilds the style from) for each style; TypeError for one that
    cannot travel."""
    specs = [(key, spec) for key, _, spec in styles]
    for _, spec in specs:
        if isinstance(spec, _Unsendable):
            spec.resolve()
    return specs


def _job_count(jobs: int) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ValueError(f"jobs is a number of processes (0 for one per core), got {jobs!r}")
    if jobs == 0:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # no sched_getaffinity (macOS, Windows)
            return os.cpu_count() or 1
    return jobs


def _stream(numbered: Iterable[tuple[int, Any]], styles: list, format: str, locale: str | None, *, jobs: int,
            chunk_size: int = CHUNK_SIZE, source: str | None = None, checked: bool = False) -> Iterator[Formatted]:
    """`format_each` on (position, record) pairs. `source` names the input in problems,
    the positions then being its lines; `checked`: each record is (record, problems,
    index) from the readers (`citekit.readers._read_records`: None for the problems of
    a record that could not be read), its index counting the records; the door's first
    half (`check_record`) runs here, and each entry comes as (Formatted, ids) for the
    caller to settle the ids in order (`ids` None: no item)."""
    if jobs == 1:
        parsed = [(key, p) for key, p, _ in styles]
        for position, record in numbered:
            entry = _format_record(position, record, parsed, format, locale, source, checked=checked)
            if entry is not None:
                yield entry
        return
    specs = _check_sendable(styles)
    yield from _parallel(numbered, specs, format, locale, jobs=jobs, chunk_size=chunk_size, source=source,
                         checked=checked)


def _format_record(position: int, record: Any, styles: Sequence[tuple[str, Any]], format: str,
                   locale: str | None, source: str | None, decode: bool = False, *,
                   checked: bool = False) -> Formatted | None:
    """One record through the one door (`check_item`, lenient; `checked`: see `_stream`)
    and the engine (the path of `cite()`: `api.format_one`), for each style. `decode`:
    the record is JSON text (`citekit.dask`), decoded here by the readers' JSON rules; a
    blank one is None."""
    from .api import format_one

    line = position if source is not None else None
    where = {"line": line, "source": source, "position": None if source is not None else position}
    ids: Any = None
    if decode:
        if isinstance(record, bytes):
            record = record.lstrip(b"\xef\xbb\xbf") if position == 1 else record
        if not record.strip():
            return None
        from .csl.record import replace

        from .readers.csljson import _json_problem, _load_json

        try:  # the JSON rules and messages of the readers (load(), iter_load())
            record = _load_json(record)
        except ValueError as exc:
            problem = _json_problem(exc, line, source)
            if line is None:  # no file to point into: the record's position says where
                problem = replace(problem, position=position)
            return Formatted(None, position, problems=(problem,))
    if checked:
        from .readers import check_record

        given, problems, index = record[0], list(record[1]), record[2]
        if given is None:
            return Formatted(None, position, problems=tuple(problems)), None  # type: ignore[return-value]
        item, found, ids = check_record(given, line, index, source)
        problems.extend(found)
        if item is None:
            return Formatted(None, position, problems=tuple(problems)), None  # type: ignore[return-value]
        if ids[1] is not None:  # no id: its stem until the caller makes it unique
            item["id"] = ids[1]
        ids = (*ids, index)
    else:
        item, problems = check_item(record, strict=False, position=position, source=source, line=line)
        if item is None:
            given = record.get("id") if isinstance(record, dict) else getattr(record, "id", None)
            return Formatted(given if given not in ("",) else None, position, problems=tuple(problems))
        if item.get("id") in (None, ""):
            item["id"] = f"item-{position}"
    texts: dict[str, str] = {}
    warnings: list[str] = []
    for key, parsed in styles:
        try:
            text, said = format_one(parsed, item, locale=locale, format=format)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - one record must not stop a catalogue
            problems.append(Problem(f"could not be formatted in {key}: {type(exc).__name__}: {exc}",
                                    key=str(item["id"]), skipped=True, **where))
            texts.clear()
            break
        texts[key] = text
        warnings.extend(w for w in said if w not in warnings)
    entry = Formatted(item["id"], position, texts, tuple(problems), tuple(warnings))
    return (entry, ids) if checked else entry  # type: ignore[return-value]


# --------------------------------------------------------------------------- worker processes

_WORKER: dict[str, Any] = {}


def _init_worker(specs: list[tuple[str, Any]], format: str, locale: str | None, source: str | None,
                 checked: bool) -> None:
    import signal

    # Ctrl-C is the parent's to handle: it stops the pool, and the workers print no tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Each worker parses the styles once (a name the registry caches, a path or XML text).
    _WORKER["args"] = (_resolve_specs(specs), format, locale, source, checked)


def _resolve_specs(specs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    from . import registry

    return [(key, registry.resolve(spec)) for key, spec in specs]


def _work(chunk: list[tuple[int, Any]]) -> list[Formatted]:
    styles, format, locale, source, checked = _WORKER["args"]
    out = []
    for position, record in chunk:
        entry = _format_record(position, record, styles, format, locale, source, checked=checked)
        if entry is not None:
            out.append(entry)
    return out


def _parallel(numbered: Iterable[tuple[int, Any]], specs: list, format: str, locale: str | None, *, jobs: int,
              chunk_size: int, source: str | None, checked: bool) -> Iterator[Formatted]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(), initializer=_init_worker,
                               initargs=(specs, format, locale, source, checked))
    pending: deque = deque()
    limit = jobs * _IN_FLIGHT_PER_JOB
    records = iter(numbered)
    exhausted = False
    try:
        while True:
            # read on only while fewer than `limit` chunks are in flight: memory stays bounded
            while not exhausted and len(pending) < limit:
                chunk = list(islice(records, chunk_size))
                if not chunk:
                    exhausted = True
                    break
                pending.append(pool.submit(_work, chunk))
            if not pending:
                break
            yield from pending.popleft().result()  # the oldest first: the input's order
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
