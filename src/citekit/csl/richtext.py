"""The rich-text tree that evaluation produces, and the passes every format shares.

Evaluation builds a small tree of `Text` and `Span` nodes. `to_tokens()` flattens it to
a stream of text and open/close markers; the shared passes then resolve quotes (outer
and inner, by nesting), flip-flop nested italics/bold/small-caps, move punctuation into
quotes where the locale says so, and merge duplicate punctuation where pieces meet.
A renderer in `output/` only has to escape text and spell the markers.
"""

from __future__ import annotations

from . import lazy
from .limits import LIMITS

# Formatting attributes of CSL, in the order their markup nests (outermost first).
FORMAT_KEYS = ("vertical-align", "text-decoration", "font-weight", "font-variant", "font-style")


class Node:
    __slots__ = ()


class Text(Node):
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"Text({self.text!r})"


class LevelAffix(Text):
    """A prefix or suffix with a parenthesis that counts for nested brackets (note styles:
    see flip_nested_parens)."""

    __slots__ = ()


class Suffix(Text):
    """An element's suffix or a group's delimiter: when it follows a closing quote at the
    end of the element, its punctuation goes inside the quotes (_move_punctuation)."""

    __slots__ = ()


class QuoteSuffix(Text):
    """The suffix of a quoted element itself, or a delimiter right after one: its colon or
    semicolon stays outside the quotes (_move_punctuation)."""

    __slots__ = ()


class Prefix(Text):
    """An element's prefix: its punctuation is not merged with the prefix of the first
    element inside it (",, 1949" as citeproc-js prints it)."""

    __slots__ = ()


class Value(Text):
    """The text of a cs:text value or term, or a delimiter between cites: its spaces do
    not merge with an affix's (_merge_punctuation)."""

    __slots__ = ()


class Literal(Value):
    """A cs:text value of punctuation alone (value="." or ". "): its mark is never merged
    with the punctuation before it, as citeproc-js prints it ("forthcoming ;." for a
    suffix " ;" then value=".", "T.." for a title "T." then value="."); a value with
    words after its mark (". x") merges like an affix."""

    __slots__ = ()


class GluedDelimiter(Text):
    """The delimiter between two names whose cs:name has a suffix: citeproc-js adds it to
    the name's suffix string, so its spaces do not merge with the suffix's ("Smith␣" then
    " / " prints "Smith  / Okafor"); what follows merges with it. (Its punctuation does
    not merge there either, "Smith,, Okafor": a citeproc-js defect not followed.)"""

    __slots__ = ()


class LevelPrefix(LevelAffix):
    __slots__ = ()


class LevelSuffix(LevelAffix):
    __slots__ = ()


class LevelQuoteSuffix(LevelAffix):
    __slots__ = ()


_AFFIXES = (Prefix, Suffix, QuoteSuffix, LevelAffix)


# The suffix of an element with formatting or quotes of its own (a decoration, in
# citeproc-js): its space does not merge with the prefix space of the next sibling,
# "‘Title’,  Paper" (_merge_punctuation), unless the element is the last of its group,
# whose suffix then takes the space (settle_last_suffix).
class DecoSuffix(Suffix):
    __slots__ = ()


class DecoQuoteSuffix(QuoteSuffix):
    __slots__ = ()


# The suffix of a formatted cs:text, number or date-part that prints its value itself (a
# "leaf"), and a group delimiter right after one: citeproc-js merges its mark with the
# value's last one only when they are the same ("Help!. Parlophone", "Bat. Review"); the
# suffix of a group or macro around it merges as any.
class KeepMarkSuffix(Suffix):
    __slots__ = ()


class DecoKeepMarkSuffix(DecoSuffix):
    __slots__ = ()


class DecoLevelSuffix(LevelSuffix):
    __slots__ = ()


class DecoLevelQuoteSuffix(LevelQuoteSuffix):
    __slots__ = ()


# The suffix of a number (a number variable that citeproc-js keeps as a number): the
# suffix or delimiter of the level above does not merge its mark with it unless they
# repeat ("57:." for a volume's suffix ":" and the entry's "."), as citeproc-js never
# migrates punctuation into what ends in a number. The plain kinds are the same suffix
# once the number is the last of its group (settle_last_suffix).
class NumberSuffix(DecoSuffix):
    __slots__ = ()


class NumberLevelSuffix(DecoLevelSuffix):
    __slots__ = ()


class PlainNumberSuffix(Suffix):
    __slots__ = ()


class PlainNumberLevelSuffix(LevelSuffix):
    __slots__ = ()


# The prefix of an element with formatting or quotes of its own: its space merges with
# that of its first child's prefix across the element's own formatting, as citeproc-js
# merges a prefix with its first child's whatever the element's decorations.
class DecoPrefix(Prefix):
    __slots__ = ()


class DecoLevelPrefix(LevelPrefix):
    __slots__ = ()


# A sibling's prefix next to a formatted element (keep_prefix_out): it stays out of a
# closing quote right before it and its mark does not merge with one before it;
# otherwise as the prefix it replaces.
class OutPrefix(Prefix):
    __slots__ = ()


class OutDecoPrefix(DecoPrefix):
    __slots__ = ()


class OutLevelPrefix(LevelPrefix):
    __slots__ = ()


class OutDecoLevelPrefix(DecoLevelPrefix):
    __slots__ = ()


_OUT_PREFIX = {Prefix: OutPrefix, DecoPrefix: OutDecoPrefix, LevelPrefix: OutLevelPrefix,
               DecoLevelPrefix: OutDecoLevelPrefix}
