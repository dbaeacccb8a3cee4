"""Web/API load benchmark: 50 concurrent loopback clients for 60 s over dashboard, story, article and
search pages of a store of >= 10k real articles; requests/s, latency percentiles, errors, server RSS.

Store (built once, cached in --data): real texts replayed with raw storing (no enrichment, no
embedding) —
  * Timeline17 input documents (English, dated): one story per topic folder, one event per
    publication day (the dataset's own grouping, standing in for a quick clustering);
  * SemEval-2022 Task 8 article texts (en, de, es, tr, fr, ar, pl, ...; the joined JSONL, the
    bl-research-train and hfl-sample CSVs): one story per labelled pair, holding whichever of its two
    texts were new to the store (synthetic stories over real texts).
The server is the real `storyline serve` in a subprocess; search requests are keyword (FTS5) searches
for words drawn from the stored titles. No peer system (EMM, Event Registry, GDELT, Media Cloud) can be
run offline, so the same run also measures a reference: a static file from the same server (the
ceiling of this HTTP stack on this machine).

    nice -n 10 python bench/web_load.py [--clients 50] [--seconds 60] [--data DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.config import shared_dir  # noqa: E402
from storyline.models import Article, Event, Story  # noqa: E402

MIX = {"dashboard": 0.25, "story": 0.25, "article": 0.30, "search": 0.20}
TOKEN = "bench-token"


# --------------------------------------------------------------------------- store


def _article(text: str, title: str, source: str, lang: str | None, day: str | None, origin: str) -> Article:
    h = Article.hash_text(text)
    pub = datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC) if day else None
    return Article(id=Article.make_id(None, h), text=text, title=title, source=source, lang=lang,
                   published=pub, published_from="metadata" if pub else None, format="text",
                   path=origin, content_hash=h)


def _t17(root: Path) -> list[tuple[str, str, list[Article]]]:
    """(story id, title, articles) per Timeline17 folder; the date folder is the publication day."""
    out = []
    for folder in sorted(p for p in root.iterdir() if (p / "InputDocs.tar.gz").exists()):
        topic, outlet = folder.name.rsplit("_", 1) if "_" in folder.name else (folder.name, "unknown")
        arts = []
        with tarfile.open(folder / "InputDocs.tar.gz") as tar:
            for m in tar.getmembers():
                parts = m.name.split("/")
                if not m.isfile() or len(parts) < 3 or not re.match(r"\d{4}-\d{2}-\d{2}$", parts[-2]):
                    continue
                raw = tar.extractfile(m)
                text = raw.read().decode("utf-8", "replace").strip() if raw else ""
                if len(text) < 200:
                    continue
                first = text.split("\n", 1)[0][:160]
                arts.append(_article(text, first, outlet, "en", parts[-2], f"{folder.name}/{m.name}"))
        out.append((f"t17-{folder.name}", f"{topic} ({outlet})", arts))
    return out


def _semeval(root: Path) -> list[tuple[str, str, list[Article]]]:
    """(story id, title, [a, b]) per SemEval pair with both texts."""
    out: list[tuple[str, str, list[Article]]] = []
    jl = root / "texts" / "train_texts_bl_joined.jsonl"
    if jl.exists():
        for line in jl.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            pair = [(d.get(f"text{i}") or "", d.get(f"title{i}") or "", d.get(f"lang{i}")) for i in (1, 2)]
            arts = [_article(t, ti, "semeval", lg, None, f"semeval/{d['pair_id']}/{i}")
                    for i, (t, ti, lg) in enumerate(pair) if len(t) > 200]
            out.append((f"sem-{d['pair_id']}", pair[0][1][:120] or d["pair_id"], arts))
    csv.field_size_limit(10**9)
    lang_of = {"de": "de", "en": "en", "es": "es", "tr": "tr", "fr": "fr", "arab": "ar"}
    for f in sorted((root / "texts" / "bl-research-train").glob("*.csv")):
        lang = next((v for k, v in lang_of.items() if k in f.name), None)
        with f.open(encoding="utf-8", errors="replace") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                arts = [_article(row.get(f"text_{i}") or "", (row.get(f"title_{i}") or "")[:160], "semeval", lang,
                                 None, f"semeval/{f.stem}/{n}/{i}") for i in (1, 2)]
                arts = [a for a in arts if len(a.text) > 200]
                out.append((f"sem-{f.stem}-{n}", arts[0].title if arts else f.stem, arts))
    for f in sorted((root / "texts" / "hfl-sample").glob("*.csv")):
        with f.open(encoding="utf-8", errors="replace") as fh:
            for row in csv.DictReader(fh):
                pid = row.get("pair_id") or ""
                arts = [_article(row.get(f"text{i}") or "", (row.get(f"text{i}") or "").split("\n", 1)[0][:160],
                                 "semeval", row.get(f"lang{i}") or None, None, f"semeval/hfl/{pid}/{i}")
                        for i in (1, 2)]
                arts = [a for a in arts if len(a.text) > 200]
                out.append((f"sem-hfl-{f.stem}-{pid}", arts[0].title if arts else pid, arts))
    return out


def build_store(data: Path) -> dict[str, Any]:
    """Create (or reuse) the benchmark store; returns a summary."""
    from storyline.store import open_store

    store = open_store(data_dir=data)
    try:
        if store.articles.count() >= 10_000 and store.stories.count():
            return {"articles": store.articles.count(), "stories": store.stories.count(), "built": False}
        base = shared_dir()
        if base is None:
            raise SystemExit("../shared is missing: the benchmark needs Timeline17 and SemEval texts")
        groups = _t17(base / "data" / "timeline17") + _semeval(base / "data" / "semeval2022-task8")
        stories = []
        for sid, title, arts in groups:
            if not arts:
                continue
            status = dict(store.articles.add(arts))
            kept = [a for a in arts if status.get(a.id) == "stored"]
            if not kept:
                continue
            by_day: dict[str | None, list[Article]] = defaultdict(list)
            for a in kept:
                by_day[a.published.date().isoformat() if a.published else None].append(a)
            events = [Event(id=f"{sid}-{day or 'undated'}", story_id=sid, title=arts_[0].title, date=day,
                            summary=[arts_[0].text[:200]], articles=[a.id for a in arts_])
                      for day, arts_ in sorted(by_day.items(), key=lambda kv: kv[0] or "")]
            dates = [a.published for a in kept if a.published]
            stories.append(Story(id=sid, title=title, events=events, articles=[a.id for a in kept],
                                 first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
                                 languages=sorted({a.lang for a in kept if a.lang}),
                                 sources=sorted({a.source for a in kept if a.source}),
                                 independent_sources=len({a.source for a in kept})))
        for i in range(0, len(stories), 500):
            store.stories.save(stories[i : i + 500])
        return {"articles": store.articles.count(), "stories": store.stories.count(), "built": True}
    finally:
        store.close()


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "STORYLINE_TOKEN": TOKEN}
    with log.open("wb") as out:  # the child keeps its own handle
        proc = subprocess.Popen([sys.executable, "-m", "storyline", "--data", str(data), "serve", "--port",
                                 str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.samples: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.samples.append(self.proc.memory_info().rss)
            except Exception:  # noqa: BLE001 - process gone
                return
            self.stop.wait(0.5)


# --------------------------------------------------------------------------- load


def targets(data: Path, rng: random.Random) -> dict[str, list[str]]:
    from storyline.store import open_store

    store = open_store(data_dir=data)
    try:
        ids = store.articles.ids()
        stories = [s.id for s in store.stories.list(sort="size", limit=2000)]
        titles = [a.title for a in store.articles.get_many(rng.sample(ids, 400))]
    finally:
        store.close()
    words = [w for t in titles for w in re.findall(r"[^\W\d_]{5,}", t)]
    return {
        "dashboard": ["/", "/?sort=recency", "/?sort=growth", "/?sort=size&offset=25"],
        "story": [f"/stories/{s}" for s in stories],
        "article": [f"/articles/{a}" for a in rng.sample(ids, min(3000, len(ids)))],
        "search": [f"/search?q={w}" for w in rng.sample(words, min(500, len(words)))],
    }


async def run_load(base: str, urls: dict[str, list[str]], clients: int, seconds: float,
                   mix: dict[str, float], seed: int = 1) -> dict[str, Any]:
    import httpx

    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    deadline = time.monotonic() + seconds

    async def client(n: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(urls[kind])
            t0 = time.perf_counter()
            why = ""
            try:
                r = await http.get(url)
                if r.status_code != 200:
                    why = f"{r.status_code} {url} {r.text[:200]!r}"
            except httpx.HTTPError as exc:
                why = f"{type(exc).__name__} {url} {exc}"
            lat[kind].append(time.perf_counter() - t0)
            if why:
                errors[kind] += 1
                if len(samples) < 10:
                    samples.append(why)

    # keep idle connections for less time than the server (uvicorn: 5 s), so none is reused as it closes
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0)
    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    wall = time.monotonic() - t0

    def stats(xs: list[float]) -> dict[str, float]:
        a = np.asarray(xs) * 1000
        return {"n": len(xs), "p50_ms": round(float(np.percentile(a, 50)), 1),
                "p95_ms": round(float(np.percentile(a, 95)), 1), "p99_ms": round(float(np.percentile(a, 99)), 1)}

    allx = [x for xs in lat.values() for x in xs]
    return {"requests": len(allx), "seconds": round(wall, 1), "rps": round(len(allx) / wall, 1),
            "errors": sum(errors.values()), "error_samples": samples, **stats(allx),
            "by_kind": {k: {**stats(v), "errors": errors[k]} for k, v in lat.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--reference-seconds", type=float, default=10)
    ap.add_argument("--data", type=Path, default=Path("/tmp/storyline-web-load"))
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "web_load.json")
    args = ap.parse_args()
    rng = random.Random(7)
    t = time.monotonic()
    summary = build_store(args.data)
    print(f"store: {summary['articles']} articles, {summary['stories']} stories "
          f"({'built' if summary['built'] else 'reused'} in {time.monotonic() - t:.0f}s)")
    urls = targets(args.data, rng)
    port = free_port()
    server_log = args.data / "server.log"
    proc = start_server(args.data, port, server_log)
    sampler = RssSampler(proc.pid)
    rss_start = sampler.proc.memory_info().rss
    sampler.start()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    try:
        ours = asyncio.run(run_load(base, urls, args.clients, args.seconds, MIX))
        ref = asyncio.run(run_load(base, {"static": ["/static/style.css"]}, args.clients,
                                   args.reference_seconds, {"static": 1.0}))
    finally:
        sampler.stop.set()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    rss = {"start_mb": round(rss_start / 2**20, 1), "peak_mb": round(max(sampler.samples, default=0) / 2**20, 1)}
    result = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "clients": args.clients,
              "store": summary, "mix": MIX, "storyline": ours, "server_rss": rss,
              "reference_static_file": ref, "cpu_cores": os.cpu_count(),
              "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    print(f"\nStoryline pages, {args.clients} clients, {ours['seconds']}s on loopback:")
    print(f"  {ours['rps']} req/s, p50 {ours['p50_ms']} ms, p95 {ours['p95_ms']} ms, p99 {ours['p99_ms']} ms, "
          f"errors {ours['errors']} of {ours['requests']}")
    for k, v in ours["by_kind"].items():
        print(f"    {k:9s} n={v['n']:6d}  p50 {v['p50_ms']:7.1f}  p95 {v['p95_ms']:7.1f}  p99 {v['p99_ms']:7.1f} ms"
              f"  errors {v['errors']}")
    for why in ours["error_samples"]:
        print(f"  error: {why}")
    print(f"  server RSS: {rss['start_mb']} MB at start, {rss['peak_mb']} MB peak")
    print(f"  machine load average (1 min) before/after: {result['load_average_1min']} on {os.cpu_count()} cores")
    print(f"Reference (same server, static file): {ref['rps']} req/s, p50 {ref['p50_ms']} ms, "
          f"p99 {ref['p99_ms']} ms, errors {ref['errors']}")
    print("Peers: no published or runnable load figures for EMM / Event Registry / GDELT / Media Cloud UIs.")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out} (server log: {server_log})")


if __name__ == "__main__":
    main()
