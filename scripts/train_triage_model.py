"""Train triage's learned fallback: `.venv/bin/python scripts/train_triage_model.py`.

Counts words, word pairs and word stems per category over the labelled training sets
(`TRAINING_SETS`: every set but the independent one, `INDEPENDENT_SET`, kept to measure) and writes
`src/palabre/inbox/triage/model.json`. Deterministic: the same sets give the same file
(tests/unit/test_triage_eval.py checks the file matches the sets).
"""

from __future__ import annotations

import json

from palabre.inbox.triage.evaluation import TRAINING_SETS, load_sets
from palabre.inbox.triage.evidence import MATCHER
from palabre.inbox.triage.model import MODEL_FILE, train


def main() -> None:
    rows = [(r.text, r.category) for r in load_sets(TRAINING_SETS)]
    data = train(rows, MATCHER.vocabulary)
    MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{MODEL_FILE}: {len(rows)} messages, {data['vocabulary_size']} features")


if __name__ == "__main__":
    main()