# The same for a formatted element's own prefix right after a plain sibling's own suffix:
# a mark it repeats still merges, "In: <i>Bat</i>" for a term's suffix ":" and a prefix
# ": " (but "Inc.. <i>Bat</i>" after a value's period).
_OUT_PREFIX_AFTER_PLAIN = {}  # filled below, with their token classes


def own_span(node, names_outer: bool = False):
    """An element's own span: node itself, or the span inside its affixes (with
    names_outer, inside a names element's outer span too, when it opens with a prefix);
    None when that is not a span."""
    if node.__class__ is not Span:
        return None
    if node.role == "affixes" or (names_outer and node.role == "names-outer"
                                  and isinstance(node.children[0], (Prefix, LevelPrefix))):
        inner = node.children[1]
        return inner if inner.__class__ is Span else None
    return node


def _formatted(node) -> bool:
    """Does node carry formatting of its own (citeproc-js's decorations; quotes do not count)?"""
    own = own_span(node, names_outer=True)
    return own is not None and bool(own.fmt)


def keep_prefix_out(left, node: Span) -> None:
    """`node` follows its sibling `left` with no delimiter. When either has formatting of
    its own, the prefix that begins `node` (its own, or else that of the first element
    inside it) keeps its punctuation apart from the end of `left`: it does not go into a
    closing quote there, "“Title”, <i>Review</i>", nor merge with a mark there,
    "<i>Bat?</i>. Review", "Inc.. <i>Bat</i>" (citeproc-js moves and merges a prefix's mark
    into the sibling before it only between undecorated elements; a formatted element
    deeper inside either does not count). After a plain `left`, a mark of its own suffix
    that `node`'s own prefix repeats still merges, "In: <i>Bat</i>"."""
    after_formatted = _formatted(left)
    if not (after_formatted or _formatted(node)):
        return
    top = node
    while True:
        children = node.children
        i = 0
        while i < len(children) and children[i].__class__ is not Span and not children[i].text:
            i += 1  # an empty prefix: what follows it begins the node
        if i == len(children):
            return
        first = children[i]
        if first.__class__ is Span:
            if first.display:
                return
            node = first
            continue
        out = _OUT_PREFIX.get(first.__class__)
        if out is not None and first.text[0] in _PUNCT:
            # a repeated mark merges only between left's own suffix and node's own prefix
            # (not one of an element inside either)
            own = (node is top and not after_formatted and left.__class__ is Span and left.role == "affixes"
                   and left.children[2].text)
            children[i] = (_OUT_PREFIX_AFTER_PLAIN[out] if own else out)(first.text)
        return


def settle_last_suffix(last: Span) -> None:
    """The last element of a group, macro or layout (its affixes span): its suffix's space
    moves up to the group's (citeproc-js migrates it), so it merges as any suffix does."""
    suffix = last.children[2]
    plain = _UNDECORATED.get(suffix.__class__)
    if plain is not None:
        last.children[2] = plain(suffix.text)


class Span(Node):
    """A run of children with optional formatting, quotes, display or nocase.

    fmt: tuple of (key, value) pairs from FORMAT_KEYS.
    quotes: True for a quoted span (outer/inner quotes chosen by nesting).
    nocase: text-case transformations skip this span.
    """

    __slots__ = ("children", "fmt", "quotes", "display", "nocase", "role", "filled")

    def __init__(self, children, fmt=(), quotes=False, display=None, nocase=False, role=None):
        self.filled = False  # known to hold text (is_empty's cache; spans only grow while evaluating)
        self.children = children
        self.fmt = fmt
        self.quotes = quotes
        self.display = display
        self.nocase = nocase
        self.role = role

    def __repr__(self):
        extra = []
        if self.fmt:
            extra.append(f"fmt={self.fmt}")
        if self.quotes:
            extra.append("quotes")
        if self.display:
            extra.append(f"display={self.display}")
        if self.nocase:
            extra.append("nocase")
        return f"Span({self.children!r}{', ' if extra else ''}{', '.join(extra)})"


# ---------------------------------------------------------------------------
# Helpers used by evaluation

# font-style, font-variant or font-weight "normal" that prints even where nothing around it
# sets that attribute (see kept_normals); _flip_flop turns it back into "normal".
KEPT_NORMAL = "normal*"
_FLIPPING = ("font-style", "font-variant", "font-weight")


def kept_normals(fmt: tuple, content) -> tuple:
    """fmt with each "normal" that citeproc-js prints marked KEPT_NORMAL.

    citeproc-js drops a "normal" that nothing around it contradicts, but on an element
    whose content is several pieces (a group, a name list with et-al, a field with
    markup; not a called macro) it asks about the last piece instead: when that
    piece sets the attribute ("<et-al font-style="italic"/>" last in a names list in
    font-style="normal"), the "normal" prints, `<span style="font-style:normal;">…
    <i>et al.</i></span>`. content: the element's content, a Span of the pieces."""
    if not isinstance(content, Span) or not content.children:
        return fmt
    node = content.children[-1]
    own = {}
    # the last piece's own formatting: its display, affixes and formatting wrappers
    while isinstance(node, Span):
        if node.fmt:
            own.update(node.fmt)
            break
        if node.role == "affixes" and len(node.children) == 3:
            node = node.children[1]
        elif node.display and len(node.children) == 1:
            node = node.children[0]
        else:
            break
    if not own:
        return fmt
    return tuple((k, KEPT_NORMAL) if v == "normal" and k in _FLIPPING and own.get(k, "normal") != "normal"
                 else (k, v) for k, v in fmt)

