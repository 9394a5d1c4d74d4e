"""Recommendation quality: hit-rate@5 of the co-occurrence recommender beside a popularity baseline.

Generated sessions (Zipf-popular items, visitors who stay near one topic), 80/20 split; prints both rates.
Usage: .venv/bin/python bench/recommend.py [--sessions 20000] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.analytics.recommend import hit_rate_at_k  # noqa: E402


def generate_sessions(n: int, seed: int, topics: int = 12, per_topic: int = 25) -> list[list[str]]:
    """Each visitor mostly stays in one topic (a grade's poems, idiom sets…), sometimes strays to a hit."""
    rng = random.Random(seed)
    items = [[f"topic{t}/item{i}" for i in range(per_topic)] for t in range(topics)]
    # Zipf-like popularity inside a topic and across topics.
    topic_weights = [1 / (t + 1) for t in range(topics)]
    item_weights = [1 / (i + 1) ** 0.8 for i in range(per_topic)]
    everything = [item for topic in items for item in topic]
    global_weights = [topic_weights[t] * item_weights[i] for t in range(topics) for i in range(per_topic)]
    sessions = []
    for _ in range(n):
        topic = rng.choices(range(topics), weights=topic_weights)[0]
        length = rng.choice([2, 2, 3, 3, 4, 5])
        session = []
        while len(session) < length:
            if rng.random() < 0.8:
                pick = rng.choices(items[topic], weights=item_weights)[0]
            else:
                pick = rng.choices(everything, weights=global_weights)[0]
            if pick not in session:
                session.append(pick)
        sessions.append(session)
    return sessions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sessions = generate_sessions(args.sessions, args.seed)
    split = int(len(sessions) * 0.8)
    started = time.perf_counter()
    ours, baseline = hit_rate_at_k(sessions[:split], sessions[split:], k=5)
    elapsed = time.perf_counter() - started
    print(f"sessions: {len(sessions)} (train {split}, held out {len(sessions) - split})")
    print(f"hit-rate@5  co-occurrence recommender: {ours:.3f}")
    print(f"hit-rate@5  popularity baseline:       {baseline:.3f}")
    print(f"ratio recommender / baseline: {ours / baseline:.2f}x" if baseline else "baseline 0")
    print(f"time: {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
