"""Encoders, chunking and stored embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from storyline.embed import chunk_text, embed_text, ensure_embeddings, get_encoder, split_sentences
from storyline.link.cache import chunk_embeddings
from storyline.models import Article


class CountingEncoder:
    """Deterministic toy encoder that counts how many texts it was asked to encode."""

    name = "toy"
    dim = 8

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.array([[float(len(t) % (i + 2)) + 1 for i in range(self.dim)] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_split_and_chunk_long_article() -> None:
    assert split_sentences("One. Two!  Three?\nFour") == ["One.", "Two!", "Three?", "Four"]
    body = " ".join(f"Sentence number {i} tells part of the story." for i in range(400))
    chunks = chunk_text("A title", body, max_chars=600, max_chunks=12)
    assert chunks[0] == "A title" and len(chunks) == 12
    assert all(len(c) <= 600 for c in chunks)
    assert "number 399" in chunks[-1], "long articles are spread, not truncated"


def test_ensure_embeddings_computes_once(store) -> None:
    enc = CountingEncoder()
    arts = [Article(id=f"a{i}", title=f"T{i}", text="Some text. More text.") for i in range(3)]
    store.articles.add(arts)
    first = ensure_embeddings(store, arts, enc)
    n = enc.calls
    again = ensure_embeddings(store, arts, enc)
    assert enc.calls == n and set(first) == set(again) == {"a0", "a1", "a2"}
    chunks = store.vectors.get(["a0"], "toy", chunks=True)["a0"]
    assert chunks.shape == (2, 8)


def test_chunk_cache_reuses_files(tmp_path: Path) -> None:
    enc = CountingEncoder()
    items = [("T", "Body one. Body two."), ("U", "Other body.")]
    a = chunk_embeddings(enc, items, cache_dir=tmp_path)
    n = enc.calls
    b = chunk_embeddings(enc, items, cache_dir=tmp_path)
    assert enc.calls == n
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_use_encoder_is_multilingual() -> None:
    enc = get_encoder("use")
    doc_en, chunks = embed_text(enc, "Flood in the city", "The river flooded the old town. People left their homes.")
    doc_de, _ = embed_text(enc, "Hochwasser in der Stadt", "Der Fluss überflutete die Altstadt. Menschen verließen ihre Häuser.")
    doc_x, _ = embed_text(enc, "Chess final", "The young player won the national chess title on Sunday.")
    assert chunks.shape[1] == enc.dim == 512
    assert np.linalg.norm(doc_en) == pytest.approx(1.0, abs=1e-4)
    assert float(doc_en @ doc_de) > float(doc_en @ doc_x) + 0.1


def test_embed_command_fills_missing_vectors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli
    from storyline.store import open_store

    st = open_store(data_dir=tmp_path)
    st.articles.add([Article(id=f"e{i}", title=f"Title {i}", text=f"Body number {i}. It has two sentences.",
                             content_hash=Article.hash_text(f"body {i}")) for i in range(3)])
    st.close()
    res = CliRunner().invoke(cli, ["--data", str(tmp_path), "embed", "--encoder", "use"])
    assert res.exit_code == 0, res.output
    assert "3 article(s) embedded" in res.output
    st = open_store(data_dir=tmp_path)
    try:
        assert set(st.vectors.get(["e0", "e1", "e2"], "use-m3")) == {"e0", "e1", "e2"}
    finally:
        st.close()
    res = CliRunner().invoke(cli, ["--data", str(tmp_path), "embed", "--encoder", "use"])
    assert "0 article(s) embedded" in res.output


def test_text_embeddings_cache(tmp_path: Path) -> None:
    from storyline.link.cache import text_embeddings

    enc = CountingEncoder()
    a = text_embeddings(enc, ["one title", "another title"], cache_dir=tmp_path)
    n = enc.calls
    b = text_embeddings(enc, ["one title", "another title"], cache_dir=tmp_path)
    assert enc.calls == n == 2 and a.shape == (2, 8) and np.array_equal(a, b)
