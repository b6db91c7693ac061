"""Names: <names>, <name>, <name-part>, <et-al>, <label> and <substitute>.

One personal name is built from its parts in the order CSL 1.0.2 gives for the
form, inversion and particle demotion; a name list adds et-al truncation, the
"and" term and its delimiters. Disambiguation widens lists (add-names) and given
names (add-givenname) through the cite's DisambigState.
"""

from __future__ import annotations

import re
import unicodedata

from .richtext import Span, Text, is_empty, parse_markup
from .textcase import apply_text_case


def _int(v, default=None):
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def name_options(ev, names_el, name_el, inherit=None) -> dict:
    """Inherited options (style, context) overlaid with the <names> and <name> elements."""
    key = ("opts", ev.mode, id(name_el), id(inherit))
    cached = names_el.extra.get(key)
    if cached is not None:
        return cached
    o = {}
    for k, v in ev.name_opts.items():
        if k == "name-form":
            o["form"] = v
        elif k == "name-delimiter":
            o["delimiter"] = v
        elif k == "names-delimiter":
            o["names-delimiter"] = v
        else:
            o[k] = v
    if names_el.delimiter is not None:
        o["names-delimiter"] = names_el.delimiter
    if name_el is not None:
        o.update(name_el.attrs)
        o["_name_el"] = name_el
    names_el.extra[key] = o
    return o


def is_romanesque(s: str) -> bool:
    """Latin, Greek, Cyrillic, Arabic, Hebrew... scripts write given names first."""
    for ch in s:
        if ch.isalpha():
            o = ord(ch)
            if 0x0370 <= o <= 0x03FF or 0x0400 <= o <= 0x052F or 0x0590 <= o <= 0x06FF:
                continue
            if o > 0x024F and not (0x1E00 <= o <= 0x1EFF):
                return False
    return True


# -- initials ------------------------------------------------------------------

def initialize(given: str, with_: str, hyphen: bool, only_existing: bool = False) -> str:
    """'John Robert' → 'J. R.'; 'Jean-Paul' → 'J.-P.'; keeps lower-case particles."""
    words = re.split(r"(\s+|-)", given.strip())
    out = []
    pending_sep = ""
    for w in words:
        if not w:
            continue
        if w.isspace():
            pending_sep = " "
            continue
        if w == "-":
            pending_sep = "-" if hyphen else ""
            continue
        core = w.rstrip(".")
        is_initial = (len(core) == 1 and core.isalpha()) or (core.isupper() and len(core) <= 3 and core.isalpha()
                                                                and w.endswith("."))
        if only_existing and not is_initial:
            text = w
            sep = pending_sep
        else:
            if not core or not core[0].isalpha():
                text = w
            elif core[0].islower() and not only_existing and len(core) > 1:
                # lower-case words of a given name ("de") stay as they are
                text = core + " " if False else w
            else:
                if core.isupper() and len(core) > 1 and "." not in w and not only_existing:
                    # all-caps initials like "JR" stand for J. R.
                    text = with_.join(core) + with_
                else:
                    text = core[0].upper() + with_
            sep = pending_sep
        if out:
            if sep == "-":
                out[-1] = out[-1].rstrip()
                out.append("-")
            elif sep == " ":
                if not out[-1].endswith(" "):
                    out.append(" ")
            elif sep == "" and pending_sep == "":
                pass
        out.append(text)
        pending_sep = ""
    return "".join(out).strip()


def _particle_join(particle: str, rest: str) -> str:
    if not particle:
        return rest
    if not rest:
        return particle
    if particle[-1] in "'’-" or particle.endswith("\u2019"):
        return particle + rest
    return particle + " " + rest


# -- one name ------------------------------------------------------------------

def _name_parts_fmt(o):
    name_el = o.get("_name_el")
    if name_el is None:
        return None, None
    given = family = None
    for c in name_el.children:
        if c.tag == "name-part":
            if c.get("name") == "given":
                given = c
            elif c.get("name") == "family":
                family = c
    return given, family


def _apply_part(part_el, node, cite):
    if part_el is None:
        return node
    if part_el.text_case:
        apply_text_case(node, part_el.text_case, cite.item.language)
    if part_el.fmt:
        node = Span([node], fmt=part_el.fmt)
    return node


def _affix(part_el, node):
    if part_el is None or not (part_el.prefix or part_el.suffix):
        return node
    return Span([Text(part_el.prefix), node, Text(part_el.suffix)])


