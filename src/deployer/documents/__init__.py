"""Renderers: turn plain results (assessment, budget, answers) into text and documents.

Importing this package also teaches Rich French typography: Rich wraps lines at any Unicode
space, including the no-break spaces that French puts before « : ; ? ! », inside « » and in
« 12 000 € » (open bug Textualize/rich#4196), so lines started with « » » or « ; ». Rich
finds words with one module-level pattern; we give it one that keeps no-break spaces inside
words. If a future Rich drops that pattern, nothing breaks: wrapping is just less French
(tests/test_french.py notices).
"""

from __future__ import annotations

import re

_NO_BREAK = "\u00a0\u202f\u2007"


def _french_wrapping() -> None:
    import rich._wrap

    if hasattr(rich._wrap, "re_word"):
        space, word = f"[^\\S{_NO_BREAK}]", f"[\\S{_NO_BREAK}]"
        rich._wrap.re_word = re.compile(f"{space}*{word}+{space}*")


_french_wrapping()
