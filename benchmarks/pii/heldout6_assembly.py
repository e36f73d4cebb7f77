"""Document assembly for ``heldout6`` (long documents): templates from paragraph pieces, and their shape.

:func:`assemble` joins one register's head, body pieces in their written order and tail (from
:mod:`benchmarks.pii.heldout6_docs`) into a template with ``{SLOT}`` placeholders (:data:`SLOT`),
sometimes with a second register appended as a forwarded / attached part; :func:`check_shape` holds
a filled document to MIN_CHARS-MAX_CHARS characters and MIN_SENT-MAX_SENT :func:`sentences`.
"""
from __future__ import annotations

import random
import re

from benchmarks.pii.heldout6_people import Rejected

SLOT = re.compile(r"\{([A-Z]+)(\d?)\}")
MIN_CHARS, MAX_CHARS, MIN_SENT, MAX_SENT = 300, 2500, 3, 15

ABBREVIATIONS = {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "e.g.", "i.e.", "etc.", "No.", "vs.", "Inc.", "Ltd.", "Co.",
                 "S.A.", "S.p.A.", "B.V.", "A.Ş.", "Pte.", "o.o.", "z"}


def sentences(text: str) -> int:
    """Sentences: runs of words ending in . ! ? (not after a title, legal form or initial). Lines that
    are not sentences (header fields, table and CSV rows, list items and chat lines without final
    punctuation, signatures) do not count, though they lengthen the document."""
    count = 0
    for line in text.splitlines():
        words, run = line.split(), []
        for word in words:
            run.append(word)
            if word.endswith((".", "!", "?")) and word not in ABBREVIATIONS and not re.fullmatch(r"(\w\.)+", word):
                if sum(c.isalpha() for w in run for c in w) >= 2:
                    count += 1
                run = []
    return count


_PROXY = {"P": "Xx Yy", "S": "Xx Yy", "X": " (Xx Yy)", "L": "Aa Bb, Cc Dd, Ee Ff and Gg Hh", "CO": "Xx Yy Ltd",
          "D": "Xx 12"}


def _count(parts: list[str]) -> int:
    """Sentences of a template, slots replaced by stand-ins of their largest word count."""
    return sentences(SLOT.sub(lambda m: _PROXY.get(m[1], "X"), "\n\n".join(parts)))


def _fill(register: dict, rng: random.Random, budget: int, wanted: int) -> list[str] | None:
    """Head, up to ``wanted`` body pieces in their written order (as many as fit in ``budget`` sentences), tail."""
    head, tail = rng.choice(register["head"]), rng.choice(register["tail"])
    if _count([head, tail]) > budget:
        return None
    order = rng.sample(range(len(register["body"])), len(register["body"]))
    chosen: list[int] = []
    for i in order:
        if len(chosen) == wanted:
            break
        trial = sorted(chosen + [i])
        if _count([head, *[register["body"][j] for j in trial], tail]) <= budget:
            chosen = trial
    return [head, *[register["body"][j] for j in chosen], tail]


def assemble(register: dict, rng: random.Random, extra: dict | None = None) -> str:
    """Head, body pieces in their written order, tail (at most MAX_SENT sentences); with ``extra``, a
    second register is appended as a forwarded / attached part when it fits (a longer document)."""
    wanted = rng.choice([2, 3, 3, 4, 5])
    if extra is not None:
        wanted = rng.choice([2, 3, 4])
    parts = _fill(register, rng, MAX_SENT, wanted)
    text = "\n\n".join(parts)
    if extra is not None:
        joint = rng.choice(["\n\n---------- Forwarded part ----------\n", "\n\n[attachment, pasted below]\n",
                            "\n\n* * *\n\n", "\n\nEarlier in this thread:\n"])
        more = _fill(extra, rng, MAX_SENT - _count(parts), rng.choice([2, 3, 4]))
        if more is not None:
            text += joint + "\n\n".join(more)
    return text


def check_shape(text: str) -> None:
    """Raises :class:`Rejected` unless ``text`` has MIN_CHARS to MAX_CHARS characters, MIN_SENT to MAX_SENT
    sentences and at least three paragraphs."""
    if not MIN_CHARS <= len(text) <= MAX_CHARS or not MIN_SENT <= sentences(text) <= MAX_SENT:
        raise Rejected("shape")
    if text.count("\n\n") < 2:
        raise Rejected("paragraphs")
