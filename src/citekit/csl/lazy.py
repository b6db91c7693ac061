"""Regular expressions compiled on first use.

Compiling a regular expression costs tens to hundreds of microseconds, and the engine's
modules hold many that a given run never uses (page ranges, roman numerals, markdown
escapes...): compiled at import, they were a good part of a cold start. A module writes

    _ROMAN_RE = lazy.pattern(globals(), "_ROMAN_RE", r"^[ivxlcdm]+$")

(the face's modules too: importing this module loads nothing else of the engine) and uses
`_ROMAN_RE.match(...)` as before: the first use compiles it and puts the compiled
pattern in the module's global in place of the stand-in, so later uses cost nothing more.
"""

from __future__ import annotations

import re

__all__ = ["LazyPattern", "pattern"]


class LazyPattern:
    """Stands for re.compile(regex, flags) until first used (any attribute: match, sub...)."""

    __slots__ = ("_namespace", "_name", "_regex", "_flags", "_compiled")

    def __init__(self, namespace: dict, name: str, regex: str, flags: int = 0):
        self._namespace = namespace
        self._name = name
        self._regex = regex
        self._flags = flags
        self._compiled = None

    def __getattr__(self, attr: str):
        compiled = self._compiled
        if compiled is None:
            # two threads may both compile it: the same pattern either way
            compiled = self._compiled = re.compile(self._regex, self._flags)
            if self._namespace.get(self._name) is self:
                self._namespace[self._name] = compiled
        return getattr(compiled, attr)

    def __repr__(self) -> str:
        return f"LazyPattern({self._regex!r})"


def pattern(namespace: dict, name: str, regex: str, flags: int = 0) -> LazyPattern:
    """The stand-in for the module global `name` of `namespace` (the module's globals())."""
    return LazyPattern(namespace, name, regex, flags)
