"""Issue 5, triage: quality on the labelled sets and throughput per core.

    .venv/bin/python benchmarks/bench_triage.py                # both sets + throughput
    .venv/bin/python benchmarks/bench_triage.py --errors dev   # also list dev's mistakes

Quality: per-category precision/recall/F1, macro-F1 (goal >= 0.80), recall of incidents and
of urgent messages (goal >= 0.95), on tests/data/triage/dev.jsonl (used to tune the rules)
tests/data/triage/heldout.jsonl (written with dev, before any rule; never looked at while
tuning) and tests/data/triage/fresh.jsonl (written after the rules were frozen, never tuned
on). The language of each message is detected, as for a live message.

`--rules-only` leaves out the learned fallback (which is trained on every set but blind).

Throughput: every message of both sets triaged over and over for a few seconds, measured
in CPU time of this process (time.process_time), so other work on a shared machine does
not distort it: messages per CPU-second = per core.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import git_version, machine  # noqa: E402

from palabre.inbox.triage import CATEGORIES, triage  # noqa: E402
from palabre.inbox.triage.evaluation import Labelled, Scores, load  # noqa: E402
from palabre.inbox.triage.evaluation import score as score_with  # noqa: E402

DATA = ROOT / "tests" / "data" / "triage"


def report(name: str, s: Scores, show_errors: bool) -> None:
    print(f"\n## {name} ({s.size} messages)")
    print(f"{'category':<11} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>4}")
    for cat in CATEGORIES:
        c = s.per_category[cat]
        print(f"{cat:<11} {c.precision:>9.2f} {c.recall:>7.2f} {c.f1:>6.2f} {c.support:>4}")
    print(f"macro-F1 {s.macro_f1:.3f} (goal >= 0.80)")
    print(f"incident recall {s.incident_recall:.3f} (goal >= 0.95)")
    print(f"urgent recall {s.urgent_recall:.3f} (goal >= 0.95), precision {s.urgent_precision:.3f}")
    print(f"urgency accuracy {s.urgency_accuracy:.3f}")
    print(f"important recall {s.important_recall:.3f}, precision {s.important_precision:.3f}")
    if show_errors:
        for row, got in s.errors:
            words = "; ".join(f"{r.code}: {', '.join(r.words)}" for r in got.reasons)
            print(f"  {row.category:>10} -> {got.category:<10} {row.text!r}  [{words}]")


def throughput(texts: list[str], seconds: float = 3.0) -> tuple[int, float]:
    for t in texts:  # warm-up
        triage(t)
    done = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for t in texts:
            triage(t)
        done += len(texts)
    return done, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", choices=["dev"], help="list the mistakes on the dev set")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rules-only", action="store_true", help="leave the learned fallback out")
    args = parser.parse_args()
    print(f"# Triage benchmark — {machine()} — commit {git_version()}")
    if args.rules_only:
        print("rules only: the learned fallback is left out")

    def score(rows: list[Labelled]) -> Scores:
        judge = partial(triage, learned=not args.rules_only)
        return score_with(rows, lambda text, lang: judge(text, lang))

    dev, held = load(DATA / "dev.jsonl"), load(DATA / "heldout.jsonl")
    fresh, unseen = load(DATA / "fresh.jsonl"), load(DATA / "unseen.jsonl")
    blind = load(DATA / "blind.jsonl")
    report("dev (rules tuned on it)", score(dev), args.errors == "dev")
    report("held-out (written with dev, before the rules; never tuned on)", score(held), False)
    report("fresh (written after the first rules; measured, then tuned on)", score(fresh), False)
    report("unseen (written after the 2nd rules; measured, then known)", score(unseen), False)
    report("blind (written after the 3rd rules; never tuned on)", score(blind), False)
    texts = [r.text for r in dev + held + fresh + unseen + blind]
    done, cpu = throughput(texts, args.seconds)
    mean = sum(len(t) for t in texts) / len(texts)
    print(
        f"\n## throughput: {done / cpu:,.0f} messages per CPU-second ({done:,} messages, "
        f"{cpu:.2f} s CPU, mean {mean:.0f} characters; goal >= 5,000)"
    )
    long = ("Bonjour, je voudrais savoir si le musée est ouvert demain. " * 200)[:10_000]
    n = 0
    start = time.process_time()
    while time.process_time() - start < 1.0:
        triage(long)
        n += 1
    print(f"10,000-character message: {n / (time.process_time() - start):,.0f} per CPU-second")


if __name__ == "__main__":
    main()