def plain_text(node) -> str:
    """The text of a tree without any markup (for sorting, comparisons, tests)."""
    if node is None:
        return ""
    if isinstance(node, Text):
        return node.text
    if isinstance(node, (Span, list)):
        # one list of the pieces for the whole tree (every disambiguation render and sort
        # key asks), not a string joined at each level
        pieces = []
        _collect_text(node.children if isinstance(node, Span) else node, pieces)
        return "".join(pieces)
    return str(node)


def _collect_text(children, pieces: list) -> None:
    for c in children:
        if isinstance(c, Text):
            pieces.append(c.text)
        elif isinstance(c, Span):
            _collect_text(c.children, pieces)
        elif isinstance(c, list):
            _collect_text(c, pieces)
        elif c is not None:
            pieces.append(str(c))


def is_empty(node) -> bool:
    if node is None:
        return True
    if isinstance(node, Text):
        return node.text == ""
    if isinstance(node, Span):
        if node.filled:
            return False
        for c in node.children:
            if not is_empty(c):
                node.filled = True
                return False
        return True
    if isinstance(node, list):
        return all(is_empty(c) for c in node)
    return False


def iter_texts(node, skip_verbatim=False):
    """Every Text node in document order, with whether it sits inside a nocase span
    (skip_verbatim: without the tags of a field printed as typed, which text case passes over)."""
    out = []

    def walk(n, nocase):
        if isinstance(n, Text):
            out.append((n, nocase))
        elif isinstance(n, Span):
            if skip_verbatim and n.role == "verbatim":
                return
            nc = nocase or n.nocase
            for c in n.children:
                walk(c, nc)
        elif isinstance(n, list):
            for c in n:
                walk(c, nocase)

    walk(node, False)
    return out


def strip_periods(node) -> None:
    """strip-periods: remove every period from a tree's text (in place), but not from the
    affixes and delimiters of the elements inside (a macro's group suffix="." stays, as
    in citeproc-js, which strips the strings it prints, not the affixes around them)."""
    for t, _ in iter_texts(node):
        if "." in t.text and not isinstance(t, _AFFIXES):
            t.text = t.text.replace(".", "")


def unquote_typed(node) -> None:
    """quotes="false" on an element: the curly quotes typed in its field print as the
    locale's outer quotes, not as typed (citeproc-js flips a field's quotes from the
    nearest quotes attribute around them, and "false" flips to the outer quotes)."""
    if isinstance(node, Span):
        if node.quotes and node.role in ("typed", "nomove typed"):
            node.role += " unquoted"
        for c in node.children:
            unquote_typed(c)
    elif isinstance(node, list):
        for c in node:
            unquote_typed(c)


# ---------------------------------------------------------------------------
# Parsing the small markup CSL-JSON fields may carry

_TAG_RE = lazy.pattern(globals(), "_TAG_RE", r'(<i>|</i>|<b>|</b>|<sup>|</sup>|<sub>|</sub>|<sc>|</sc>'
    r'|<span\s+style="font-variant:\s*small-caps;?">|<span\s+class="(?:nocase|nodecor)">|</span>)')

_OPEN_TAGS = {
    "<i>": ("i", (("font-style", "italic"),), False),
    "<b>": ("b", (("font-weight", "bold"),), False),
    "<sup>": ("sup", (("vertical-align", "sup"),), False),
    "<sub>": ("sub", (("vertical-align", "sub"),), False),
    "<sc>": ("sc", (("font-variant", "small-caps"),), False),
}
# <span class="nodecor"> resets every decoration inside formatted text
_NODECOR = (("font-style", "normal"), ("font-variant", "normal"), ("font-weight", "normal"))
_CLOSE_TAGS = {"</i>": "i", "</b>": "b", "</sup>": "sup", "</sub>": "sub", "</sc>": "sc", "</span>": "span"}


# A space before : ; ? ! » or after « in text (not in a style's affixes or delimiters)
# becomes a narrow no-break space, as French typography and citeproc-js have it.
_NARROW_SPACE_RE = lazy.pattern(globals(), "_NARROW_SPACE_RE", r" (?=[:;?!»])|(?<=«) ")


def narrow_spaces(s: str) -> str:
    if "«" in s or "»" in s or " :" in s or " ;" in s or " ?" in s or " !" in s:
        return _NARROW_SPACE_RE.sub("\u202f", s)
    return s