def format_name(ev, name: dict, o: dict, inverted: bool, form: str, level: int, cite) -> Span | None:
    """Render one name. level: given-name expansion from disambiguation (0, 1, 2)."""
    given_el, family_el = _name_parts_fmt(o)
    if "literal" in name or "family" not in name:
        lit = name.get("literal") or name.get("given") or ""
        if not lit:
            return None
        node = parse_markup(lit)
        if family_el is not None:
            node = _affix(family_el, _apply_part(family_el, node, cite))
        return Span([node])
    family = name.get("family", "")
    given = name.get("given", "")
    dp = name.get("dropping-particle", "")
    ndp = name.get("non-dropping-particle", "")
    suffix = name.get("suffix", "")
    roman = is_romanesque(family + given)
    # Disambiguation levels: 1 shows initials where the style initializes (else the
    # full given name), 2 the full given name.
    if form == "short" and level >= 1:
        form = "long"
    if level >= 2 and o.get("initialize-with") is not None:
        o = dict(o)
        o.pop("initialize-with", None)
    if not roman:
        fam_node = _apply_part(family_el, Text(family), cite)
        if form == "short" or not given:
            return Span([_affix(family_el, fam_node)])
        giv_node = _apply_part(given_el, Text(given), cite)
        return Span([_affix(family_el, fam_node), _affix(given_el, giv_node)])
    # initials
    iw = o.get("initialize-with")
    if given and iw is not None:
        hyphen = ev.initialize_with_hyphen
        if o.get("initialize", "true") == "false":
            given = initialize(given, iw, hyphen, only_existing=True)
        else:
            given = initialize(given, iw, hyphen)
    if form == "short":
        fam = _particle_join(ndp, family)
        node = _affix(family_el, _apply_part(family_el, parse_markup(fam), cite))
        return Span([node])
    demote = ev.demote_particle
    sort_sep = o.get("sort-separator", ", ")
    if inverted:
        if demote == "display-and-sort":
            fam_text = family
            giv_text = _join_words(given, _join_words(dp, ndp))
        else:
            fam_text = _particle_join(ndp, family)
            giv_text = _join_words(given, dp)
        fam_node = _affix(family_el, _apply_part(family_el, parse_markup(fam_text), cite))
        parts = [fam_node]
        if giv_text:
            giv_node = _affix(given_el, _apply_part(given_el, parse_markup(giv_text), cite))
            parts += [Text(sort_sep), giv_node]
        if suffix:
            parts += [Text(sort_sep), Text(suffix)]
        return Span(parts)
    # display order: given dropping-particle non-dropping-particle family suffix
    fam_text = _particle_join(dp, _particle_join(ndp, family)) if not given else _particle_join(ndp, family)
    parts = []
    if given:
        giv_node = _affix(given_el, _apply_part(given_el, parse_markup(given), cite))
        parts.append(giv_node)
        if dp:
            sep = "" if dp[-1:] in ("'", "’") else " "
            parts.append(Text(" "))
            parts.append(_apply_part(given_el, Text(dp), cite))
            fam_core = _apply_part(family_el, parse_markup(_particle_join(ndp, family)), cite)
            if sep:
                parts.append(Text(" "))
            fam_node = fam_core
        else:
            parts.append(Text(" "))
            fam_node = _apply_part(family_el, parse_markup(fam_text), cite)
    else:
        fam_node = _apply_part(family_el, parse_markup(fam_text), cite)
    if suffix:
        sep = ", " if name.get("comma-suffix") else " "
        fam_node = Span([fam_node, Text(sep + suffix)])
    parts.append(_affix(family_el, fam_node))
    return Span(parts)


def _join_words(a: str, b: str) -> str:
    if a and b:
        return a + " " + b
    return a or b


# -- name lists -------------------------------------------------------------------

def _et_al_limits(o, cite, ev):
    et_min = _int(o.get("et-al-min"))
    use_first = _int(o.get("et-al-use-first"))
    if cite.position != "first" and ev.mode == "citation":
        if o.get("et-al-subsequent-min") is not None:
            et_min = _int(o.get("et-al-subsequent-min"))
        if o.get("et-al-subsequent-use-first") is not None:
            use_first = _int(o.get("et-al-subsequent-use-first"))
    return et_min, use_first


def shown_count(ev, o, names, cite, add_names=0, force=None) -> tuple[int, bool]:
    """How many names a list shows and whether it is truncated with et-al.
    force: a count set by disambiguation (add-names), overriding et-al."""
    n = len(names)
    if force is not None:
        # never fewer names than the style shows here (a first cite may show more
        # than the subsequent form disambiguation worked on)
        natural, _ = shown_count(ev, o, names, cite, add_names)
        force = max(force, natural)
        return (n, False) if force >= n else (force, True)
    et_min, use_first = _et_al_limits(o, cite, ev)
    if et_min and use_first is not None and n >= et_min and use_first < n:
        shown = max(use_first, 1) + add_names
        if use_first == 0:
            shown = 0 + add_names
        if shown >= n:
            return n, False
        return shown, True
    return n, False


