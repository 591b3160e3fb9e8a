"""Reading a PO file exactly as strictly as GNU gettext does, and repairing nothing.

polib (and Babel) repair what GNU gettext rejects: an unterminated string loses its last
character, an unknown escape is kept as two characters, text outside quotes is skipped.
A translation read that way is not what the translator's tool meant, so this reader
follows GNU gettext's own lexer (``read-po-lex.c``) and grammar (``read-po-gram.y``) and
the checks ``msgfmt --check`` makes of the file as a whole (``read-catalog.c``,
``msgl-check.c``): every file msgfmt refuses for its syntax or its header is refused
here with the first problem and its line, and nothing else is read from it.

Like GNU gettext (0.21, the oracle of the tests): a backslash at the end of a line joins
the next line to it, anywhere; space, tab, CR, FF and VT separate tokens; a ``#`` starts a comment
that runs to the end of the line (``#|`` previous strings and ``#~`` obsolete entries are
tokens, not comments); a comment may not stand inside an entry; strings allow the C
escapes ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, up to three octal digits and ``\\x`` with
hex digits, which give bytes of the UTF-8 text. Entries keep their ``msgctxt``/``msgid``
pair unique, obsolete ones included; the header is the entry with an empty ``msgid`` and
no context, and its ``Plural-Forms`` must be an expression msgfmt accepts, giving a form
below ``nplurals`` for every n up to 1000.

What GNU gettext accepts with a warning and Editions does not (one ``Language``, UTF-8)
is checked by the caller, ``pofiles.read_po``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from editions.core.messages import _l

# Token kinds. Keywords are their own kind; inside "#|" they are the PREV_ ones.
COMMENT, STRING, PREV_STRING, NUMBER, JUNK = "comment", "string", "prev-string", "number", "junk"
MSGID, MSGID_PLURAL, MSGSTR, MSGCTXT, DOMAIN = (
    "msgid",
    "msgid_plural",
    "msgstr",
    "msgctxt",
    "domain",
)
PREV_MSGID, PREV_MSGID_PLURAL, PREV_MSGCTXT = "#| msgid", "#| msgid_plural", "#| msgctxt"
_KEYWORDS = {name: name for name in (MSGID, MSGID_PLURAL, MSGSTR, MSGCTXT, DOMAIN)}
_PREVIOUS_KEYWORDS = {
    "msgid": PREV_MSGID,
    "msgid_plural": PREV_MSGID_PLURAL,
    "msgctxt": PREV_MSGCTXT,
}

_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    |(?P<space>[ \t\r\f\v]+)
    |(?P<obsolete>\#~(?P<obsolete_previous>\|)?)
    |(?P<previous>\#\|)
    |(?P<comment>\#[^\n]*)
    |(?P<string>"(?P<body>(?:[^"\\\n]|\\[^\n])*)(?P<close>")?)
    |(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<number>[0-9]+)
    |(?P<bracket>[\[\]])
    |(?P<junk>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.|$))", re.DOTALL)
_SIMPLE_ESCAPES = {
    "n": b"\n",
    "t": b"\t",
    "b": b"\b",
    "r": b"\r",
    "f": b"\f",
    "v": b"\v",
    "a": b"\a",
    "\\": b"\\",
    '"': b'"',
}
_CONTEXT_SEPARATOR = "\x04"  # what separates msgctxt from msgid in a .mo file
PLURAL_CHECK_UP_TO = 1000  # msgfmt evaluates Plural-Forms for n = 0..1000


class PoSyntaxError(ValueError):
    """The first problem of a file GNU gettext would refuse, with its line."""

    def __init__(self, problem: str, line: int | None = None, /, **params: object) -> None:
        super().__init__(problem % params if params else problem)
        self.problem = problem
        self.line = line
        self.params = params


@dataclass(frozen=True)
class Token:
    kind: str
    line: int
    obsolete: bool
    text: str = ""  # a string's value, a comment's text, a number's digits, the junk


@dataclass(frozen=True)
class PoEntry:
    line: int  # where it starts: its msgctxt, or its msgid (after any #| lines)
    msgid: str
    msgstr: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    comments: tuple[str, ...] = field(default=(), repr=False)

    @property
    def is_header(self) -> bool:
        return self.msgctxt is None and self.msgid == ""

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass(frozen=True)
class PoCatalog:
    header: PoEntry
    entries: list[PoEntry]  # neither the header nor obsolete entries

    @property
    def header_fields(self) -> list[tuple[str, str]]:
        """``Name: value`` lines of the header, in order, repeated names included."""
        fields = []
        for line in self.header.msgstr.split("\n"):
            name, colon, value = line.partition(":")
            if colon:
                fields.append((name, value.strip()))
        return fields


# ---------------------------------------------------------------- lexing


def _joined(text: str) -> tuple[str, list[int]]:
    """The text with backslash-newline removed, as GNU gettext reads it, and where each
    removed line break was (positions in the joined text). A CR before a line break is
    space like any CR outside a string; gettext 0.21 does not join a backslash-CR-LF."""
    if "\\\n" not in text:
        return text, []
    pieces = text.split("\\\n")
    joins, position = [], 0
    for piece in pieces[:-1]:
        position += len(piece)
        joins.append(position)
    return "".join(pieces), joins


def _string_value(body: str, line: int) -> str:
    if "\\" not in body:
        value = body
    else:
        out = bytearray()
        position = 0
        for match in _ESCAPE.finditer(body):
            out += body[position : match.start()].encode()
            simple, octal, hexadecimal, other = match.groups()
            if simple is not None:
                out += _SIMPLE_ESCAPES[simple]
            elif octal is not None:
                out.append(int(octal, 8) & 0xFF)
            elif hexadecimal is not None:
                out.append(int(hexadecimal[-2:], 16))  # a C char keeps the last byte
            else:
                raise PoSyntaxError(
                    _l("invalid escape sequence %(sequence)s in a string"),
                    line,
                    sequence="\\" + (other or ""),
                )
            position = match.end()
        out += body[position:].encode()
        try:
            value = out.decode("utf-8")
        except UnicodeDecodeError:
            raise PoSyntaxError(
                _l("a string's escape sequences do not make UTF-8 text"), line
            ) from None
    if _CONTEXT_SEPARATOR in value:
        raise PoSyntaxError(_l("the control character U+0004 is not allowed in a string"), line)
    return value


def tokens(text: str) -> Iterator[Token]:
    """GNU gettext's tokens of a PO text, lazily, so the first problem is the first one."""
    text, joins = _joined(text)
    newlines = 0
    obsolete = previous = after_comment = False
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "newline":
            newlines += 1
            # GNU gettext reads a comment's line break as part of the comment, so it
            # does not end a "#|" that stands before the comment on the same line.
            if not after_comment:
                obsolete = previous = False
            after_comment = False
            continue
        if kind == "space":
            continue
        line = newlines + 1 + (bisect_right(joins, match.start()) if joins else 0)
        if kind == "obsolete":
            obsolete = True
            previous = previous or match.group("obsolete_previous") is not None
        elif kind == "previous":
            previous = True
        elif kind == "comment":
            yield Token(COMMENT, line, obsolete, match.group()[1:])
            obsolete, after_comment = False, True
        elif kind == "string":
            value = _string_value(_string_body(match, text, line), line)
            yield Token(PREV_STRING if previous else STRING, line, obsolete, value)
        elif kind == "name":
            yield Token(_keyword(match.group(), line, previous), line, obsolete)
        elif kind == "number":
            yield Token(NUMBER, line, obsolete, match.group())
        elif kind == "bracket":
            yield Token(match.group(), line, obsolete, match.group())
        else:
            yield Token(JUNK, line, obsolete, match.group())