def parse_markup(s: str, parse_quotes: bool = True) -> Node:
    """Turn a field value into rich text: known tags become spans, the rest is text.

    Straight and curly double quotes, and straight single quotes used as quotes,
    become quote spans so that they flip-flop with the style's own quotes; other
    straight apostrophes become typographic ones. Unbalanced tags and quotes are
    kept as literal text. Spaces at French punctuation become narrow no-break spaces.
    """
    s = narrow_spaces(s)
    if "<" not in s and '"' not in s and "'" not in s and "“" not in s:
        return Text(s)
    pieces = _TAG_RE.split(s) if "<" in s else [s]
    root = Span([])
    # stack entries: (kind, span, opener-char)
    stack = [("root", root, None)]
    # Markup nested deeper than this is kept as text: the tree's depth is bounded, so no
    # pass over it can exhaust the stack (docs/limits.md).
    max_depth = LIMITS.max_markup_depth
    buf = []  # text not yet attached to the top span: joined once, so parsing stays linear

    def add_text(t):
        buf.append(t)

    def flush():
        if buf:
            t = "".join(buf)
            buf.clear()
            kids = stack[-1][1].children
            if kids and isinstance(kids[-1], Text):
                kids[-1].text += t
            else:
                kids.append(Text(t))

    def push(kind, span, opener=None):
        flush()
        stack[-1][1].children.append(span)
        stack.append((kind, span, opener))

    def unwind_to(kind, opener=None):
        # close everything above the matching entry; unmatched quotes become literal
        flush()
        while stack[-1][0] != kind or (opener is not None and stack[-1][2] != opener):
            _revert(stack)
        stack.pop()

    for i, piece in enumerate(pieces):
        if not piece:
            continue
        if i % 2 == 1:
            if len(stack) > max_depth and piece not in _CLOSE_TAGS:
                add_text(piece)  # one level too deep: the tag stays text
                continue
            if piece in _OPEN_TAGS:
                name, fmt, _ = _OPEN_TAGS[piece]
                # text-case leaves small caps, superscript and subscript alone
                push(name, Span([], fmt=fmt, nocase=name in ("sup", "sub", "sc"), role="markup"), piece)
                continue
            if piece.startswith("<span"):
                if "nocase" in piece:
                    span = Span([], nocase=True)
                elif "nodecor" in piece:
                    span = Span([], fmt=_NODECOR, nocase=True)
                else:
                    span = Span([], fmt=(("font-variant", "small-caps"),), nocase=True, role="markup")
                push("span", span, piece)
                continue
            name = _CLOSE_TAGS.get(piece)
            if name is not None and any(k == name for k, _, _ in stack[1:]):
                unwind_to(name)
                continue
            add_text(piece)
            continue
        if not parse_quotes:
            add_text(piece)
            continue
        n = len(piece)
        j = 0
        while j < n:
            ch = piece[j]
            if ch in ('"', "“", "”", "'") or (ch in ("‘", "’") and any(k == "quote" for k, _, _ in stack)):
                if j > 0:
                    prev = piece[j - 1]
                else:
                    flush()
                    prev = _last_char(stack)
                nxt = piece[j + 1] if j + 1 < n else ("x" if i + 1 < len(pieces) else "")
                # curly single quotes count as quotes only inside other quotes (citeproc-js)
                opener_for_close = {'"': '"', "”": "“", "'": "'", "’": "‘"}.get(ch)
                open_idx = None
                if opener_for_close:
                    for k in range(len(stack) - 1, 0, -1):
                        if stack[k][0] == "quote" and stack[k][2] == opener_for_close:
                            open_idx = k
                            break
                can_close = prev != "" and not prev.isspace() and (ch != "'" or not nxt.isalnum())
                can_open = nxt != "" and not nxt.isspace() and (prev == "" or prev.isspace() or prev in "([{-–—/\"“‘"
                                                                  or ch in ('"', "“"))
                if open_idx is not None and can_close:
                    unwind_to("quote", opener_for_close)
                    if nxt in (".", ","):
                        # punctuation typed after a quote in the same field stays outside
                        quoted = stack[-1][1].children[-1]
                        quoted.role = "nomove typed" if quoted.role == "typed" else "nomove"
                    j += 1
                    continue
                if ch in ('"', "“", "'", "‘") and can_open and len(stack) <= max_depth:
                    # typed curly quotes print as typed where the style quotes nothing around them
                    push("quote", Span([], quotes=True, role="typed" if ch == "“" else None), ch)
                    j += 1
                    continue
                add_text("’" if ch == "'" else ch)
                j += 1
                continue
            k = j
            while k < n and piece[k] not in "\"“”'‘’":
                k += 1
            if k == j:
                k += 1  # a curly single quote that is only text here
            add_text(piece[j:k])
            j = k
    flush()
    while len(stack) > 1:
        _revert(stack)
    return root


def _last_char(stack) -> str:
    for _, span, _ in reversed(stack):
        if span.children:
            last = span.children[-1]
            if isinstance(last, Text):
                return last.text[-1:] if last.text else ""
            return "x"
        if _ == "quote":
            return "\""
    return ""


def _revert(stack) -> None:
    """An unclosed quote or tag on top of the stack: its opener becomes text again
    (citeproc-js prints an unbalanced "<i>" as it was typed)."""
    kind, span, opener = stack.pop()
    parent = stack[-1][1]
    idx = parent.children.index(span)
    literal = "’" if opener == "'" else opener
    # a tag printed as typed is not a word: text case passes over it ("<i>Wo>", not "<I>wo>")
    opened = Span([Text(literal)], role="verbatim") if literal.startswith("<") else Text(literal)
    parent.children[idx:idx + 1] = [opened] + span.children


# ---------------------------------------------------------------------------
# Flattening and the shared passes

class Tok:
    """A token of the flattened stream: text, or an open/close marker."""

    __slots__ = ("kind", "key", "value", "text")
    markup = False  # formatting from markup in a field (<i>), not from the style
    opaque = False  # see OpaqueTok

    def __init__(self, kind, key=None, value=None, text=""):
        self.kind = kind  # "text" | "open" | "close"
        self.key = key  # format key, "quote" or "display"
        self.value = value
        self.text = text

    def __repr__(self):
        if self.kind == "text":
            return f"T({self.text!r})"
        return f"{self.kind}({self.key}={self.value})"


