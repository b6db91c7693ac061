"""Frozen value classes for the face (the registry, the item check, the readers' limits),
without importing `dataclasses`, whose import of `inspect` is a tenth of the `citekit cite`
command's cold start. (The engine has its own, `citekit.csl.record`, which the face
cannot import without importing the whole engine.)

    class Problem(Frozen):
        message: str
        line: int | None = None

Fields are the annotations, in order, defaults the class attributes; the class gets an
`__init__` (positional or keyword arguments, then `__post_init__` if defined), a repr,
equality and a hash by value, and refuses assignment. `fields()` and `replace()` work as
the functions of `dataclasses` do.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Frozen", "FrozenInstanceError", "fields", "replace"]


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen value."""


class Frozen:
    _fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(cls.__dict__.get("__annotations__", {}))
        cls._defaults = {name: cls.__dict__[name] for name in cls._fields if name in cls.__dict__}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__}() takes {len(names)} arguments, {len(args)} given")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names or name in values:
                raise TypeError(f"{type(self).__name__}() got an unexpected or repeated argument {name!r}")
            values[name] = value
        for name in names:
            if name not in values:
                if name not in self._defaults:
                    raise TypeError(f"{type(self).__name__}() missing argument {name!r}")
                values[name] = self._defaults[name]
            object.__setattr__(self, name, values[name])
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post()

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in self._fields) == tuple(getattr(other, n) for n in self._fields)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self._fields))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def fields(obj: Any) -> tuple[str, ...]:
    """The names of a value's fields, in order."""
    return obj._fields


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of the value with some fields changed."""
    unknown = set(changes) - set(obj._fields)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field(s) {', '.join(sorted(unknown))}")
    return type(obj)(**{name: changes.get(name, getattr(obj, name)) for name in obj._fields})
