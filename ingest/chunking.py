"""Structure-aware chunking of parsed documents for embedding and retrieval.

Pure functions: no Django, no database. The unit of size is the embedding
model's word piece (all-MiniLM-L6-v2: BERT uncased WordPiece, 256 pieces per
input including ``[CLS]`` and ``[SEP]``), measured by a caller-supplied
``token_counter`` (see :func:`ingest.embedding.tokenizer_counter`: the configured
embedding model's own tokenizer). Each piece of text is
counted once and counts are added up, which is exact for counters whose
tokens never span whitespace (BERT's pre-tokenizer splits at whitespace and
punctuation; a whitespace word count also qualifies). Tokenizing dominates
the cost, so counting everything only once matters.

Token budget (the choice, and why). What gets embedded is
:func:`embedding_text`: ``"<title> > <heading path>\\n\\n<chunk text>"``.
``document_chunk`` guarantees ``ChunkDraft.token_count ==
token_counter(embedding_text(chunk=c, title=parsed.title)) <= max_tokens``,
i.e. the heading prefix is paid for *inside* ``max_tokens``; the prefix may
take at most ``max_tokens // 4`` (deeper paths are shortened, middle headings
become ``…``, and in the end dropped), the text gets the rest. So
``max_tokens <= 254`` (256 minus the two special tokens) means no embedding is
silently truncated. We count the prefix in the budget, rather than adding a
fixed allowance on top, because the model's limit is on the whole input.
One exception: a title (clipped to 100 characters) that alone exceeds
``max_tokens // 4`` cannot be shortened here, so the text still gets
``max_tokens // 4`` and ``token_count`` may exceed ``max_tokens`` by the
title's excess (with ``max_tokens=254`` that needs a title of over ~190 word
pieces in 100 characters, which ordinary text never has).

Packing rules:

* A heading section is never the last thing in a chunk: it is glued to the
  section that follows it.
* A chunk never spans two headings' sections: every heading starts a new
  chunk. On reference docs such as Django's ``ref/settings.txt`` (one short
  section per setting) this gives one chunk per setting, whose heading path
  names it; packing neighbouring settings together would blur both the
  vector and the citation.
* Under one heading, sections (paragraphs, lists, tables, code) are packed
  greedily and kept whole when they fit. A paragraph ending in ``:`` moves on
  to the chunk of what it introduces; a remainder of at most a quarter of the
  budget before a long section is split together with it, not left alone.
* A section longer than the budget is split at sentence boundaries (line
  boundaries for code, lists and tables; words, then characters, as a last
  resort), and consecutive pieces share up to ``overlap_tokens`` of text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.parsers import ParsedDocument, Section

TokenCounter = Callable[[str], int]

# all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json) is 256 word
# pieces including [CLS] and [SEP]; an embedding_text may use the rest.
EMBEDDING_MAX_TOKENS = 254
HEADING_SEPARATOR = " > "
TITLE_MAX_CHARS = 100
ELLIPSIS = "…"

# Whitespace after a sentence end, the closing quote or bracket staying with it.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_LINE_ORIENTED = re.compile(r"^(\s+\S|\s*([-*+•]|\d+[.)]|#\.)\s|\s*[|+=])", re.MULTILINE)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkDraft:
    """A chunk before embedding.

    ``text == parsed.text[char_start:char_end]`` (code points), with no
    leading or trailing whitespace. ``heading_path`` is the headings shared by
    all of the chunk's sections (possibly shortened to fit the prefix budget).
    ``page`` is the 1-based page where the chunk starts (paged formats only).
    ``token_count`` is the word pieces of ``embedding_text(chunk, title)``.
    """

    ordinal: int
    text: str
    heading_path: tuple[str, ...]
    char_start: int
    char_end: int
    page: int | None
    token_count: int


def embedding_text(*, chunk: ChunkDraft, title: str) -> str:
    """The string that is embedded and keyword-indexed for ``chunk``:
    ``"title > heading > path\\n\\ntext"``. The title is clipped to 100
    characters and not repeated when the path starts with it. Without title
    and headings, just the text."""
    return embedding_text_join(prefix=embedding_prefix(title=title, heading_path=chunk.heading_path),
                               text=chunk.text)


def embedding_text_join(*, prefix: str, text: str) -> str:
    """The embedded string from its two stored parts (``Chunk.embedding_prefix`` and
    ``Chunk.text``): ``"prefix\\n\\ntext"``, or ``text`` when ``prefix`` is empty.

    The one place the two are joined: ingestion embeds what this returns and
    keyword indexing (at ingestion and by ``search_reindex``) indexes the same
    string, so a heading path cut for storage can never make them differ.
    """
    return f"{prefix}\n\n{text}" if prefix else text


def embedding_prefix(*, title: str, heading_path: tuple[str, ...]) -> str:
    """``"title > heading > path"`` as used by :func:`embedding_text` (no length limit:
    the chunker bounds it in tokens, not characters)."""
    title = " ".join(title.split())
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rstrip() + ELLIPSIS
    path = list(heading_path)
    if title and path and path[0].casefold() == title.casefold():
        path = path[1:]
    return HEADING_SEPARATOR.join([title, *path] if title else path)


def document_chunk(
    *, parsed: ParsedDocument, max_tokens: int, overlap_tokens: int, token_counter: TokenCounter
) -> list[ChunkDraft]:
    """Split ``parsed`` into chunks of at most ``max_tokens`` word pieces
    (counted on :func:`embedding_text` with ``title=parsed.title``; see the
    module docstring for the one exception, an overlong title), in reading
    order, with ordinals ``0..n-1``. ``overlap_tokens`` applies between
    pieces of one long section and is capped at half of that section's budget.
    ``token_counter(text) -> int`` must be additive over whitespace-separated
    pieces (see the module docstring); :func:`ingest.embedding.tokenizer_counter` is.

    Raises ``ValueError`` if ``max_tokens < 16`` or ``overlap_tokens`` is
    negative or not below ``max_tokens``.
    """
    if max_tokens < 16:
        raise ValueError(f"max_tokens must be at least 16, got {max_tokens}")
    if not 0 <= overlap_tokens < max_tokens:
        raise ValueError(f"overlap_tokens must be in [0, max_tokens), got {overlap_tokens}")
    return _Chunker(parsed, max_tokens, overlap_tokens, token_counter).run()


@dataclass
class _Unit:
    start: int
    end: int
    path: tuple[str, ...]
    page: int | None
    kind: str
    starts_heading: bool
    tokens: int = 0


def _units(sections: list[Section]) -> list[_Unit]:
    """Sections with each run of headings glued to the section after it."""
    units: list[_Unit] = []
    pending: list[Section] = []
    for section in sections:
        if section.kind == "heading":
            pending.append(section)
            continue
        first = pending[0] if pending else section
        units.append(
            _Unit(first.char_start, section.char_end, section.heading_path, first.page, section.kind, bool(pending))
        )
        pending = []
    if pending:
        units.append(
            _Unit(
                pending[0].char_start, pending[-1].char_end, pending[-1].heading_path, pending[0].page, "heading", True
            )
        )
    return units


def _common_path(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


class _Chunker:
    def __init__(self, parsed: ParsedDocument, max_tokens: int, overlap_tokens: int, counter: TokenCounter) -> None:
        self.text = parsed.text
        self.title = parsed.title
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens
        self.count = counter
        self.prefix_budget = max_tokens // 4
        self.sections = parsed.sections
        self._section_starts = [section.char_start for section in parsed.sections]
        self._prefixes: dict[tuple[str, ...], tuple[tuple[str, ...], int]] = {}
        # (start, end, heading path, page, text tokens)
        self.spans: list[tuple[int, int, tuple[str, ...], int | None, int]] = []

    # -- prefix budget ---------------------------------------------------------
    def _prefix(self, path: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
        """(path as shown, prefix tokens): the fullest form of ``path`` whose
        prefix fits ``max_tokens // 4`` (the bare title if none does)."""
        cached = self._prefixes.get(path)
        if cached is not None:
            return cached
        candidates = [path]
        if len(path) > 2:
            candidates.append((path[0], ELLIPSIS, path[-1]))
        if len(path) > 1:
            candidates.append((ELLIPSIS, path[-1]))
        candidates.append(())
        for shown in candidates:
            tokens = self._prefix_tokens(shown)
            if tokens <= self.prefix_budget:
                break
        self._prefixes[path] = (shown, tokens)
        return shown, tokens

    def _prefix_tokens(self, shown: tuple[str, ...]) -> int:
        prefix = embedding_prefix(title=self.title, heading_path=shown)
        return self.count(prefix) if prefix else 0

    def _budget(self, path: tuple[str, ...]) -> int:
        # At least a quarter of max_tokens for text, even under an oversized title.
        return max(self.max_tokens - self._prefix(path)[1], self.max_tokens // 4)

    # -- main ------------------------------------------------------------------
    def run(self) -> list[ChunkDraft]:
        current: list[_Unit] = []
        for unit in _units(self.sections):
            unit.tokens = self.count(self.text[unit.start : unit.end])
            if current and not unit.starts_heading:
                path = _common_path(current[0].path, unit.path)
                if sum(u.tokens for u in current) + unit.tokens <= self._budget(path):
                    current.append(unit)
                    continue
            carried: list[_Unit] = []
            if current and not unit.starts_heading:
                if self.text[current[-1].start : current[-1].end].rstrip().endswith(":"):
                    carried = [current.pop()]  # a lead-in goes with what it introduces
                elif unit.tokens > self._budget(unit.path) and (
                    sum(u.tokens for u in current) <= self._budget(current[0].path) // 4
                ):
                    carried, current = current, []  # too small to stand alone
            self._close(current)
            current = carried + [unit]
            path = _common_path(current[0].path, unit.path)
            if sum(u.tokens for u in current) > self._budget(path):
                spans = self._split(current[0].start, unit.end, unit.start, unit.kind, self._budget(path))
                for start, end, tokens in spans:
                    self.spans.append((start, end, path, current[0].page, tokens))
                current = []
        self._close(current)
        return self._drafts()

    def _close(self, units: list[_Unit]) -> None:
        if units:
            path = units[0].path
            for unit in units[1:]:
                path = _common_path(path, unit.path)
            self.spans.append((units[0].start, units[-1].end, path, units[0].page, sum(u.tokens for u in units)))

    def _drafts(self) -> list[ChunkDraft]:
        drafts: list[ChunkDraft] = []
        for start, end, path, page, tokens in self.spans:
            start, end = _trimmed(self.text, start, end)
            if start >= end:
                continue
            shown, prefix_tokens = self._prefix(path)
            page = self._page_at(start, page)
            # Counts add up over whitespace, so the prefix plus the measured
            # pieces is the count of the whole embedding_text.
            drafts.append(
                ChunkDraft(len(drafts), self.text[start:end], shown, start, end, page, prefix_tokens + tokens)
            )
        return drafts

    def _page_at(self, offset: int, fallback: int | None) -> int | None:
        """Page of the section holding ``offset``: a piece of a split span can
        start in a later section, hence on a later page, than the span."""
        index = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[index].page if index >= 0 else fallback

    # -- splitting one long section --------------------------------------------
    def _split(self, start: int, end: int, kind_start: int, kind: str, budget: int) -> list[tuple[int, int, int]]:
        """Windows over ``text[start:end]``, each within ``budget``; ``kind``
        applies from ``kind_start`` on (the text before it is a carried lead-in).
        Returns (start, end, tokens) per window."""
        measured = self._atoms(start, end, kind_start, kind, budget)
        atoms = [(s, e) for s, e, _ in measured]
        counts = [n for _, _, n in measured]
        overlap_cap = min(self.overlap_tokens, budget // 2)
        windows: list[tuple[int, int, int]] = []
        i = 0
        lead_start, lead_tokens = None, 0
        while i < len(atoms):
            # Pieces of one cut word touch; joined, they would tokenize
            # differently, so they never share a window (nor an overlap).
            if lead_start is not None and (lead_tokens + counts[i] > budget or atoms[i][0] == atoms[i - 1][1]):
                lead_start, lead_tokens = None, 0
            tokens = lead_tokens
            j = i
            while j < len(atoms) and tokens + counts[j] <= budget and (j == i or atoms[j][0] > atoms[j - 1][1]):
                tokens += counts[j]
                j += 1
            windows.append((atoms[i][0] if lead_start is None else lead_start, atoms[j - 1][1], tokens))
            if j >= len(atoms):
                break
            lead_start, lead_tokens = self._overlap(atoms[i:j], counts[i:j], overlap_cap)
            i = j
        return windows

    def _overlap(self, atoms: list[tuple[int, int]], counts: list[int], cap: int) -> tuple[int | None, int]:
        """Start offset and tokens of the longest tail of ``atoms`` with at most
        ``cap`` tokens: whole atoms when possible, else words of the last one."""
        if cap <= 0:
            return None, 0
        tokens = 0
        start = None
        for (s, _), n in zip(reversed(atoms), reversed(counts), strict=True):
            if tokens + n > cap:
                break
            tokens += n
            start = s
        if start is not None:
            return start, tokens
        last_start, last_end = atoms[-1]
        for word in reversed(list(_WORD.finditer(self.text, last_start, last_end))):
            n = self.count(word.group())
            if tokens + n > cap:
                break
            tokens += n
            start = word.start()
        return (start, tokens) if start is not None else (None, 0)

    def _atoms(self, start: int, end: int, kind_start: int, kind: str, budget: int) -> list[tuple[int, int, int]]:
        """Split ``text[start:end]`` into sentences (or lines), each at most
        ``budget`` tokens, as trimmed, non-empty, ordered (start, end, tokens)."""
        atoms: list[tuple[int, int, int]] = []
        block_start = start
        for separator in [*_BLANK_LINE.finditer(self.text, start, end), None]:
            block_end = separator.start() if separator else end
            block = self.text[block_start:block_end]
            by_line = (block_start >= kind_start and kind in {"code", "table", "list"}) or (
                _LINE_ORIENTED.search(block) is not None
            )
            pattern = re.compile(r"\n") if by_line else _SENTENCE_END
            piece_start = block_start
            for boundary in [*pattern.finditer(self.text, block_start, block_end), None]:
                piece_end = boundary.start() if boundary else block_end
                atoms.extend(self._fit_atom(piece_start, piece_end, budget))
                piece_start = boundary.end() if boundary else block_end
            block_start = separator.end() if separator else end
        return atoms

    def _fit_atom(self, start: int, end: int, budget: int) -> list[tuple[int, int, int]]:
        start, end = _trimmed(self.text, start, end)
        if start >= end:
            return []
        tokens = self.count(self.text[start:end])
        if tokens <= budget:
            return [(start, end, tokens)]
        words = [(m.start(), m.end()) for m in _WORD.finditer(self.text, start, end)]
        if len(words) > 1:
            return [piece for s, e in words for piece in self._fit_atom(s, e, budget)]
        return self._word_slices(start, end, budget)

    def _word_slices(self, start: int, end: int, budget: int) -> list[tuple[int, int, int]]:
        """Cut one over-long word (a hash, a base64 blob) into pieces that fit."""
        width = end - start
        while width > 1 and self.count(self.text[start : start + width]) > budget:
            width //= 2
        slices = []
        s = start
        while s < end:
            e = min(s + width, end)
            tokens = self.count(self.text[s:e])
            while e - s > 1 and tokens > budget:
                e = s + (e - s) // 2
                tokens = self.count(self.text[s:e])
            slices.append((s, e, tokens))
            s = e
        return slices


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