Tok.brace = False  # from a LevelAffix
Tok.own = False  # from a QuoteSuffix
Tok.outer = False  # from a Suffix
Tok.prefix = False  # from a Prefix
Tok.value_text = False  # from a Value
Tok.literal = False  # from a Literal
Tok.keeps_mark = False  # from a KeepMarkSuffix: merges only a repeated mark
Tok.ends_number = False  # from a number's suffix: what follows merges only a repeated mark
Tok.glued = False  # from a GluedDelimiter
Tok.deco = False  # from the suffix of an element with its own formatting or quotes
Tok.opens_own = False  # from the prefix of an element with its own formatting or quotes
Tok.stays_out = False  # from an OutPrefix: its mark neither moves into a quote nor merges
Tok.merges_repeat = False  # from an OutPrefix after a plain sibling: merges a suffix's same mark


class MarkupTok(Tok):
    """The opening of formatting that a field's markup asked for."""

    __slots__ = ()
    markup = True


class OpaqueTok(Tok):
    """The opening of a names element's formatting: a "normal" inside does not print for
    it (citeproc-js applies it to the names' output as a whole, after the rest)."""

    __slots__ = ()
    opaque = True


class AffixTok(Tok):
    """The text of a LevelAffix."""

    __slots__ = ()
    brace = True


class OuterTok(Tok):
    __slots__ = ()
    outer = True


class OwnTok(Tok):
    __slots__ = ()
    own = True


class AffixOuterTok(AffixTok):
    __slots__ = ()
    outer = True


class AffixOwnTok(AffixTok):
    __slots__ = ()
    own = True


class PrefixTok(Tok):
    __slots__ = ()
    prefix = True


class AffixPrefixTok(AffixTok):
    __slots__ = ()
    prefix = True


class ValueTok(Tok):
    __slots__ = ()
    value_text = True


class LiteralTok(ValueTok):
    __slots__ = ()
    literal = True


class GluedTok(Tok):
    __slots__ = ()
    glued = True


class DecoPrefixTok(PrefixTok):
    __slots__ = ()
    opens_own = True


class DecoAffixPrefixTok(AffixPrefixTok):
    __slots__ = ()
    opens_own = True


class OutPrefixTok(PrefixTok):
    __slots__ = ()
    stays_out = True


class OutDecoPrefixTok(DecoPrefixTok):
    __slots__ = ()
    stays_out = True


class OutAffixPrefixTok(AffixPrefixTok):
    __slots__ = ()
    stays_out = True


class OutDecoAffixPrefixTok(DecoAffixPrefixTok):
    __slots__ = ()
    stays_out = True


class DecoOuterTok(OuterTok):
    __slots__ = ()
    deco = True


class KeepMarkTok(OuterTok):
    __slots__ = ()
    keeps_mark = True


class DecoKeepMarkTok(DecoOuterTok):
    __slots__ = ()
    keeps_mark = True


class DecoOwnTok(OwnTok):
    __slots__ = ()
    deco = True


class DecoAffixOuterTok(AffixOuterTok):
    __slots__ = ()
    deco = True


class DecoAffixOwnTok(AffixOwnTok):
    __slots__ = ()
    deco = True


class NumberTok(DecoOuterTok):
    __slots__ = ()
    ends_number = True


class NumberAffixTok(DecoAffixOuterTok):
    __slots__ = ()
    ends_number = True


class PlainNumberTok(OuterTok):
    __slots__ = ()
    ends_number = True


class PlainNumberAffixTok(AffixOuterTok):
    __slots__ = ()
    ends_number = True


# the token class of each kind of Text
Text.tok = Tok
LevelAffix.tok = AffixTok
Suffix.tok = OuterTok
QuoteSuffix.tok = OwnTok
LevelSuffix.tok = AffixOuterTok
LevelQuoteSuffix.tok = AffixOwnTok
Prefix.tok = PrefixTok
LevelPrefix.tok = AffixPrefixTok
Value.tok = ValueTok
Literal.tok = LiteralTok
GluedDelimiter.tok = GluedTok
DecoSuffix.tok = DecoOuterTok
KeepMarkSuffix.tok = KeepMarkTok
NumberSuffix.tok = NumberTok
NumberLevelSuffix.tok = NumberAffixTok
PlainNumberSuffix.tok = PlainNumberTok
PlainNumberLevelSuffix.tok = PlainNumberAffixTok
DecoKeepMarkSuffix.tok = DecoKeepMarkTok
DecoPrefix.tok = DecoPrefixTok
DecoLevelPrefix.tok = DecoAffixPrefixTok
OutPrefix.tok = OutPrefixTok
OutDecoPrefix.tok = OutDecoPrefixTok
OutLevelPrefix.tok = OutAffixPrefixTok
OutDecoLevelPrefix.tok = OutDecoAffixPrefixTok
for _cls in (OutPrefix, OutDecoPrefix, OutLevelPrefix, OutDecoLevelPrefix):
    _after = type(_cls.__name__ + "AfterPlain", (_cls,), {"__slots__": ()})
    _after.tok = type(_cls.tok.__name__ + "AfterPlain", (_cls.tok,), {"__slots__": (), "merges_repeat": True})
    _OUT_PREFIX_AFTER_PLAIN[_cls] = _after
del _cls, _after
DecoQuoteSuffix.tok = DecoOwnTok
DecoLevelSuffix.tok = DecoAffixOuterTok
DecoLevelQuoteSuffix.tok = DecoAffixOwnTok
_UNDECORATED = {DecoSuffix: Suffix, DecoKeepMarkSuffix: KeepMarkSuffix, DecoQuoteSuffix: QuoteSuffix,
                DecoLevelSuffix: LevelSuffix, NumberSuffix: PlainNumberSuffix, NumberLevelSuffix: PlainNumberLevelSuffix,
                DecoLevelQuoteSuffix: LevelQuoteSuffix}


