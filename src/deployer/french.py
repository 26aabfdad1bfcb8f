"""French typography: amounts, numbers, and the non-breaking spaces before « ? ! ; : »."""

from __future__ import annotations

import re
import unicodedata

NNBSP = "\u202f"  # narrow no-break space: before ? ! ; and inside numbers
NBSP = "\u00a0"  # no-break space: before : and inside « »

# C0 and C1 control characters (tab and line feed kept), and the bidirectional controls that
# can make a text display in another order than it is stored (« Trojan Source », CVE-2021-42574).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_FIXES = [
    (re.compile(r"[ \u00a0]([?!;])"), NNBSP + r"\1"),
    (re.compile(r"(?<=\S) :(?=\s|$)"), NBSP + ":"),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
]

_MARKS = ("?", "!", ";", ":", "«", "»")


def fix_typography(text: str) -> str:
    """Replace ordinary spaces before ? ! ; : » and after « by non-breaking ones."""
    if not any(mark in text for mark in _MARKS):  # most texts of a spreadsheet: nothing to fix
        return text
    for pattern, replacement in _FIXES:
        text = pattern.sub(replacement, text)
    return text


def sentence(text: str) -> str:
    """« Association e.V. » stays as it is, « Start-up » becomes « Start-up. »: one final stop, never two."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?", "…")) else stripped + "."


def number(value: float, decimals: int = 0) -> str:
    """12345.6 → « 12 346 » (narrow no-break space between thousands, comma for decimals)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def euros(value: float) -> str:
    """12000 → « 12 000 € »."""
    return f"{number(round(value))}{NBSP}€"


def percent(value: float) -> str:
    """53 → « 53 % »."""
    return f"{number(value)}{NBSP}%"


def lcfirst(text: str) -> str:
    """« De 5 000 € » → « de 5 000 € », but « ETP » stays « ETP »."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """« 1 signal bloquant », « 2 signaux bloquants » (French: 0 and 1 are singular)."""
    return f"{number(n)} {singular if n <= 1 else plural or singular + 's'}"


def fold(text: str) -> str:
    """Lower case, accents removed: « Réalité », « realite » and « RÉALITÉ » all give « realite »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def visible(text: str) -> str:
    """The text without control characters nor bidirectional overrides; nothing else changes."""
    return _CONTROLS.sub("", text)


def short(value: object, limit: int = 40) -> str:
    """A value as a message may quote it: visible characters, one line, cut at ``limit``."""
    text = " ".join(visible(str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A console that cannot show every character (a Windows console in cp1252 or cp850, a
# pipe in ASCII) gets the closest characters it has, never a UnicodeEncodeError.
_CONSOLE_FALLBACKS = {
    NNBSP: (NBSP, " "), NBSP: (" ",), "\u2007": (NBSP, " "),
    "«": ('"',), "»": ('"',), "’": ("'",), "‘": ("'",), "“": ('"',), "”": ('"',),
    "…": ("...",), "—": ("-",), "–": ("-",), "→": ("->",), "←": ("<-",), "✔": ("v",), "✘": ("x",),
    "•": ("-",), "€": ("EUR",), "œ": ("oe",), "Œ": ("OE",), "²": ("2",), "×": ("x",),
}


def console_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each character the console lacks becomes its closest stand-in."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start:error.end]:
        out.append(_stand_in(char, error.encoding))
    return "".join(out), error.end


def _stand_in(char: str, encoding: str) -> str:
    candidates = (*_CONSOLE_FALLBACKS.get(char, ()), unicodedata.normalize("NFKD", char)[:1])
    for candidate in candidates:
        try:
            candidate.encode(encoding)
        except UnicodeEncodeError:
            continue
        return candidate
    return "?"
