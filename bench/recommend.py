"""Recommendation quality: hit-rate@5 of the co-occurrence recommender beside a popularity baseline, and
hit-rate@3 of the poem-level picks (server/wall/poem_picks.py, with its minimum of shared sessions) beside
the most-read poems.

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

from server.analytics.recommend import build_model, hit_rate_at_k, popularity_picks  # noqa: E402
from server.wall.poem_picks import MAX_POEM_PICKS, poem_picks  # noqa: E402


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


def poem_hit_rates(train: list[list[str]], held_out: list[list[str]], k: int = MAX_POEM_PICKS
                   ) -> tuple[float, float, float]:
    """Given a held-out session's first poem, is one of its other poems among the k poem picks?
    Returns (poem picks, most-read baseline, share of first poems that got any poem pick at all)."""
    model = build_model(train)
    hits = base_hits = answered = total = 0
    for session in held_out:
        first, rest = session[0], set(session[1:])
        total += 1
        picks = {p.item for p in poem_picks(model, first, k)}
        answered += bool(picks)
        hits += bool(picks & rest)
        base_hits += bool(set(popularity_picks(model, {first}, k)) & rest)
    return hits / total, base_hits / total, answered / total


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
    # Poems: 300 in 12 grades of 25, the same visitor model (a family reads within one grade).
    poems = generate_sessions(args.sessions, args.seed + 1, topics=12, per_topic=25)
    started = time.perf_counter()
    ours, baseline, answered = poem_hit_rates(poems[:split], poems[split:])
    print(f"hit-rate@{MAX_POEM_PICKS} poem picks:          {ours:.3f} (a poem pick for {answered:.0%} of first poems;"
          " the rest get package picks)")
    print(f"hit-rate@{MAX_POEM_PICKS} most-read poems:     {baseline:.3f}")
    print(f"ratio poem picks / most-read: {ours / baseline:.2f}x" if baseline else "baseline 0")
    print(f"time: {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