def flatten(node, out=None) -> list:
    if out is None:
        out = []
    if node is None:
        return out
    if isinstance(node, Text):
        if node.text:
            out.append(node.tok("text", None, None, node.text))
        return out
    if isinstance(node, list):
        for c in node:
            flatten(c, out)
        return out
    if node.display or node.quotes or node.fmt:
        opens = []
        if node.display:
            opens.append(("display", node.display))
        if node.quotes:
            opens.append(("quote", node.role))
        opens.extend(node.fmt)
        # ("names-outer" is the names element's own formatting, opaque too: the bibliography
        # gives it that role for subsequent-author-substitute)
        open_tok = (MarkupTok if node.role == "markup" else
                    OpaqueTok if node.role == "opaque" or node.role == "names-outer" else Tok)
        for k, v in opens:
            out.append(open_tok("open", k, v))
    else:
        opens = None
    start = len(out)
    for c in node.children:
        if isinstance(c, Text):  # (flatten(c, out), inlined: half the nodes are text)
            if c.text:
                out.append(c.tok("text", None, None, c.text))
        else:
            flatten(c, out)
    if opens is None:
        return out
    if len(out) == start:
        # drop empty formatting, quotes and display blocks
        del out[start - len(opens):]
        return out
    close_tok = MarkupTok if node.role == "markup" else Tok
    for k, v in reversed(opens):
        out.append(close_tok("close", k, v))
    return out


_PUNCT = set(".,;:!?")

# What to do when two punctuation marks meet across a boundary (left, right):
# "first" keeps the left, "second" the right, absent keeps both.
_MERGE = {
    ("!", "."): "first", ("!", ":"): "first", ("?", "."): "first", ("?", ":"): "first",
    (":", "!"): "second", (":", "?"): "second", (":", "."): "first",
    (";", "!"): "second", (";", "?"): "second", (";", ":"): "first", (";", "."): "first",
    ("!", "!"): "first", ("?", "?"): "first", (".", "."): "first", (":", ":"): "first",
    (";", ";"): "first", (",", ","): "first",
}


def resolve(tokens: list, *, punctuation_in_quote: bool, quotes: tuple, nested_braces: bool = False) -> list:
    """Run the shared passes over a token stream; returns the final stream.

    quotes: (open, close, open_inner, close_inner) from the locale.
    nested_braces: parentheses of affixes nested in parentheses become brackets (note styles).
    """
    if nested_braces:
        flip_nested_parens(tokens)
    _punctuation_before_display(tokens)
    tokens = _move_punctuation(tokens, punctuation_in_quote)
    tokens = _merge_punctuation(tokens)
    _assign_quotes(tokens, quotes)
    _flip_flop(tokens)
    return tokens


def flip_nested_parens(tokens: list) -> None:
    """In a note style, a parenthesis of an affix inside another one becomes a bracket,
    "(Bloomington, 1984; originally published as … [1965])", as citeproc-js prints it.

    As in citeproc-js, only the affixes of groups, macro calls, dates and numbers count
    (LevelAffix; not parentheses typed in a field, a term or a value), counted over one
    citation or one bibliography entry: each "(" at an odd depth opens a "[" and each ")"
    that closes to an odd depth closes a "]". (citeproc-js carries the count of the last
    citation over into the bibliography, where an unbalanced count turns the outer
    parentheses into brackets: a defect not followed.)"""
    depth = 0
    for tok in tokens:
        if not tok.brace:
            continue
        text = tok.text
        if "(" not in text and ")" not in text:
            continue
        chars = list(text)
        for i, ch in enumerate(chars):
            if ch == "(":
                if depth > 0 and depth % 2:  # (JavaScript's remainder: never odd below zero)
                    chars[i] = "["
                depth += 1
            elif ch == ")":
                if not depth % 2:
                    chars[i] = "]"
                depth -= 1
        tok.text = "".join(chars)


def _punctuation_before_display(tokens: list) -> None:
    """Punctuation that opens a display element right after another one goes to the end
    of the one before (citeproc-js: "<div>1989.</div><div> Pub</div>", not "1989" and ". Pub")."""
    for i, tok in enumerate(tokens):
        if tok.key == "display" and tok.kind == "open":
            break
    else:
        return  # no display element (most styles): nothing to do
    i = max(i, 1)
    while i < len(tokens):
        tok = tokens[i]
        if not (tok.kind == "open" and tok.key == "display" and tokens[i - 1].kind == "close"
                and tokens[i - 1].key == "display"):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].kind == "open" and tokens[j].key != "display":
            j += 1
        if j < len(tokens) and tokens[j].kind == "text":
            text = tokens[j].text
            n = 0
            while n < len(text) and text[n] in _PUNCT:
                n += 1
            if n:
                tokens[j].text = text[n:]
                tokens.insert(i - 1, Tok("text", text=text[:n]))  # inside the display before
                i += 1
        i += 1


# Marks that make citeproc-js parse a string into quotes and apostrophes (its
# flip-flopper), so that it is no longer one string
_QUOTE_MARKS = frozenset("'\"‘’“”«»„‚<")


