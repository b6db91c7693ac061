"""citekit's CSL 1.0.2 processor.

This package is the engine. It knows nothing of Pydantic models, of where styles
live on disk, or of the command line: it takes CSL XML and plain CSL-JSON dicts
and gives strings back. The whole narrow API is here:

    style = parse_style(xml, source="apa.csl", parent_loader=None)
    result = process(style, items, clusters, locale=None, format="text")
    result.citations      # list[str], one per cluster, document order
    result.bibliography   # list[BibEntry(id, text)], in style order
    result.warnings       # list[str]

`parent_loader(parent_id) -> bytes | None` is handed in by the caller to resolve a
dependent style's independent parent, so this package never does I/O of its own
for styles. Locale files are read from the locales shipped with citeproc-py.

The modules, each importing only those above it (tests/test_engine.py holds it so):

    record, lazy               value classes without dataclasses, regular expressions compiled on first use
    limits, errors, xmlsafe    work budgets and size limits, the errors, safe XML parsing
    richtext, output/          the rich-text tree, its punctuation rules, one renderer per format
    variables, locale, style   items as the engine reads them, locales, the parsed style tree
    textcase, numbers          text-case, numbers, labels' plurals and page ranges
    conditions, shapes         cs:choose; the style's tree specialised per item shape (type, variables)
    compiled                   the walk: each element compiled once into a function, children in order
    names, dates               cs:names and cs:date (with the sort keys of dates)
    evaluate                   what a run fixes, wrapping, variables, labels, numbers; what elements need
    sort, positions            sort keys; ibid, near-note and first positions
    disambiguate               names, given names, year-suffixes and disambiguate="true"
    collapse, bibliography     a citation cluster (sort, collapse, layout); bibliography entries
    engine, document           a whole run (process()); an edited document's incremental runs
"""

# The names below are imported from their modules on first use (PEP 562), so that a
# small helper module (`citekit.csl.lazy`, `citekit.csl.record`) can be imported, by the
# face too, without loading the whole engine.
_EXPORTS = {
    "CSLError": "errors", "StyleError": "errors",
    "Style": "style", "StyleInfo": "style", "parse_style": "style",
    "process": "engine", "Result": "engine", "BibEntry": "engine", "FORMATS": "engine",
    "Document": "document", "ClusterUpdate": "document",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups find it directly
    return value


def __dir__() -> list:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "CSLError",
    "StyleError",
    "Style",
    "StyleInfo",
    "parse_style",
    "process",
    "Result",
    "BibEntry",
    "FORMATS",
    "Document",
    "ClusterUpdate",
]
