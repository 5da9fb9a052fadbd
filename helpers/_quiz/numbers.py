"""Reading a number a learner typed, without ever guessing what they meant.

``read_number(value)`` returns ``(number, note)`` or raises ValueError with a message for the
learner. Accepted: digits with a point for decimals (``3168.4``, ``-0.5``, ``1e3``), digits of
any script (``١٢``, full-width ``１２``; a superscript ``²`` is not a digit), and a decimal comma
when nothing else can be meant: one comma, no point, digits on both sides, and not three digits
after a comma that could be a thousands separator (``12,6`` is 12.6, and the note says so).
Refused, with a message: ``1,234`` (1234 or 1.234?), thousands separators of any kind
(``1,234,567``, ``3 168``, ``1.234,5``), ``nan``, ``inf``, numbers too large for a float
(``1e309``, ``10**400``) and anything else.
"""

import math
import re
import unicodedata

from ..text import is_blank

__all__ = ["read_number", "show_number", "MAX_CHARS"]

MAX_CHARS = 40
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)$")
_THOUSANDS_LIKE = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")  # 1,234: a thousands comma, maybe
# the minus sign, full-width signs and separators, the Arabic decimal and thousands separators
_SIGNS = {"\u2212": "-", "\uff0d": "-", "\uff0b": "+", "\uff0e": ".", "\uff0c": ",",
          "\u066b": ".", "\u066c": ","}
_EXAMPLE = "e.g. 3168.4"
_edge = is_blank  # spaces, zero-width and format characters around a number are dropped


def _ascii_digits(text):
    """Digits of any script as 0-9 (decimal digits only: a superscript ² stays what it is)."""
    out = []
    for c in text:
        digit = unicodedata.decimal(c, None) if not c.isascii() else None
        out.append(str(digit) if digit is not None else _SIGNS.get(c, c))
    return "".join(out)


def _too_large(shown):
    return ValueError(f"{shown} is too large to be an answer here: check the number and the "
                      "question's unit")


def read_number(value):
    """``(float, note or None)`` for a number or the text a learner typed; ``(None, None)`` for
    an empty box. Raises ValueError with a message saying what to write instead."""
    if isinstance(value, bool):
        raise ValueError("give the answer as a number")
    if not isinstance(value, str):
        try:
            number = float(value)
        except OverflowError:
            raise _too_large("That number") from None
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
        if math.isinf(number):
            raise ValueError(f"{value!r} is not a number you can answer with: write a finite "
                             f"number, {_EXAMPLE}")
        return _finite(number, repr(value)), None
    text = value
    while text and _edge(text[0]):
        text = text[1:]
    while text and _edge(text[-1]):
        text = text[:-1]
    if not text:
        return None, None
    if len(text) > MAX_CHARS:
        raise ValueError(f"That is too long for a number: write digits only, {_EXAMPLE}")
    typed = text
    if any(_edge(c) and not c.isspace() for c in text):
        raise ValueError("There is an invisible character among the digits (copied text?): "
                         f"type the number again, {_EXAMPLE}")
    text = _ascii_digits(text)
    if _PLAIN.match(text):
        return _finite(float(text), f"'{typed}'"), None
    comma = _DECIMAL_COMMA.match(text)
    if comma and not _THOUSANDS_LIKE.match(text):
        number = _finite(float(f"{comma[1]}.{comma[2]}"), f"'{typed}'")
        return number, f"Read '{typed}' as {show_number(number)} (a decimal comma)."
    if comma:
        return _refuse(f"'{typed}' could be {comma[1]}{comma[2]} (a comma between thousands) or "
                       f"{comma[1]}.{comma[2]} (a decimal comma): write it with a point for "
                       f"decimals and nothing between thousands, e.g. {comma[1]}{comma[2]} or "
                       f"{comma[1]}.{comma[2]}")
    if re.fullmatch(r"[+-]?[\d.,' \u00a0\u202f_]+", text) and any(c.isdigit() for c in text):
        return _refuse(f"'{typed}' has separators between its digits: write the number with a "
                       f"point for decimals and nothing between thousands, {_EXAMPLE}")
    return _refuse(f"'{typed}' is not a number: write digits, with a point for decimals, "
                   f"{_EXAMPLE}")


def _refuse(message):
    raise ValueError(message)


def _finite(number, shown):
    if math.isnan(number):
        raise ValueError(f"{shown} is not a number: write digits, {_EXAMPLE}")
    if math.isinf(number):
        raise _too_large(shown)
    return number


def show_number(number):
    """A number as a learner would write it: ``1855``, ``12.6``."""
    if float(number).is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(float(number))