def _move_punctuation(tokens: list, inside: bool) -> list:
    """With punctuation-in-quote (as citeproc-js does it): the run of punctuation
    right after a closing quote is merged mark by mark. An enclosing element's
    punctuation (its suffix, or a delimiter after it) goes inside first, whatever the
    mark ("“Title;”" for a group with suffix ";" that ends in it); then the quoted
    element's own suffix (QuoteSuffix), whose periods, commas, ! and ? move inside and
    whose colons and semicolons stay (or go) outside: suffix="," in a group with suffix
    "." gives "“Title.,”", as citeproc-js prints it."""
    if not inside:
        return tokens
    moved = False
    for i, tok in enumerate(tokens):
        if tok.kind != "close" or tok.key != "quote" or (tok.value and "nomove" in tok.value):
            continue
        moved = True
        k = i - 1
        while k >= 0 and tokens[k].kind == "close":
            k -= 1
        last_inside = tokens[k] if k >= 0 and tokens[k].kind == "text" else None
        # the punctuation run after the quote, across text pieces and closing markers
        run = []  # the quoted element's own
        outer = []  # enclosing elements'
        # citeproc-js puts the enclosing elements' marks straight into the quoted text only
        # when it is one string (no markup or quotes of the field inside)
        plain = last_inside is not None
        if plain:
            m = k - 1
            while m >= 0 and tokens[m].kind == "open" and tokens[m].key != "quote" and not tokens[m].markup:
                m -= 1
            plain = (m >= 0 and tokens[m].kind == "open" and tokens[m].key == "quote"
                     and not _QUOTE_MARKS.intersection(last_inside.text))
        j = i + 1
        first_out = None
        while j < len(tokens):
            t = tokens[j]
            if t.kind == "close":
                j += 1
                continue
            if t.kind != "text" or t.stays_out:
                break
            n = 0
            while n < len(t.text) and t.text[n] in _PUNCT:
                n += 1
            # (a sibling's prefix after an enclosing element's suffix joins that suffix)
            if (t.outer or (outer and t.prefix)) and plain:
                outer.extend(t.text[:n])
            else:
                run.extend((ch, t.own) for ch in t.text[:n])
            t.text = t.text[n:]
            if first_out is None:
                first_out = t
            if t.text:
                break
            j += 1
        if last_inside is not None and not outer:
            stripped = last_inside.text.rstrip(":;")
            if stripped and stripped != last_inside.text:
                run[:0] = ((ch, False) for ch in last_inside.text[len(stripped):])
                last_inside.text = stripped
        left = ""
        if outer:
            # citeproc-js passes one mark down each level (and a period after it): the
            # rest of the enclosing elements' marks stay outside, "“Title.”, Review"
            joined = ""
            for ch in outer:
                joined = _join_punct(joined, ch)
            cut = 2 if joined[1:2] == "." else 1
            for ch in joined[:cut]:
                last_inside.text = _join_punct(last_inside.text, ch)
            left = joined[cut:]
        if not run and not left:
            continue
        outside = ""
        for ch, own in run:
            if outside:
                outside = _join_punct(outside, ch)
                if len(outside) == 1 and outside in ".,!?":
                    ch, outside = outside, ""
                else:
                    continue
            if ch in ".,!?" and last_inside is not None:
                last_inside.text = _join_punct(last_inside.text, ch)
            elif last_inside is not None and last_inside.text[-1:] == ch:
                continue  # the same mark inside already
            elif last_inside is not None and last_inside.text and last_inside.text[-1] in _PUNCT and not own:
                joined = _join_punct(last_inside.text[-1], ch)
                if joined == last_inside.text[-1]:
                    continue  # "!" then ":" — the colon goes
                outside = ch
            else:
                outside = ch
        outside = _join_punct(outside, left) if outside else left
        if outside:
            if first_out is not None:
                first_out.text = outside + first_out.text
            else:
                tokens.insert(i + 1, Tok("text", text=outside))
    if not moved:
        return tokens  # (empty text left by an earlier pass is _merge_punctuation's to drop)
    return [t for t in tokens if t.kind != "text" or t.text]


def _join_punct(left: str, right: str) -> str:
    if left and right and left[-1] in _PUNCT and right[0] in _PUNCT:
        rule = _MERGE.get((left[-1], right[0]))
        if rule == "first":
            return left + right[1:]
        if rule == "second":
            return left[:-1] + right
    return left + right