def _string_body(match: re.Match[str], text: str, line: int) -> str:
    """What a string token holds between its quotes; refused when it is not closed."""
    if match.group("close") is None:
        at_end = match.end() >= len(text) or text[match.end()] == "\\"
        raise PoSyntaxError(
            _l("end of file inside a string: the closing quote is missing")
            if at_end
            else _l("end of line inside a string: the closing quote is missing"),
            line,
        )
    return match.group("body")


def _keyword(word: str, line: int, previous: bool) -> str:
    keyword = (_PREVIOUS_KEYWORDS if previous else _KEYWORDS).get(word)
    if keyword is None:
        raise PoSyntaxError(
            _l("unknown keyword %(keyword)s (text outside quotes?)"),
            line,
            keyword=_shown(word),
        )
    return keyword


def _shown(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:30] + "…")


# ---------------------------------------------------------------- the grammar


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens = tokens(text)
        self.token: Token | None = next(self._tokens, None)
        self._after: Token | None = None
        self._peeked = False

    def advance(self) -> Token:
        current = self.token
        assert current is not None
        if self._peeked:
            self.token, self._peeked = self._after, False
        else:
            self.token = next(self._tokens, None)
        return current

    def peek(self) -> Token | None:
        """The token after the current one."""
        if not self._peeked:
            self._after, self._peeked = next(self._tokens, None), True
        return self._after

    def unexpected(self, end_line: int) -> PoSyntaxError:
        token = self.token
        if token is None:
            return PoSyntaxError(_l("syntax error: the file ends inside an entry"), end_line)
        shown = {
            STRING: _shown(token.text),
            PREV_STRING: "#| " + _shown(token.text),
            COMMENT: _shown("#" + token.text),
            NUMBER: token.text,
            JUNK: _shown(token.text),
        }.get(token.kind, token.kind)
        return PoSyntaxError(_l("syntax error: unexpected %(token)s"), token.line, token=shown)

    def strings(self, kind: str, obsolete: bool, line: int) -> str:
        if self.token is None or self.token.kind != kind:
            raise self.unexpected(line)
        parts = []
        while self.token is not None and self.token.kind == kind:
            parts.append(self.consistent(obsolete).text)
        return "".join(parts)

    def consistent(self, obsolete: bool) -> Token:
        """The current token, taken, when it is as obsolete (#~) as its entry's first."""
        token = self.advance()
        if token.obsolete != obsolete:
            raise PoSyntaxError(_l("#~ marks only part of an entry"), token.line)
        return token

    def expect(self, kind: str, obsolete: bool, line: int) -> Token:
        if self.token is None or self.token.kind != kind:
            raise self.unexpected(line)
        return self.consistent(obsolete)

    def entries(self) -> list[PoEntry]:
        entries: list[PoEntry] = []
        comments: list[str] = []
        while self.token is not None:
            token = self.token
            if token.kind == COMMENT:
                comments.append(self.advance().text)
            elif token.kind == DOMAIN:
                raise PoSyntaxError(
                    _l("a domain directive is not allowed: a file holds one edition's entries"),
                    token.line,
                )
            elif token.kind in (PREV_MSGCTXT, PREV_MSGID, MSGCTXT, MSGID):
                entries.append(self.entry(comments))
                comments = []
            else:
                raise self.unexpected(token.line)
        return entries

    def entry(self, comments: list[str]) -> PoEntry:
        assert self.token is not None
        obsolete, line = self.token.obsolete, self.token.line
        previous: dict[str, str | None] = {}
        if self.token.kind == PREV_MSGCTXT:
            self.consistent(obsolete)
            previous["previous_msgctxt"] = self.strings(PREV_STRING, obsolete, line)
            if self.token is None or self.token.kind != PREV_MSGID:
                raise self.unexpected(line)
        if self.token is not None and self.token.kind == PREV_MSGID:
            self.consistent(obsolete)
            previous["previous_msgid"] = self.strings(PREV_STRING, obsolete, line)
            if self.token is not None and self.token.kind == PREV_MSGID_PLURAL:
                self.consistent(obsolete)
                previous["previous_msgid_plural"] = self.strings(PREV_STRING, obsolete, line)
        msgctxt = None
        if self.token is not None and self.token.kind == MSGCTXT:
            line = self.consistent(obsolete).line
            msgctxt = self.strings(STRING, obsolete, line)
        else:
            line = self.token.line if self.token is not None else line
        self.expect(MSGID, obsolete, line)
        msgid = self.strings(STRING, obsolete, line)
        msgstr, msgid_plural = "", None
        forms: tuple[str, ...] = ()
        token = self.token
        if token is not None and token.kind == MSGSTR:
            after = self.peek()
            if after is not None and after.kind == "[":
                raise PoSyntaxError(_l("the entry has msgstr[] forms but no msgid_plural"), line)
            self.consistent(obsolete)
            msgstr = self.strings(STRING, obsolete, line)
        elif token is not None and token.kind == MSGID_PLURAL:
            self.consistent(obsolete)
            msgid_plural = self.strings(STRING, obsolete, line)
            forms = self.plural_forms(obsolete, line)
            msgstr = forms[0]
        elif token is not None and token.kind == COMMENT:
            raise self.unexpected(line)  # GNU gettext allows no comment inside an entry
        else:
            raise PoSyntaxError(_l("the entry has no msgstr"), line)
        return PoEntry(
            line=line,
            msgid=msgid,
            msgstr=msgstr,
            msgctxt=msgctxt,
            msgid_plural=msgid_plural,
            msgstr_plural=forms,
            flags=_flags(comments),
            obsolete=obsolete,
            comments=tuple(comments),
            **previous,
        )

    def plural_forms(self, obsolete: bool, line: int) -> tuple[str, ...]:
        forms: list[str] = []
        while self.token is not None and self.token.kind == MSGSTR:
            self.consistent(obsolete)
            self.expect("[", obsolete, line)
            number = self.expect(NUMBER, obsolete, line)
            self.expect("]", obsolete, line)
            if int(number.text) != len(forms):
                raise PoSyntaxError(
                    _l("msgstr[%(index)s] where msgstr[%(expected)s] is expected"),
                    number.line,
                    index=number.text,
                    expected=len(forms),
                )
            forms.append(self.strings(STRING, obsolete, line))
        if not forms:
            raise PoSyntaxError(_l("the entry has msgid_plural but no msgstr[0]"), line)
        return tuple(forms)