def render_name_list(ev, names_el, o, names, cite, etal_el, var, add_names=0):
    """Render one variable's names; returns (node, shown_names)."""
    form = o.get("form", "long")
    counts = cite.disamb.name_counts if ev.mode == "citation" else None
    shown, truncated = shown_count(ev, o, names, cite, add_names, counts.get(var) if counts else None)
    if shown == 0:
        return None, []
    nas = o.get("name-as-sort-order")
    delimiter = o.get("delimiter", ", ")
    # name expansion by disambiguation applies to cites, not bibliography entries
    cit = ev.mode == "citation"
    level_default = cite.disamb.givenname_level if cit else 0
    levels = (cite.disamb.name_levels or {}) if cit else {}
    rendered = []
    inverted_flags = []
    for i, name in enumerate(names[:shown]):
        inverted = nas == "all" or (nas == "first" and i == 0)
        level = levels.get((var, i), level_default if (var, i) not in levels else 0) if levels else level_default
        node = format_name(ev, name, o, inverted, form, level, cite)
        if node is None:
            continue
        node.role = "name"  # subsequent-author-substitute finds single names by this
        rendered.append(node)
        inverted_flags.append(inverted and ("family" in name and "literal" not in name))
    if not rendered:
        return None, []
    use_last = o.get("et-al-use-last") == "true" and truncated and shown < len(names) - 1
    out = []
    and_mode = o.get("and")
    and_term = None
    if and_mode == "text":
        and_term = ev.locale.term_text("and") or "and"
    elif and_mode == "symbol":
        and_term = "&"
    for i, node in enumerate(rendered):
        if i > 0:
            last = i == len(rendered) - 1 and not truncated
            if last and and_term is not None:
                dpl = o.get("delimiter-precedes-last", "contextual")
                use_delim = (dpl == "always" or (dpl == "contextual" and len(rendered) >= 3)
                             or (dpl == "after-inverted-name" and inverted_flags[i - 1]))
                out.append(Text((delimiter if use_delim else " ") + and_term + " "))
            else:
                out.append(Text(delimiter))
        out.append(node)
    if truncated:
        if use_last:
            last_node = format_name(ev, names[-1], o, nas == "all", form, level_default, cite)
            out.append(Text(delimiter + "… "))
            out.append(last_node)
        else:
            term_name = etal_el.get("term", "et-al") if etal_el is not None else "et-al"
            term = ev.locale.term_text(term_name)
            if term:
                dpe = o.get("delimiter-precedes-et-al", "contextual")
                use_delim = (dpe == "always" or (dpe == "contextual" and len(rendered) >= 2)
                             or (dpe == "after-inverted-name" and inverted_flags[-1]))
                out.append(Text(delimiter if use_delim else " "))
                et_node = parse_markup(term, parse_quotes=False)
                if etal_el is not None:
                    et_node = ev.wrap(etal_el, et_node, cite)
                out.append(et_node)
    name_el = o.get("_name_el")
    node = Span(out)
    if name_el is not None and (name_el.fmt or name_el.prefix or name_el.suffix):
        node = ev.wrap(name_el, node, cite, case=False)
    return node, names[:shown]


def _label_node(ev, label_el, var, count, cite):
    if label_el is None:
        return None
    form = label_el.get("form", "long")
    plural_mode = label_el.get("plural", "contextual")
    plural = count > 1 if plural_mode == "contextual" else plural_mode == "always"
    term = ev.locale.term(var, form)
    if term is None:
        return None
    text = term.text(plural)
    if not text:
        return None
    return ev.wrap(label_el, parse_markup(text, parse_quotes=False), cite)


