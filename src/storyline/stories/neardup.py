"""Near-duplicate detection: syndicated and lightly edited copies of one article.

MinHash signatures over word shingles, indexed with datasketch's `MinHashLSH`; the first article of a
group is its representative and later copies point to it (`dup_of`). State serialises to plain arrays
(no pickle), so it can live in `store.state`.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = 3, max_words: int = 2000) -> set[bytes]:
    """Lower-cased word k-shingles of `text` (the first `max_words` words; short texts: single words)."""
    words = _WORD.findall((text or "").lower())[:max_words]
    if len(words) < k:
        return {w.encode("utf-8") for w in words}
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


class NearDuplicates:
    """Groups near-duplicate texts online: `add(id, text)` returns the representative id or None."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, min_shingles: int = 8) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.min_shingles = min_shingles
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, np.ndarray] = {}
        self.rep: dict[str, str] = {}  # article id -> representative id (only for duplicates)

    def _minhash(self, sh: set[bytes]) -> MinHash:
        m = MinHash(num_perm=self.num_perm)
        m.update_batch(list(sh))
        return m

    def add(self, article_id: str, text: str) -> str | None:
        """Index `text`; return the id of the earlier article it nearly duplicates, if any."""
        if article_id in self._sigs or article_id in self.rep:
            return self.rep.get(article_id)
        sh = shingles(text)
        if len(sh) < self.min_shingles:  # too short to call a copy reliably
            return None
        m = self._minhash(sh)
        best: tuple[float, str] | None = None
        for other in self._lsh.query(m):
            sim = float(np.mean(self._sigs[other] == m.hashvalues))
            if sim >= self.threshold and (best is None or sim > best[0]):
                best = (sim, other)
        if best is not None:
            rep = self.rep.get(best[1], best[1])
            self.rep[article_id] = rep
            return rep
        self._lsh.insert(article_id, m)
        self._sigs[article_id] = m.hashvalues.astype(np.uint64)
        return None

    def group_of(self, article_id: str) -> str:
        """Representative of the article's group (itself when it is an original)."""
        return self.rep.get(article_id, article_id)

    # ------------------------------------------------------------------ persistence

    def to_bytes(self) -> bytes:
        ids = list(self._sigs)
        sigs = np.vstack([self._sigs[i] for i in ids]) if ids else np.zeros((0, self.num_perm), np.uint64)
        meta = {"scheme": MinHash(num_perm=1).scheme, "threshold": self.threshold, "num_perm": self.num_perm, "min_shingles": self.min_shingles,
                "ids": ids, "rep": self.rep}
        buf = io.BytesIO()
        np.savez(buf, sigs=sigs, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> NearDuplicates:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        meta = json.loads(z["meta"].tobytes().decode("utf-8"))
        nd = cls(meta["threshold"], meta["num_perm"], meta["min_shingles"])
        nd.rep = dict(meta["rep"])
        sigs = z["sigs"]
        with nd._lsh.insertion_session() as session:
            for aid, sig in zip(meta["ids"], sigs, strict=True):
                m = MinHash(num_perm=nd.num_perm, hashvalues=sig, scheme=meta["scheme"])
                session.insert(aid, m)
                nd._sigs[aid] = sig
        return nd
