"""Training triage's linear model (``linear.py``) on labelled (text, category) rows, with
scikit-learn — a development dependency (``pip install -e '.[test]'``): a running Palabre
only reads the weights. ``scripts/train_triage_model.py`` writes ``model.json.gz``."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from palabre.inbox.triage.linear import analyser

C = 10.0  # how little the weights are held back (chosen by leaving each set out)
MIN_DOCUMENTS = 2  # a feature seen in one message only says nothing of the next
DIGITS = 5  # the weights are stored rounded


def fingerprint(rows: Sequence[tuple[str, str]]) -> str:
    """What the model was trained on, to tell when it must be trained again."""
    digest = hashlib.sha256()
    for text, category in rows:
        digest.update(f"{category}\t{text}\n".encode())
    return digest.hexdigest()


def fit(rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The model file's content from (text, category) rows."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(
        analyzer=analyser, sublinear_tf=True, min_df=MIN_DOCUMENTS, lowercase=False
    )
    matrix = vectoriser.fit_transform([text for text, _ in rows])
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(matrix, [category for _, category in rows])
    weights = model.coef_.T  # feature × class
    table = {
        feature: [round(float(vectoriser.idf_[i]), DIGITS)]
        + [round(float(w), DIGITS) for w in weights[i]]
        for feature, i in sorted(vectoriser.vocabulary_.items())
    }
    return {
        "classes": [str(c) for c in model.classes_],
        "intercepts": [round(float(b), DIGITS) for b in model.intercept_],
        "features": table,
        "fingerprint": fingerprint(rows),
    }


def write(data: dict[str, Any], path: Path) -> None:
    """Gzipped JSON without a time stamp: the same model gives the same bytes."""
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    path.write_bytes(raw.getvalue())