def _merge_punctuation(tokens: list) -> list:
    """Where two text pieces meet, drop doubled punctuation and doubled spaces.

    Spaces (and no-break spaces) merge as citeproc-js merges the affixes and delimiters
    of neighbouring levels: not across formatting or quotes ("<i>Tt </i> Pub" keeps both;
    a style's font-style="normal" counts, as it is a decoration there even where it prints
    nothing), and not after the text of a cs:text value ("in " then suffix " ": citeproc-js
    never merges a string with the affixes around it)."""
    prev = None  # last text token seen
    crossed = False  # formatting or a quote opened or closed since prev
    closed = False  # formatting or a quote closed since prev
    own_pending = False  # a decorated element's prefix space just merged away (see below)
    quoted = False  # a quote closed since prev
    emptied = False  # some text is empty: dropped at the end
    for tok in tokens:
        if tok.kind != "text":
            if tok.key == "quote" or (tok.key in _NORMAL and (tok.value != _NORMAL[tok.key] or not tok.markup)):
                # (a field's own markup that prints nothing, <span class="nodecor"> in italics, does not)
                crossed = True
                if tok.kind == "close":
                    closed = True
                    quoted = quoted or tok.key == "quote"
            continue
        if own_pending and tok.prefix and not closed and tok.text[:1] == " ":
            # the first child's prefix space after a decorated element's prefix space that
            # merged with what came before it: it goes too
            tok.text = tok.text[1:]
        own_pending = False
        if prev is not None and prev.text and tok.text:
            a, b = prev.text[-1], tok.text[0]
            if (a in _PUNCT and b in _PUNCT and not (prev.prefix and tok.prefix)
                    and not tok.literal and not (tok.keeps_mark and a != b)
                    and not (tok.stays_out and not (tok.merges_repeat and a == b and prev.outer))
                    and not (prev.ends_number and a != b and not tok.prefix)
                    and not (quoted and tok.own and not _QUOTE_MARKS.intersection(prev.text))):
                # (a quoted string's own suffix keeps its mark after one inside, "“Why?”:", and
                # a prefix after its parent's prefix, ",, 1949": citeproc-js merges neither)
                rule = _MERGE.get((a, b))
                if rule == "first":
                    tok.text = tok.text[1:]
                elif rule == "second":
                    prev.text = prev.text[:-1]
                    emptied = emptied or not prev.text
            elif (a == b and (a == " " or a == "\u00a0") and not prev.value_text and not tok.value_text
                  and not tok.glued
                  and (not crossed or (prev.opens_own and tok.prefix and not closed))
                  and not (prev.deco and tok.prefix)):
                # (citeproc-js merges the spaces of affixes and delimiters, not an affix's with
                # the text of a value or term: a value " " then prefix " (" keeps both, as
                # ", " then a value " Available from: "; nor a formatted or quoted element's
                # suffix with its next sibling's prefix)
                if prev.deco and tok.outer and not tok.deco:
                    # a formatted element's suffix then a delimiter: the suffix gives up its
                    # space (citeproc-js trims a child's suffix against its parent's
                    # delimiter), so the next prefix still merges with the delimiter's
                    # ("Ashton" suffix " ", delimiter " ", prefix " 2020": one space)
                    prev.text = prev.text[:-1]
                    emptied = emptied or not prev.text
                    prev = tok
                    crossed = closed = quoted = False
                    continue
                tok.text = tok.text[1:]
                own_pending = tok.opens_own and not tok.text
        if tok.text:
            prev = tok
            crossed = closed = quoted = False
        else:
            emptied = True
    if not emptied:
        return tokens
    return [t for t in tokens if t.kind != "text" or t.text]


def _assign_quotes(tokens: list, quotes: tuple) -> None:
    open_q, close_q, open_inner, close_inner = quotes
    # where the locale's quotes are not “…” (de: „…“ and ‚…‘), citeproc-js reads a
    # field's “…” as plain text: it prints as typed and nests nothing
    literal = "“" not in (open_q, open_inner)
    depth = 0
    for tok in tokens:
        if tok.key != "quote":
            continue
        if literal and tok.value and "typed" in tok.value:
            tok.value = "“" if tok.kind == "open" else "”"
            continue
        # A field's own curly quotes outside any other quotes stay as typed (“…”), not the
        # locale's quotes, as citeproc-js prints them; inside quotes they flip-flop.
        typed = depth == 0 or (tok.kind == "close" and depth == 1)
        typed = typed and bool(tok.value) and "typed" in tok.value
        if typed and "unquoted" in tok.value:
            typed = False  # quotes="false" around them: they flip to the outer quotes
        if tok.kind == "open":
            tok.value = "“" if typed else open_q if depth % 2 == 0 else open_inner
            depth += 1
        else:
            depth -= 1
            tok.value = "”" if typed else close_q if depth % 2 == 0 else close_inner


_NORMAL = {"font-style": "normal", "font-variant": "normal", "font-weight": "normal",
           "text-decoration": "none", "vertical-align": "baseline"}


def _flip_flop(tokens: list) -> None:
    """Italic markup of a field inside italic becomes normal (and so for bold and small
    caps). The style's "normal" prints only where formatting further out sets the
    attribute (not a names element's around its own parts: OpaqueTok), or where it is
    KEPT_NORMAL, as citeproc-js prints it. The style's own formatting does not flip:
    italic inside italic stays italic (<i><i>, as citeproc-js writes it).
    text-decoration="none" always prints, as in citeproc-js."""
    state = {k: _NORMAL[k] for k in FORMAT_KEYS}
    stack = []
    set_above = dict.fromkeys(FORMAT_KEYS, 0)  # open non-normal formatting, per attribute
    for tok in tokens:
        if tok.kind == "open" and tok.key in state:
            key = tok.key
            prev = state[key]
            value = tok.value
            if value == KEPT_NORMAL:
                value = "normal"
            elif value == "normal" and not tok.markup and key in _FLIPPING:
                if not set_above[key]:
                    value = None  # nothing to undo: no markup
            elif value == prev and value != _NORMAL[key] and key in _FLIPPING:
                if tok.markup:
                    value = _NORMAL[key]
            elif value == prev and value != "none":
                value = None  # no change: no markup
            tok.value = value
            counted = value is not None and value != _NORMAL[key] and not tok.opaque
            stack.append((key, prev, counted))
            if value is not None:
                state[key] = value
                if counted:
                    set_above[key] += 1
        elif tok.kind == "close" and tok.key in state:
            # closes mirror opens in a well-nested stream
            key, prev, counted = stack.pop()
            if counted:
                set_above[key] -= 1
            state[key] = prev
    # pair closes with their opens' resolved values
    opens = []
    for tok in tokens:
        if tok.kind == "open" and tok.key in state:
            opens.append(tok)
        elif tok.kind == "close" and tok.key in state:
            tok.value = opens.pop().value