def _flags(comments: list[str]) -> frozenset[str]:
    return frozenset(
        flag.strip()
        for comment in comments
        if comment.startswith(",")
        for flag in comment[1:].split(",")
        if flag.strip()
    )


# ---------------------------------------------------------------- the whole file


def read_catalog(text: str) -> PoCatalog:
    """Every entry of a PO text, or a PoSyntaxError for the first problem msgfmt --check has.

    ``text`` is the decoded file; a byte order mark, which GNU gettext does not accept
    but editors write, is the caller's to remove.
    """
    entries = _Parser(text).entries()
    seen: dict[tuple[str | None, str], PoEntry] = {}
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        first = seen.get(key)
        if first is not None:
            raise PoSyntaxError(
                _l("a second header entry (the first is at line %(first)s)")
                if entry.is_header
                else _l("duplicate entry %(entry)s (first at line %(first)s)"),
                entry.line,
                entry=_shown(entry.msgctxt or entry.msgid),
                first=first.line,
            )
        seen[key] = entry
    header = seen.get((None, ""))
    if header is None or header.obsolete or not header.msgstr:
        raise PoSyntaxError(_l('the file has no header entry (msgid "" with the Language)'))
    active = [entry for entry in entries if not entry.obsolete and not entry.is_header]
    _check_plural_forms(header, active)
    return PoCatalog(header, active)


