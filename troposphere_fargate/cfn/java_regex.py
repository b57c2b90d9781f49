"""A parameter's ``AllowedPattern`` read as CloudFormation reads it: as a Java regular expression.

"All regular expressions in CloudFormation conform to the Java regex syntax" (CloudFormation
User Guide, "Using regular expressions in CloudFormation templates"), and "the pattern must
match the entire parameter value" (Parameters template section syntax): Java's
``Pattern.compile(pattern).matcher(value).matches()``. Python's ``re`` reads many patterns
differently: ``\\d`` takes any Unicode digit there (Java's ``[0-9]``), ``.`` takes a carriage
return (Java's stops at every line terminator), and ``\\p{Alpha}``, ``\\Q...\\E`` or ``\\z`` are
errors. :func:`python_pattern` rewrites a Java pattern into a Python one that full-matches
exactly the same strings, construct by construct, and refuses (:class:`NotReadable`) every
construct it cannot rewrite so, rather than guess: a dry run then says the pattern was not
checked instead of taking or refusing what CloudFormation would not.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["NotReadable", "python_pattern"]


class NotReadable(ValueError):
    """A Java pattern :func:`python_pattern` cannot rewrite with the same meaning, or one Java
    refuses; the message says which construct."""


# Java's line terminators: what ``.`` stops at and what ``$`` may stand before at the end
# (java.util.regex.Pattern, "Line terminators"), as a Python class's contents.
_TERMINATORS = "\\n\\r\\x85\\u2028\\u2029"
_DOT = f"[^{_TERMINATORS}]"
# ``$`` without MULTILINE: "at the end of input but for the final terminator, if any"; between
# the ``\r`` and ``\n`` of a final ``\r\n`` it is not (Java's Dollar node). A ``$`` that ends
# an alternative of the whole pattern (``^a$``, ``^$|^b$``) is ``\Z``: ``matches()`` ends there
# at the end of input, and re compiles these lookarounds slowly (most of validate's time in re).
_DOLLAR = "(?:(?=\\r\\n\\Z)|(?<!\\r)(?=\\n\\Z)|(?=[\\r\\x85\\u2028\\u2029]\\Z)|\\Z)"
# The POSIX character classes, US-ASCII only as Java has them by default (java.util.regex
# .Pattern, "POSIX character classes (US-ASCII only)"), as a Python class's contents.
_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7f",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1f\\x7f",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0b\\f\\r",
}
# Escapes both engines read alike with Python's ASCII flag (``\s`` is [ \t\n\x0B\f\r] in both).
_CLASS_ESCAPES = frozenset("dDsSwW")
_CONTROL = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\a", "e": "\x1b"}
# Escapes Java has that are not read here, and why (any other letter Java refuses).
_ESCAPES_NOT_READ = {
    **dict.fromkeys("bB", "a word boundary, Unicode-aware in Java"),
    **dict.fromkeys("123456789k", "a backreference"),
    **dict.fromkeys("hHvVRX", "a Unicode class of Java's"),
    "G": "the end of the previous match",
    "Z": "the end but for a final line terminator",
    "N": "a character by its name",
    "Q": "a quotation inside a class",
}
_JAVA_INT_MAX = 2**31 - 1  # a repetition's bounds are Java ints
_QUANTIFIER = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")
_GROUP_NAME = re.compile(r"\(\?<([a-zA-Z][a-zA-Z0-9]*)>")


@lru_cache(maxsize=256)
def python_pattern(java: str) -> re.Pattern[str]:
    """``java`` (a Java regular expression) as a compiled Python pattern whose ``fullmatch``
    takes exactly the strings Java's ``matches()`` takes. Raises :class:`NotReadable` for a
    construct it cannot rewrite with the same meaning (a Unicode property, a backreference,
    ``\\b``, set operations in a class, flags but ``i``) or that Java refuses."""
    reader = _Reader(java)
    text = reader.pattern()
    try:
        return re.compile(text, re.ASCII | (re.IGNORECASE if reader.ignore_case else 0))
    except (re.error, ValueError, OverflowError, RecursionError) as exc:
        raise NotReadable(f"Python cannot compile it as Java reads it: {exc}") from None


class _Reader:
    """One pass over a Java pattern, writing its Python equivalent."""

    def __init__(self, java: str) -> None:
        self.java = java
        self.at = 0
        self.ignore_case = False  # a leading (?i): the whole pattern
        self.depth = 0  # the groups open where the reader stands

    def peek(self, size: int = 1) -> str:
        return self.java[self.at : self.at + size]

    def pattern(self) -> str:
        out: list[str] = []
        while self.at < len(self.java):
            char = self.java[self.at]
            self.at += 1
            if char == "\\":
                out.append(self.escape(in_class=False))
            elif char == "[":
                out.append(self.char_class())
            elif char == ".":
                out.append(_DOT)
            elif char == "$":
                out.append(_DOLLAR if self.depth or self.peek() not in ("", "|") else "\\Z")
            elif char == "(":
                out.append(self.group())
            elif char in "^)|":
                self.depth -= char == ")"
                out.append(char)
            elif char in "*+?":
                out.append(char + self.quantifier_mode())
            elif char == "{":
                out.append(self.repetition())
            else:
                out.append(re.escape(char))
        return "".join(out)

    def quantifier_mode(self) -> str:
        """The ``?`` (reluctant) or ``+`` (possessive) after a quantifier, read alike."""
        if self.peek() in ("?", "+"):
            self.at += 1
            return self.java[self.at - 1]
        return ""

    def repetition(self) -> str:
        found = _QUANTIFIER.match(self.java, self.at - 1)
        if found is None:
            # Python takes a "{" that starts no repetition as itself, and {,n} as {0,n}.
            raise NotReadable(f"{{ at {self.at - 1}: Java refuses a {{ that starts no repetition")
        if any(int(bound) > _JAVA_INT_MAX for bound in (found.group(1), found.group(3)) if bound):
            # Java reads each bound as an int and refuses one past it; Python's re takes more.
            raise NotReadable(f"{{ at {self.at - 1}: Java refuses a bound past {_JAVA_INT_MAX}")
        self.at = found.end()
        return found.group(0) + self.quantifier_mode()

    def group(self) -> str:
        """The opening of a group, ``(`` read; "" for a leading ``(?i)``, which opens none."""
        opening = self._group()
        self.depth += opening != ""
        return opening

    def _group(self) -> str:
        if self.peek() != "?":
            return "("
        for opening in ("?:", "?=", "?!", "?<=", "?<!", "?>"):
            if self.java.startswith(opening, self.at):
                self.at += len(opening)
                return "(" + opening
        named = _GROUP_NAME.match(self.java, self.at - 1)
        if named:
            self.at = named.end()
            return f"(?P<{named.group(1)}>"
        if self.java.startswith("?i)", self.at) and self.java[: self.at - 1] in ("", "^"):
            self.at += 3
            self.ignore_case = True  # ASCII-only case folding in both, with Python's ASCII flag
            return ""
        if self.java.startswith("?i:", self.at):
            self.at += 3
            return "(?i:"
        raise NotReadable(
            f"(? at {self.at - 1}: a flag other than a leading i, or no group Java has"
        )

    def escape(self, in_class: bool) -> str:
        """The escape after a backslash, as Python writes it."""
        return self.escaped(in_class)[1]

    def escaped(self, in_class: bool) -> tuple[str | None, str]:
        """The escape after a backslash: the one character it stands for (None for a class
        such as ``\\d``, an anchor or a quotation) and its Python text."""
        if self.at >= len(self.java):
            raise NotReadable(
                f"\\ at {self.at - 1}: Java refuses a pattern that ends in a backslash"
            )
        char = self.java[self.at]
        self.at += 1
        if char in _CLASS_ESCAPES:
            return None, "\\" + char
        if char in _CONTROL:
            return _CONTROL[char], re.escape(_CONTROL[char])
        if char in "pP":
            return None, self.posix(char == "P", in_class)
        if not in_class and char in "Az":
            return None, "\\A" if char == "A" else "\\Z"
        if not in_class and char == "Q":
            end = self.java.find("\\E", self.at)
            quoted = self.java[self.at :] if end < 0 else self.java[self.at : end]
            self.at = len(self.java) if end < 0 else end + 2
            return None, re.escape(quoted)
        code = self.code_point(char)
        if code is not None:
            return chr(code), re.escape(chr(code))
        if char.isascii() and char.isalnum():
            why = _ESCAPES_NOT_READ.get(char, "Java refuses an escape it does not define")
            raise NotReadable(f"\\{char} at {self.at - 2}: {why}")
        return char, re.escape(char)  # a backslash before anything but a letter: the character

    def code_point(self, char: str) -> int | None:
        """The character an octal, hexadecimal, Unicode or control escape names."""
        where = self.at - 2
        if char == "0":
            digits = re.match(r"[0-3][0-7]{2}|[0-7]{1,2}", self.java[self.at :])
            if digits is None:
                raise NotReadable(f"\\0 at {where}: Java refuses it without an octal digit")
            self.at += digits.end()
            return int(digits.group(0), 8)
        if char == "x":
            # \x{h...h}: any number of digits, the code point checked below (Java's x()).
            hexadecimal = re.match(r"\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2})", self.java[self.at :])
            if hexadecimal is None:
                raise NotReadable(f"\\x at {where}: Java refuses it without two hexadecimal digits")
            self.at += hexadecimal.end()
            code = int(hexadecimal.group(1) or hexadecimal.group(2), 16)
        elif char == "u":
            four = re.match(r"[0-9a-fA-F]{4}", self.java[self.at :])
            if four is None:
                raise NotReadable(
                    f"\\u at {where}: Java refuses it without four hexadecimal digits"
                )
            self.at += 4
            code = int(four.group(0), 16)
        elif char == "c" and self.at < len(self.java):
            self.at += 1
            return ord(self.java[self.at - 1]) ^ 64
        else:
            return None
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise NotReadable(f"\\{char} at {where}: a surrogate, or past U+10FFFF")
        return code

    def posix(self, negated: bool, in_class: bool) -> str:
        named = re.match(r"\{(\w+)\}", self.java[self.at :])
        name = named.group(1) if named else self.peek()
        if named is None or name not in _POSIX:
            raise NotReadable(
                f"\\p{{{name}}} at {self.at - 2}: a Unicode property (of the \\p classes, "
                "only the POSIX ones such as \\p{Alpha} are read)"
            )
        self.at += named.end()
        if in_class and negated:
            raise NotReadable(
                f"\\P{{{name}}} at {self.at - 2 - named.end()}: a negated class inside a class"
            )
        if in_class:
            return _POSIX[name]
        return f"[{'^' if negated else ''}{_POSIX[name]}]"

    def char_class(self) -> str:
        """A class, ``[`` read: its members, each written out for Python (no nested classes or
        set operations, which Java reads as unions and intersections and Python as text)."""
        start = self.at - 1
        opening = "["
        if self.peek() == "^":
            opening += "^"
            self.at += 1
        members: list[str] = []
        single: str | None = None  # the last member when it is one character: a range's start
        if self.peek() == "]":  # a "]" first is itself in both
            members.append("\\]")
            single = "]"
            self.at += 1
        while True:
            if self.at >= len(self.java):
                raise NotReadable(f"[ at {start}: Java refuses a class that is never closed")
            if self.peek() == "]":
                self.at += 1
                return opening + "".join(members) + "]"
            if self.peek() == "-":
                dash = self.at
                self.at += 1
                if not members or self.peek() == "]":
                    # First or last: itself in both; first, it may start a range ([--/]).
                    members.append("\\-")
                    single = "-" if len(members) == 1 else None
                    continue
                if single is None:
                    raise NotReadable(f"- at {dash}: after a class or a range inside a class")
                last, _ = self.member(start)
                if last is None or ord(last) < ord(single):
                    raise NotReadable(
                        f"- at {dash}: Java refuses a range that goes down or ends in a class"
                    )
                members[-1] = f"{re.escape(single)}-{re.escape(last)}"
                single = None
                continue
            single, written = self.member(start)
            members.append(written)

    def member(self, start: int) -> tuple[str | None, str]:
        """One member of a class: its character (None for an escape of several) and text."""
        char = self.java[self.at]
        self.at += 1
        if char == "[" or (char == "&" and self.peek() == "&"):
            written = "[" if char == "[" else "&&"
            raise NotReadable(f"{written} at {self.at - 1}: a union or intersection of classes")
        if char == "\\":
            return self.escaped(in_class=True)
        return char, re.escape(char)
