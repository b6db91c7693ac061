"""Errors the engine raises. Bad item data never raises: it becomes a warning."""


class CSLError(Exception):
    """Base class of every error the CSL engine raises on purpose."""


class StyleError(CSLError, ValueError):
    """A style that cannot be used: not XML, not CSL, hostile, or structurally wrong.

    The message names the line and the element where that is known.
    """

    def __init__(self, message: str, *, line: int | None = None, element: str | None = None,
                 source: str | None = None):
        self.line = line
        self.element = element
        self.source = source
        where = []
        if source:
            where.append(source)
        if line is not None:
            where.append(f"line {line}")
        if element:
            where.append(f"<{element}>")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
