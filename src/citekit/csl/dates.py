"""Dates: localized and non-localized forms, date-parts, ranges, seasons, BC/AD."""

from __future__ import annotations

from .limits import to_int
from .richtext import FORMAT_KEYS, Prefix, Span, Suffix, Text, narrow_spaces
from .textcase import apply_text_case

_ORDER = {"year": 0, "month": 1, "day": 2}


def _parts_spec(ev, el):
    """The date-part elements to render, in order, with the style's overrides applied.

    Returns (list of (name, attrs), delimiter, outer-element-or-None).
    """
    cache = el.extra.get(("parts", id(ev.locale)))
    if cache is not None:
        return cache
    form = el.get("form")
    if form:
        loc_date = ev.locale.date_format(form)
        wanted = el.get("date-parts", "year-month-day").split("-")
        overrides = {c.get("name"): c.attrs for c in el.children if c.tag == "date-part"}
        parts = []
        delimiter = None
        if loc_date is not None:
            delimiter = loc_date.get("delimiter")
            for dp in loc_date.parts:
                name = dp.get("name")
                if name not in wanted:
                    continue
                attrs = dict(dp)
                ov = overrides.get(name)
                if ov:
                    for k, v in ov.items():
                        if k not in ("prefix", "suffix"):
                            attrs[k] = v
                parts.append((name, attrs))
        result = (parts, delimiter)
    else:
        parts = [(c.get("name"), c.attrs) for c in el.children if c.tag == "date-part"]
        result = (parts, el.delimiter)
    el.extra[("parts", id(ev.locale))] = result
    return result


def render_date(ev, el, cite, frame):
    var = el.get("variable")
    if not var or (var == "accessed" and frame.for_disambiguation):
        return None
    frame.called += 1
    if var in frame.suppressed:
        return None
    date = cite.item.dates.get(var)
    if date is None:
        return None
    if frame.sort_mode and frame.date_keys is not None:
        key = macro_date_key(date, {n for n, _ in _parts_spec(ev, el)[0]})
        if key:
            frame.date_keys.append(key)
            frame.rendered += 1
            return Text(key)
        return None
    if frame.sort_mode:
        # a macro's date sorts by the parts it would render
        key = date_key(date, {n for n, _ in _parts_spec(ev, el)[0]})
        if key:
            frame.rendered += 1
            return Text(key)
    if date.literal is not None and not date.parts:
        # a literal stands where the year would be, with the year's affixes and
        # formatting; a date that shows no year shows no literal (as in citeproc-js)
        parts = _parts_spec(ev, el)[0]
        node = Text(narrow_spaces(date.literal))
        if parts:
            year_attrs = next((a for n, a in parts if n == "year"), None)
            if year_attrs is None:
                return None
            node = _decorate_part(node, year_attrs, cite)
        frame.rendered += 1
        frame.rendered_vars.append(var)
        return ev.wrap(el, node, cite)
    if not date.parts:
        return None
    parts, delimiter = _parts_spec(ev, el)
    start = date.parts[0]
    end = date.parts[1] if date.is_range else None
    # Drop parts the date does not have (no month → no month or day).
    present = [(n, a) for n, a in parts if _has(start, n, date)]
    if not present:
        return None
    nodes = None
    if end is not None and end != (0, 0, 0):
        nodes = _render_range(ev, present, delimiter, start, end, date, cite, frame, var)
    if nodes is None:
        nodes = _render_parts(ev, present, delimiter, start, date, cite, frame, var)
        if end == (0, 0, 0):
            # an open range: "2006–"
            year_attrs = next((a for n, a in present if n == "year"), {})
            nodes.append(Text(year_attrs.get("range-delimiter") or "–"))
    if not nodes:
        return None
    frame.rendered += 1
    frame.rendered_vars.append(var)
    node = Span(nodes)
    node.filled = True  # only present parts were rendered
    # Localized dates: the element's own affixes and formatting wrap the whole.
    return ev.wrap(el, node, cite)


