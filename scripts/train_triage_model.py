"""Train triage's learned model: `.venv/bin/python scripts/train_triage_model.py`.

A logistic regression over pieces of words, words and pairs of words (see
`src/palabre/inbox/triage/linear.py`) fitted with scikit-learn on the labelled training
sets (`TRAINING_SETS`: every set but the independent ones, `INDEPENDENT_SETS`, kept to
measure); writes `src/palabre/inbox/triage/model.json.gz`. The file records what it was
trained on (tests/unit/test_triage_eval.py checks it matches the sets).
"""

from __future__ import annotations

from palabre.inbox.triage.evaluation import TRAINING_SETS, load_sets
from palabre.inbox.triage.linear import MODEL_FILE
from palabre.inbox.triage.training import fit, write


def main() -> None:
    rows = [(r.text, r.category) for r in load_sets(TRAINING_SETS)]
    data = fit(rows)
    write(data, MODEL_FILE)
    size = MODEL_FILE.stat().st_size
    print(f"{MODEL_FILE}: {len(rows)} messages, {len(data['features'])} features, {size:,} bytes")


if __name__ == "__main__":
    main()
