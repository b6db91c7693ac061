"""Small value classes, as `dataclasses` makes them, without importing `dataclasses`.

`dataclasses` imports `inspect` (and with it `ast`, `dis`, `tokenize`): about 40 M
instructions, a tenth of the `citekit cite` command's cold start, for classes that need
only an `__init__`, a `repr`, equality and, when frozen, a hash and no assignment. The
engine's classes use this, and so do the face's few (the engine package loads its modules
on first use, so importing this one loads nothing else).

    @record(frozen=True)
    class BibEntry:
        id: str
        text: str

Fields are the class's annotations, in order; a default is a class attribute, or
`field(default_factory=...)` for a mutable one (`repr=False` leaves a field out of the
repr); a `__post_init__` method is called at the end of `__init__`. `slots=True` makes the
class again with `__slots__` for its fields, for classes with many instances. `fields(cls)` gives
their names and `replace(obj, **changes)` a changed copy, as the functions of
`dataclasses` do. `__init__` is generated code, as dataclasses', so that making an
instance costs no more than it did.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FrozenInstanceError", "field", "fields", "record", "replace"]

_MISSING = object()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Field:
    __slots__ = ("default_factory", "repr")

    def __init__(self, default_factory, repr):
        self.default_factory = default_factory
        self.repr = repr


def field(*, default_factory: Any = None, repr: bool = True) -> Any:
    """A field made fresh for each instance by default_factory() (or, without one, a
    field without a default that is left out of the repr)."""
    return _Field(default_factory, repr)


def fields(cls_or_obj: Any) -> tuple[str, ...]:
    """The names of a record's fields, in order."""
    return cls_or_obj.__record_fields__


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of the record with some fields changed."""
    unknown = set(changes) - set(obj.__record_fields__)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field(s) {', '.join(sorted(unknown))}")
    return type(obj)(**{name: changes.get(name, getattr(obj, name)) for name in obj.__record_fields__})


def record(cls: type | None = None, *, frozen: bool = False, slots: bool = False):
    """Give a class an __init__ over its annotated fields, a repr and equality by value;
    frozen: no assignment after __init__, and a hash of the fields; slots: a class made
    again with __slots__ for its fields (no __dict__ per instance: for the many)."""
    def wrap(cls: type) -> type:
        names = tuple(cls.__dict__.get("__annotations__", {}))
        glob: dict = {"_setattr": object.__setattr__, "_MISSING": _MISSING}
        params, body, shown = [], [], []
        for name in names:
            value = cls.__dict__.get(name, _MISSING)
            show = True
            if isinstance(value, _Field):
                show = value.repr
                if value.default_factory is not None:
                    glob[f"_factory_{name}"] = value.default_factory
                    params.append(f"{name}=_MISSING")
                    body.append(f"if {name} is _MISSING: {name} = _factory_{name}()")
                else:
                    params.append(name)
                delattr(cls, name)
            elif value is not _MISSING:
                glob[f"_default_{name}"] = value
                params.append(f"{name}=_default_{name}")
            else:
                params.append(name)
            body.append(f"_setattr(self, {name!r}, {name})" if frozen else f"self.{name} = {name}")
            if show:
                shown.append(name)
        if "__post_init__" in cls.__dict__:
            body.append("self.__post_init__()")
        source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
        exec(source, glob)  # noqa: S102  (the source is made above from the class's own field names)
        init = glob["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = init
        cls.__record_fields__ = names
        if "__repr__" not in cls.__dict__:
            def __repr__(self) -> str:
                return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"
            cls.__repr__ = __repr__

        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)
            return NotImplemented
        if "__eq__" not in cls.__dict__:
            cls.__eq__ = __eq__
        if frozen:
            def __setattr__(self, name, value):
                raise FrozenInstanceError(f"cannot assign to field {name!r}")

            def __delattr__(self, name):
                raise FrozenInstanceError(f"cannot delete field {name!r}")

            def __hash__(self) -> int:
                return hash(tuple(getattr(self, n) for n in names))
            cls.__setattr__ = __setattr__
            cls.__delattr__ = __delattr__
            if "__hash__" not in cls.__dict__ or cls.__dict__["__hash__"] is None:
                cls.__hash__ = __hash__
        elif "__hash__" not in cls.__dict__:
            cls.__hash__ = None  # mutable and compared by value, as a dataclass
        if slots:
            cls = _with_slots(cls, names, frozen)
        return cls
    return wrap if cls is None else wrap(cls)


def _with_slots(cls: type, names: tuple, frozen: bool) -> type:
    """The class made again with __slots__ (slots must be known when a class is made);
    the defaults live in __init__, so the class attributes of the same names go."""
    ns = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    ns["__slots__"] = names
    ns["__qualname__"] = cls.__qualname__
    if frozen:
        # pickle and copy set the slots of a copy by assignment, which a frozen record refuses
        def __getstate__(self):
            return tuple(getattr(self, n) for n in names)

        def __setstate__(self, state):
            for n, v in zip(names, state):
                object.__setattr__(self, n, v)
        ns["__getstate__"] = __getstate__
        ns["__setstate__"] = __setstate__
    return type(cls)(cls.__name__, cls.__bases__, ns)


def shared(table: dict, value):
    """The one kept of the values equal to value (value itself the first time): many
    items' equal sets, dates and states held once. The table is emptied past 4,096
    values, so that hostile data cannot grow it."""
    found = table.get(value)
    if found is None:
        if len(table) >= 4096:
            table.clear()
        found = table[value] = value
    return found