def _has(ymd, name, date):
    y, m, d = ymd
    if name == "year":
        return True
    if name == "month":
        return m > 0 or bool(date.season)
    if name == "day":
        return d > 0 and 0 < m <= 12
    return False


def _render_parts(ev, parts, delimiter, ymd, date, cite, frame, var, drop_first_prefix=False,
                  drop_last_suffix=False, ranged=False):
    out = []
    for i, (name, attrs) in enumerate(parts):
        node = _render_part(ev, name, attrs, ymd, date, cite, frame, var,
                            no_prefix=drop_first_prefix and i == 0,
                            no_suffix=drop_last_suffix and i == len(parts) - 1, ranged=ranged)
        if node is None:
            continue
        if delimiter and out:
            out.append(Text(delimiter))
        out.append(node)
    return out


def _render_part(ev, name, attrs, ymd, date, cite, frame, var, no_prefix=False, no_suffix=False,
                 ranged=False):
    """ranged: the part is one end of a range (an era stays inside its affixes there)."""
    y, m, d = ymd
    form = attrs.get("form")
    text = None
    era = None
    if name == "year":
        if y == 0 and not date.parts:
            return None
        if form == "short":
            text = f"{abs(y) % 100:02d}"
        else:
            text = str(abs(y))
        if y < 0:
            era = ev.locale.term_text("bc") or "BC"
        elif 0 < y < 1000:
            era = ev.locale.term_text("ad") or "AD"
        if era and ranged:
            text, era = text + era, None
        # implicit year-suffix after the first year rendered, of whichever date (an undated
        # web page takes it on its access date, as in citeproc-js); citeproc-js gives it the
        # year's own affixes (also those a range leaves out), formatting and text case:
        # prefix=" " prints "2024 a"; but not the text case of the cs:date ("2015a" under
        # text-case="uppercase")
        if cite.disamb.year_suffix and not ev.uses_year_suffix and not frame.year_suffix_done:
            frame.year_suffix_done = True
            return Span([_decorate_part(Text(text), attrs, cite, no_prefix, no_suffix)]
                        + ([Text(era)] if era else [])
                        + [Span([_decorate_part(Text(cite.disamb.year_suffix), attrs, cite)], nocase=True)])
    elif name == "month":
        if 13 <= m <= 16 and form in ("numeric", "numeric-leading-zeros"):
            return None  # a season given as month 13-16 has no number (citeproc-js prints none)
        if 13 <= m <= 16 or m == 0:
            season = m - 12 if m else date.season
            if not season:
                return None
            number = to_int(season)
            if number is not None:
                text = ev.locale.term_text(f"season-{number:02d}")
            else:
                text = str(season)
            if text is None:
                return None
        elif form in ("numeric", "numeric-leading-zeros"):
            text = f"{m:02d}" if form == "numeric-leading-zeros" else str(m)
        else:
            text = ev.locale.term_text(f"month-{m:02d}", "short" if form == "short" else "long")
            if text is None:
                text = str(m)
    elif name == "day":
        if d == 0:
            return None
        if form == "numeric-leading-zeros":
            text = f"{d:02d}"
        elif form == "ordinal":
            if d == 1 or not ev.locale.option("limit-day-ordinals-to-day-1"):
                gender = ev.locale.gender_of(f"month-{m:02d}") if m else None
                text = f"{d}{ev.locale.ordinal_suffix(d, gender)}"
            else:
                text = str(d)
        else:
            text = str(d)
    if not text:
        return None
    if era:
        # the era follows the year's affixes and formatting, "(340) BC" for a year with
        # prefix="(" suffix=")" (citeproc-js appends it to the date after the year part)
        return Span([_decorate_part(Text(text), attrs, cite, no_prefix, no_suffix), Text(era)])
    return _decorate_part(Text(text), attrs, cite, no_prefix, no_suffix)


