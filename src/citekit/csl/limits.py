"""The limits that bound what untrusted items and styles can cost (see docs/limits.md).

Every limit is an attribute of `LIMITS`, a process-wide settings object; change one
before formatting (for all threads) or for a stretch of code with `limits(...)`:

    from citekit.csl.limits import LIMITS, limits
    LIMITS.max_field_length = 1_000_000     # for the whole process
    with limits(work_factor=100):           # for a block of code (process-wide meanwhile)
        citekit.render(style, items)

Input beyond a limit never raises from deep inside the engine: an item field that is too
long is left out with a warning, a number with too many digits is treated as text, markup
nested too deep is kept as plain text, and a style whose evaluation goes over the work
budget fails with a `StyleError` that names the limit.
"""

from __future__ import annotations

import contextlib
import re
import threading

from .record import fields, record


@record
class Limits:
    # characters in one field of an item (a title, an abstract, a name part, a note)
    max_field_length: int = 100_000
    # digits of a number citekit computes with (volume, edition, page, year, a style's
    # numeric attribute); a longer run of digits is kept as text
    max_digits: int = 100
    # nesting of markup tags and quotes in a field or in a style's text
    max_markup_depth: int = 32
    # bytes of CSL XML in one style (the largest official style is 0.25 MB)
    max_style_size: int = 2_000_000
    # elements visited while rendering one cite or entry, per element of the style: a
    # style whose macros call each other many times over (exponential expansion) stops
    # with a StyleError naming this limit. The official styles count at most 0.73 per
    # element (179 at most) for one entry.
    work_factor: int = 20
    # the budget is never smaller than this, so that tiny styles are not cramped
    min_work_budget: int = 10_000
    # an item given as Python data or JSON: how deep its lists and objects nest, and how
    # many values it holds in all (a dict that contains itself is refused outright)
    max_item_depth: int = 64
    max_item_values: int = 100_000
    # merged locales kept per style (one per distinct locale= asked for)
    locale_cache_size: int = 32
    # bytes of one input file read by the `citekit` command (--max-input-size)
    max_input_size: int = 200_000_000


LIMITS = Limits()
_lock = threading.Lock()


@contextlib.contextmanager
def limits(**changes):
    """Change some limits for the duration of a `with` block (process-wide)."""
    names = set(fields(Limits))
    unknown = set(changes) - names
    if unknown:
        raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(names))}")
    with _lock:
        saved = {k: getattr(LIMITS, k) for k in changes}
        for k, v in changes.items():
            setattr(LIMITS, k, v)
    try:
        yield LIMITS
    finally:
        with _lock:
            for k, v in saved.items():
                setattr(LIMITS, k, v)


def to_int(text) -> int | None:
    """The value of a run of decimal digits (an optional minus sign first), or None when
    it is not one or is longer than LIMITS.max_digits.

    str.isdigit() accepts "²" and "①", which int() refuses; isdecimal() is exactly the
    set of digits int() reads."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if text.bit_length() <= LIMITS.max_digits * 3.33 + 4 else None
    if not isinstance(text, str):
        return None
    s = text.strip()
    digits = s[1:] if s[:1] == "-" else s
    if not digits or len(digits) > LIMITS.max_digits or not digits.isdecimal():
        return None
    return int(s)


_LONG_DIGITS_CACHE: dict = {}


def long_digit_run(text: str) -> bool:
    """Does the text hold a run of digits longer than LIMITS.max_digits?"""
    n = LIMITS.max_digits
    pattern = _LONG_DIGITS_CACHE.get(n)
    if pattern is None:
        pattern = _LONG_DIGITS_CACHE[n] = re.compile(r"\d{%d}" % (n + 1))
    return pattern.search(text) is not None


# C0 and C1 control characters except tab and newline: they reach terminals (escape
# sequences: screen clears, hyperlinks, clipboard writes) and break every output format.
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROLS_RE = re.compile(f"[{CONTROL_CHARS}]")


def has_controls(text: str) -> bool:
    return _CONTROLS_RE.search(text) is not None


def strip_controls(text: str) -> str:
    """The text without C0/C1 control characters (tab and newline are kept)."""
    return _CONTROLS_RE.sub("", text)