# ---------------------------------------------------------------- Plural-Forms


def _check_plural_forms(header: PoEntry, entries: list[PoEntry]) -> None:
    """msgfmt --check's checks of ``nplurals=`` and ``plural=`` (msgl-check.c)."""
    counted = [
        entry
        for entry in entries
        if entry.msgid_plural is not None and entry.msgstr and not entry.fuzzy
    ]
    text = header.msgstr
    plural_at, nplurals_at = text.find("plural="), text.find("nplurals=")
    if plural_at < 0 or nplurals_at < 0:
        if counted:
            raise PoSyntaxError(
                _l("entries have plural forms but the header has no Plural-Forms"), header.line
            )
        return
    digits = re.match(r"\s*([0-9]+)", text[nplurals_at + 9 :])
    if digits is None:
        raise PoSyntaxError(
            _l("the Plural-Forms header has no number after nplurals="), header.line
        )
    nplurals = int(digits.group(1))
    try:
        expression = _PluralParser(text[plural_at + 7 :]).parse()
    except ValueError:
        raise PoSyntaxError(
            _l("the Plural-Forms header's plural= is not a valid expression"), header.line
        ) from None
    for n in range(PLURAL_CHECK_UP_TO + 1):
        try:
            value = expression(n)
        except ZeroDivisionError:
            raise PoSyntaxError(
                _l("the Plural-Forms expression divides by zero for n = %(n)s"), header.line, n=n
            ) from None
        if value >= 2**63 or value >= nplurals:
            raise PoSyntaxError(
                _l(
                    "the Plural-Forms expression gives form %(value)s for n = %(n)s, "
                    "but nplurals is %(nplurals)s"
                ),
                header.line,
                value=value if value < 2**63 else value - 2**64,
                n=n,
                nplurals=nplurals,
            )
    for entry in counted:
        if len(entry.msgstr_plural) != nplurals:
            raise PoSyntaxError(
                _l("the header says nplurals=%(nplurals)s but the entry has %(count)s forms"),
                entry.line,
                count=len(entry.msgstr_plural),
                nplurals=nplurals,
            )


