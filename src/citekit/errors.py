"""The errors citekit raises on purpose.

`CitekitError` is the base of the face's own errors. `StyleError` comes from the engine
(a style that cannot be used: not XML, not CSL, hostile, structurally wrong) and is
re-exported here so that one import gives every error a caller may want to catch:

    from citekit.errors import CitekitError, StyleError
    try:
        text = citekit.cite(item, style=name)
    except (CitekitError, StyleError) as exc:
        print(exc)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citekit.csl.errors import CSLError, StyleError

__all__ = ["CitekitError", "StyleNotFound", "LocaleNotFound", "ItemError", "StyleError", "CSLError"]


class CitekitError(Exception):
    """Base class of the errors raised by citekit's models, registry and API."""


class StyleNotFound(CitekitError, LookupError):
    """No style answers to the given name; `matches` holds the closest names that do."""

    def __init__(self, name: str, matches: list[str] | tuple[str, ...] = (), *, detail: str | None = None):
        self.name = name
        self.matches = list(matches)
        message = detail or f"no style named {name!r}"
        if self.matches:
            message += "; did you mean " + ", ".join(self.matches) + "?"
        super().__init__(message)


class LocaleNotFound(CitekitError, LookupError):
    """No CSL locale answers to the given tag; `matches` holds the closest tags."""

    def __init__(self, tag: str, matches: list[str] | tuple[str, ...] = ()):
        self.tag = tag
        self.matches = list(matches)
        message = f"no locale {tag!r}"
        message += ("; did you mean " + ", ".join(self.matches) + "?") if self.matches else \
            " (locales are language tags such as en-US, en-GB, de-DE, fr-FR)"
        super().__init__(message)


class ItemError(CitekitError, ValueError):
    """An item (a reference or a brief) that cannot be formatted.

    `item_id` is the item's id when it has one, otherwise its 1-based position as
    "item N" where known; `field` is the CSL-JSON name of the offending field.
    """

    def __init__(self, message: str, *, item_id: str | int | None = None, field: str | None = None,
                 position: int | None = None):
        self.item_id = item_id
        self.field = field
        self.position = position
        self.reason = message
        where = []
        if item_id is not None:
            where.append(f"item {item_id!r}")
        elif position is not None:
            where.append(f"item {position}")
        if field:
            where.append(field)
        super().__init__(": ".join([*where, message]))


def __getattr__(name: str):
    # The engine's errors are imported on first use, so that listing styles or validating
    # a brief does not load the engine.
    if name in ("StyleError", "CSLError"):
        from citekit.csl import errors

        return getattr(errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