def render_names(ev, el, cite, frame, inherit=None):
    """<names>: each variable's list with its label, joined; else the substitute."""
    variables = el.get("variable", "").split()
    name_el = el.child("name")
    etal_el = el.child("et-al")
    label_el = el.child("label")
    if inherit is not None and name_el is None:
        name_el, etal_el, label_el_inh, label_before = inherit
        if label_el is None:
            label_el = label_el_inh
    else:
        label_before = False
        if label_el is not None and name_el is not None:
            label_before = el.children.index(label_el) < el.children.index(name_el)
    o = name_options(ev, el, name_el)
    form = o.get("form", "long")
    item = cite.item
    lists = []
    for var in variables:
        frame.called += 1
        if var in frame.suppressed:
            continue
        names = item.names.get(var)
        if names:
            lists.append((var, names))
    # editor and translator that are the same people print once, as "editortranslator"
    vars_present = [v for v, _ in lists]
    if "editor" in vars_present and "translator" in vars_present:
        ed = dict(lists)["editor"]
        tr = dict(lists)["translator"]
        if ed == tr and (label_el is None or ev.locale.term("editortranslator") is not None):
            lists = [(v if v != "editor" else "editortranslator", n) for v, n in lists if v != "translator"]
    if lists:
        frame.rendered += 1
        frame.rendered_vars.extend(v for v, _ in lists)
        if frame.sort_mode and form != "count":
            so = dict(o)
            so.update(frame.sort_overrides or {})
            keys = []
            for var, names in lists:
                shown, _ = shown_count(ev, so, names, cite)
                keys.extend(name_sort_key(ev, n) for n in names[:shown])
            return Text("  ".join(keys))
        if form == "count":
            total = 0
            counts = cite.disamb.name_counts if ev.mode == "citation" else None
            for var, names in lists:
                shown, _ = shown_count(ev, o, names, cite, cite.disamb.add_names if ev.mode == "citation" else 0,
                                       counts.get(var) if counts else None)
                total += shown
            if total == 0:
                return None
            return ev.wrap(el, Text(str(total)), cite)
        parts = []
        for var, names in lists:
            add = cite.disamb.add_names if ev.mode == "citation" else 0
            list_var = var if var != "editortranslator" else "editor"
            node, shown = render_name_list(ev, el, o, names, cite, etal_el, list_var, add)
            if node is None:
                continue
            # (variable, all names, shown names, form, initialize-with) for disambiguation
            frame.names_seen.append((list_var, names, shown, form, o.get("initialize-with")))
            label = _label_node(ev, label_el, var, len(names), cite)
            if label is not None:
                node = Span([label, node] if label_before else [node, label])
            parts.append(node)
            if frame.in_substitute:
                frame.suppressed.add(var)
        if not parts:
            return None
        joined = []
        delim = o.get("names-delimiter") if el.delimiter is None else el.delimiter
        for i, p in enumerate(parts):
            if i and delim:
                joined.append(Text(delim))
            joined.append(p)
        inner = Span(joined)
        if ev.mode == "bibliography" and not frame.first_names:
            # the first names of an entry: subsequent-author-substitute may replace them
            inner.role = "names-first"
            frame.first_names = inner
        return ev.wrap(el, inner, cite)
    # substitute
    subst = el.child("substitute")
    if subst is None:
        return None
    inherit_spec = (name_el, etal_el, label_el, label_before)
    for child in subst.children:
        saved = frame.in_substitute
        frame.in_substitute = True
        before_called, before_rendered = frame.called, frame.rendered
        mark = len(frame.rendered_vars)
        if child.tag == "names":
            node = render_names(ev, child, cite, frame, inherit=inherit_spec)
        else:
            node = ev.handlers[child.tag](child, cite, frame) if child.tag in ev.handlers else None
        frame.in_substitute = saved
        if node is not None and not is_empty(node):
            # what the substitute printed is suppressed in the rest of the output
            frame.suppressed.update(frame.rendered_vars[mark:])
            if form == "count":
                return None
            if ev.mode == "bibliography" and not frame.first_names:
                # a substituted title stands for the author in subsequent-author-substitute
                node = Span([node], role="names-first")
                frame.first_names = node
            return ev.wrap(el, node, cite) if (el.prefix or el.suffix or el.fmt) else node
        del frame.rendered_vars[mark:]
        frame.called, frame.rendered = before_called, before_rendered
    return None


# -- sorting helpers ---------------------------------------------------------------

def name_sort_key(ev, name: dict) -> str:
    """The sort string of one name, following demote-non-dropping-particle."""
    if "literal" in name or "family" not in name:
        lit = name.get("literal") or name.get("given") or ""
        return re.sub(r"^(the|a|an)\s+", "", lit, flags=re.I)
    family = name.get("family", "")
    ndp = name.get("non-dropping-particle", "")
    dp = name.get("dropping-particle", "")
    given = name.get("given", "")
    suffix = name.get("suffix", "")
    if ev.demote_particle == "never":
        parts = [_particle_join(ndp, family), dp, given, suffix]
    else:
        parts = [family, _join_words(dp, ndp), given, suffix]
    return " ".join(p for p in parts if p)


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