_MASK = 2**64 - 1  # msgfmt evaluates in unsigned long
_PLURAL_TOKEN = re.compile(
    r"[ \t]*(?:([0-9]+)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()n])|([;\n]|$)|(.))"
)
_BINARY = {
    "||": (1, lambda a, b: int(bool(a()) or bool(b()))),
    "&&": (2, lambda a, b: int(bool(a()) and bool(b()))),
    "==": (3, lambda a, b: int(a() == b())),
    "!=": (3, lambda a, b: int(a() != b())),
    "<": (4, lambda a, b: int(a() < b())),
    ">": (4, lambda a, b: int(a() > b())),
    "<=": (4, lambda a, b: int(a() <= b())),
    ">=": (4, lambda a, b: int(a() >= b())),
    "+": (5, lambda a, b: (a() + b()) & _MASK),
    "-": (5, lambda a, b: (a() - b()) & _MASK),
    "*": (6, lambda a, b: (a() * b()) & _MASK),
    "/": (6, lambda a, b: a() // b()),
    "%": (6, lambda a, b: a() % b()),
}


class _PluralParser:
    """GNU gettext's plural expression grammar (intl/plural.y): C operators on ``n``."""

    def __init__(self, text: str) -> None:
        self.tokens: list[str | int] = []
        for match in _PLURAL_TOKEN.finditer(text):
            number, operator, end, junk = match.groups()
            if junk is not None:
                raise ValueError(junk)
            if end is not None:
                break
            self.tokens.append(int(number) & _MASK if number is not None else operator)
        self.position = 0

    def parse(self):
        if len(self.tokens) > 200:  # the longest real formula (Arabic) has about 60
            raise ValueError("too long")
        expression = self.conditional(0)
        if self.position != len(self.tokens):
            raise ValueError("trailing tokens")
        return lambda n: expression(n)

    def next(self) -> str | int | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str) -> None:
        if self.next() != expected:
            raise ValueError(expected)
        self.position += 1

    def conditional(self, depth: int = 0):
        if depth > 50:  # real formulas nest a few levels; this keeps recursion bounded
            raise ValueError("too deep")
        condition = self.binary(1, depth)
        if self.next() != "?":
            return condition
        self.position += 1
        yes = self.conditional(depth + 1)
        self.take(":")
        no = self.conditional(depth + 1)
        return lambda n: yes(n) if condition(n) else no(n)

    def binary(self, level: int, depth: int):
        left = self.unary(depth)
        while True:
            operator = self.next()
            rule = _BINARY.get(operator) if isinstance(operator, str) else None
            if rule is None or rule[0] < level:
                return left
            self.position += 1
            right = self.binary(rule[0] + 1, depth)
            combine = rule[1]
            left = (lambda lhs, rhs, op: lambda n: op(lambda: lhs(n), lambda: rhs(n)))(
                left, right, combine
            )

    def unary(self, depth: int):
        token = self.next()
        self.position += 1
        if token == "!":
            operand = self.unary(depth + 1)
            return lambda n: int(not operand(n))
        if token == "n":
            return lambda n: n
        if isinstance(token, int):
            return lambda n: token
        if token == "(":
            inner = self.conditional(depth + 1)
            self.take(")")
            return inner
        raise ValueError(token)
