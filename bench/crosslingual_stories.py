"""Cross-lingual stories on ML-Crisis (es/fr/it articles on Egypt and Libya): do languages meet?

    nice -n 10 python bench/crosslingual_stories.py

Data: ../shared/data/ml-crisis-cltls/{es,fr,it}/docs.tar.gz, topics egypt and libya (the date folder
is the publication date; first line = headline). The stream is replayed in publication order with the
parameters shipped in `storyline/stories/params.json` (fitted on ECB+ dev topics): nothing is tuned on
this data. To bound encoding time, each text is embedded from its first 600 characters (title + lead).
Reported: purity / inverse purity of stories w.r.t. the topic, how many stories (and what share of
articles) mix ≥ 2 languages. Peer in the same run: agglomerative clustering on TF-IDF (per-language
vocabulary, so it cannot mix languages) and on the same USE embeddings, cut at our number of stories.
"""

from __future__ import annotations

import re
import sys
import tarfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

import numpy as np
from _stories_common import embed_cached, write_result

from storyline.config import shared_dir
from storyline.stories.calibrate import Item, run_stream
from storyline.stories.clusterer import Params
from storyline.stories.lexical import terms, text_keys
from storyline.stories.metrics import scores
from storyline.stories.neardup import NearDuplicates

PATH = re.compile(r"(egypt|libya)/(\d{4}-\d{2}-\d{2})/([^/]+)\.txt$")
MAX_CHARS = 600


def load() -> list[dict[str, Any]]:
    base = shared_dir()
    if base is None:
        sys.exit("../shared is not present")
    docs = []
    for lang in ("es", "fr", "it"):
        with tarfile.open(base / "data" / "ml-crisis-cltls" / lang / "docs.tar.gz") as tar:
            for m in tar.getmembers():
                hit = PATH.search(m.name)
                if not hit or not m.isfile():
                    continue
                raw = tar.extractfile(m).read().decode("utf-8", "replace")  # type: ignore[union-attr]
                lines = [x.strip() for x in raw.splitlines() if x.strip()]
                if not lines:
                    continue
                docs.append({"id": f"{lang}/{hit.group(1)}/{hit.group(2)}/{hit.group(3)}", "lang": lang,
                             "topic": hit.group(1), "date": hit.group(2), "title": lines[0][:300],
                             "text": "\n".join(lines[1:])})
    docs.sort(key=lambda d: (d["date"], d["id"]))
    return docs


def mixing(pred: list[str], docs: list[dict[str, Any]]) -> dict[str, Any]:
    langs: dict[str, set[str]] = defaultdict(set)
    size = Counter(pred)
    for p, d in zip(pred, docs, strict=True):
        langs[p].add(d["lang"])
    multi = [c for c, ls in langs.items() if len(ls) >= 2]
    big = [c for c in size if size[c] >= 2]
    return {"stories": len(size), "stories_with_2plus_articles": len(big), "multilingual_stories": len(multi),
            "share_of_multi_article_stories_multilingual": len(multi) / len(big) if big else 0.0,
            "share_of_articles_in_multilingual_stories": sum(size[c] for c in multi) / len(pred)}


def main() -> None:
    t0 = time.time()
    docs = load()
    vecs = embed_cached([(d["title"], d["text"]) for d in docs], max_chars=MAX_CHARS)
    dim = vecs.shape[1]
    params = Params.load()
    nd = NearDuplicates()
    items = []
    for d, v in zip(docs, vecs, strict=True):
        t = datetime.fromisoformat(d["date"]).replace(tzinfo=UTC).timestamp() / 86400.0
        rep = nd.add(d["id"], d["title"] + "\n" + d["text"])
        items.append(Item(d["id"], v, terms(d["title"], d["text"]), text_keys(d["title"], d["text"], d["lang"]), t,
                          None, d["topic"], rep, d["lang"]))
    print(f"ML-Crisis egypt+libya: {len(docs)} docs ({dict(Counter(d['lang'] for d in docs))}), "
          f"{docs[0]['date']}..{docs[-1]['date']}; params fitted on: {params.fitted_on}")
    ev, st = run_stream(items, params, dim)
    gold = [d["topic"] for d in docs]
    rows: dict[str, Any] = {"storyline online": {**scores(gold, st), **mixing(st, docs)},
                            "storyline online (events)": {**scores(gold, ev), **mixing(ev, docs)}}
    n = rows["storyline online"]["stories"]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    tf = TfidfVectorizer(sublinear_tf=True, max_features=50000).fit_transform(
        [d["title"] + " " + d["text"][:MAX_CHARS] for d in docs]).toarray()
    for name, x in (("agglomerative TF-IDF (same #clusters)", tf), ("agglomerative USE (same #clusters)", vecs)):
        lab = AgglomerativeClustering(n_clusters=min(n, len(docs)), metric="cosine",
                                      linkage="average").fit_predict(np.asarray(x)).tolist()
        lab = [str(v) for v in lab]
        rows[name] = {**scores(gold, lab), **mixing(lab, docs)}
    keys = ["stories", "multilingual_stories", "share_of_multi_article_stories_multilingual",
            "share_of_articles_in_multilingual_stories", "purity", "inverse_purity", "bcubed_f1"]
    for name, r in rows.items():
        print(f"\n{name}")
        print("  " + "  ".join(f"{k}={r[k]:.3f}" if isinstance(r[k], float) else f"{k}={r[k]}" for k in keys))
    out = write_result("crosslingual_stories", {"data": "ML-Crisis es/fr/it, topics egypt+libya",
                                                "tuned_on": "nothing (params fitted on ECB+ dev topics)",
                                                "docs": len(docs), "results": rows, "seconds": time.time() - t0})
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