def _decorate_part(node, attrs, cite, no_prefix=False, no_suffix=False):
    """A date-part's formatting, text-case, strip-periods and affixes around its text."""
    fmt = tuple((k, attrs[k]) for k in FORMAT_KEYS if k in attrs)
    content = Span([node], fmt=fmt) if fmt else node
    case = attrs.get("text-case")
    if case:
        apply_text_case(content, case, cite.item.language)
    if attrs.get("strip-periods") == "true":
        node.text = node.text.replace(".", "")
    prefix = "" if no_prefix else attrs.get("prefix", "")
    suffix = "" if no_suffix else attrs.get("suffix", "")
    if prefix or suffix:
        return Span([Prefix(prefix), content, Suffix(suffix)])
    return content


def _render_range(ev, parts, delimiter, start, end, date, cite, frame, var):
    names = [n for n, _ in parts]
    if start[0] != end[0]:
        level = "year"
    elif start[1] != end[1]:
        level = "month"
    elif start[2] != end[2]:
        level = "day"
    else:
        return None
    ranged = {"year": {"year", "month", "day"}, "month": {"month", "day"}, "day": {"day"}}[level]
    idx = [i for i, n in enumerate(names) if n in ranged]
    if not idx:
        return None
    first, last = idx[0], idx[-1]
    level_attrs = next((a for n, a in parts if n == level), {})
    # an empty range-delimiter="" is taken as unset, as citeproc-js takes it: the en dash
    range_delim = level_attrs.get("range-delimiter") or "–"
    before = parts[:first]
    run = parts[first:last + 1]
    after = parts[last + 1:]
    end_parts = [(n, a) for n, a in run if _has(end, n, date)]
    out = []
    # an implicit year-suffix follows the year that ends a range (citeproc-js: "1882–1898b")
    hold = not frame.year_suffix_done and any(n == "year" for n, _ in end_parts)
    if hold:
        frame.year_suffix_done = True
    out.extend(_render_parts(ev, before, delimiter, start, date, cite, frame, var))
    if out and delimiter:
        out.append(Text(delimiter))
    out.extend(_render_parts(ev, run, delimiter, start, date, cite, frame, var, drop_last_suffix=True,
                             ranged=True))
    if hold:
        frame.year_suffix_done = False
    out.append(Text(range_delim))
    out.extend(_render_parts(ev, end_parts, delimiter, end, date, cite, frame, var, drop_first_prefix=True,
                             ranged=True))
    if after:
        if delimiter:
            out.append(Text(delimiter))
        out.extend(_render_parts(ev, after, delimiter, start, date, cite, frame, var))
    return out


# -- sort keys of dates (the sort keys of a date variable, and of a macro that prints one) --

def date_key(d, parts=None) -> str:
    """YYYYMMDD (years offset to sort negative ones first), start and end of a range.
    parts: the date parts to keep (a macro's rendered parts); the others count as 0."""
    if d is None or not d.parts:
        return ""
    out = []
    for y, m, dd in d.parts:
        if parts is not None:
            if "month" not in parts:
                m = 0
            if "day" not in parts:
                dd = 0
        out.append(f"{y + 50000:06d}{m:02d}{dd:02d}")
    if len(d.parts) == 1:
        out.append(out[0])
    return "".join(out)


def macro_date_key(d, parts) -> str:
    """A date's key in a macro with a date, as citeproc-js makes it: start then end, each
    a sign digit (1, or 0 before the year) and YYYYMMDD, the parts the date element does
    not show as zeros (all shown when it names none); no end is all zeros. Keys compare
    as numbers, so a macro with two dates sorts after one with a single date."""
    if not d.parts or not d.parts[0][0]:
        return ""
    if not parts:
        parts = ("year", "month", "day")
    out = []
    for y, m, dd in (d.parts if d.is_range else (d.parts[0], (0, 0, 0))):
        y = y if "year" in parts else 0
        out.append(f"0{9999 + y:04d}" if y < 0 else f"1{y:04d}")
        out.append(f"{m if 'month' in parts else 0:02d}{dd if 'day' in parts else 0:02d}")
    return "".join(out)
