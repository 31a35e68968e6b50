"""The labelled evaluation set is what the issue asks for, and triage keeps its goals on
it: a change of rules that loses incidents or urgent messages fails here."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from palabre.inbox.triage import CATEGORIES, URGENCIES, judge
from palabre.inbox.triage.evaluation import (
    INDEPENDENT_SET,
    TRAINING_SETS,
    load,
    load_sets,
    score,
)
from palabre.inbox.triage.evidence import MATCHER
from palabre.inbox.triage.model import MODEL_FILE, from_counts, train

DATA = Path(__file__).resolve().parent.parent / "data" / "triage"
DEV, HELD_OUT = load(DATA / "dev.jsonl"), load(DATA / "heldout.jsonl")
ALL = TRAINING_SETS


def test_the_sets_are_large_bilingual_labelled_and_disjoint() -> None:
    rows = load_sets(ALL)
    assert len(rows) >= 300 and len(HELD_OUT) >= 100
    assert all(r.category in CATEGORIES and r.urgency in URGENCIES for r in rows)
    assert all(r.lang in ("fr", "en") and r.text.strip() for r in rows)
    langs = Counter(r.lang for r in rows)
    assert 0.5 <= langs["fr"] / len(rows) <= 0.7
    for name in ALL:
        assert set(Counter(r.category for r in load(DATA / f"{name}.jsonl"))) == set(CATEGORIES)
    texts = [r.text.casefold() for r in rows]
    assert len(set(texts)) == len(texts), "a message is in both sets, or twice"


def test_the_independent_set_is_kept_apart_and_shares_no_message() -> None:
    # blind6 (docs/triage.md), written by someone who never saw the rules, measures the
    # triage on text nobody tuned it on: never trained on, sharing no message with the
    # other sets. The lead adds its file; until then there is nothing to keep apart.
    path = DATA / f"{INDEPENDENT_SET}.jsonl"
    assert INDEPENDENT_SET not in TRAINING_SETS
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet (the lead adds it)")
    independent = load(path)
    assert len(independent) >= 200
    assert set(Counter(r.category for r in independent)) == set(CATEGORIES)
    others = {r.text.casefold() for r in load_sets(TRAINING_SETS)}
    assert not others & {r.text.casefold() for r in independent}


def test_blind6_figures_do_not_fall_below_what_was_measured() -> None:
    # blind6: 310 messages written at the end of session 5 by a helper session that saw
    # only the labelling guide. Measured by the lead twice, untouched: before the third
    # round (0bab2a7) macro-F1 0.843, incident recall 0.906 (77/85), urgent recall 0.940
    # (110/117), precision 0.873; after it (786a9cf) 0.847 / 0.918 (78/85) / 0.949
    # (111/117) / 0.874. Goals 0.80 / 0.95 / 0.95: the recall goals are NOT met on new
    # text. Never tuned on: these floors only keep what was measured.
    s = score(load(DATA / f"{INDEPENDENT_SET}.jsonl"))
    assert s.macro_f1 >= 0.84
    assert s.incident_recall >= 0.917  # 78/85
    assert s.urgent_recall >= 0.948  # 111/117
    assert s.urgent_precision >= 0.87


def test_blind5_figures_do_not_fall_below_what_was_measured() -> None:
    # blind5: 311 messages written at the end of session 5 by a helper session that saw
    # only the labelling guide. Measured by the lead twice, untouched: on main before the
    # second round of the session (d56e99a) macro-F1 0.866, incident recall 0.894 (76/85),
    # urgent recall 0.930 (119/128), precision 0.895; after it (ccb19c9) 0.872 / 0.929
    # (79/85) / 0.945 (121/128) / 0.896. Goals 0.80 / 0.95 / 0.95: the recall goals are
    # NOT met on new text. A development set since session 5, round 3 (blind6 is the
    # independent measure): its errors were read, rules tuned (witnesses.py) and the
    # fallback trained on it, reaching 0.932 / 1.0 / 1.0, precision 0.934 (0.883 / 1.0 /
    # 1.0 / 0.908 with a fallback that never saw it). Not a measure of new text: blind6 is.
    s = score(load(DATA / "blind5.jsonl"))
    assert s.macro_f1 >= 0.93
    assert s.incident_recall == 1.0
    assert s.urgent_recall == 1.0
    assert s.urgent_precision >= 0.93


def test_blind4_figures_do_not_fall_below_what_was_measured() -> None:
    # blind4: 311 messages written in session 5 by a helper session that saw only the
    # labelling guide (docs/triage.md), never the rules, the lexicons, the model or the
    # other sets. Measured by the lead twice, untouched: on main before the session's
    # triage work (7953f81) macro-F1 0.780, incident recall 0.912 (73/80), urgent recall
    # 0.949 (111/117), precision 0.874; after it (ba21f8b) 0.823 / 0.912 / 0.940 / 0.880.
    # Goals 0.80 / 0.95 / 0.95: the recall goals are NOT met on new text. A development
    # set since session 5, round 2 (blind5 is the independent measure): its errors were read, rules
    # tuned (hazards.py) and the fallback trained on it, reaching 0.892 / 1.0 / 0.991,
    # precision 0.935 (0.849 / 1.0 / 0.991 with a fallback that never saw it; rules alone
    # 0.809 / 0.963 / 0.915). Not a measure of new text any more. With blind5 trained on
    # too (round 3) the fallback moves: 0.887 / 1.0 / 0.991 / 0.928.
    s = score(load(DATA / "blind4.jsonl"))
    assert s.macro_f1 >= 0.88
    assert s.incident_recall == 1.0
    assert s.urgent_recall >= 0.99
    assert s.urgent_precision >= 0.92


def test_blind3_figures_do_not_fall_below_what_was_measured() -> None:
    # Measured untouched, at the end of session 4 (commit 6852ddc): macro-F1 0.813,
    # incident recall 0.915 (65 of 71), urgent recall 0.943 (99 of 105), precision 0.925.
    # Before that session's work: 0.753 / 0.789 / 0.810. Goals 0.80 / 0.95 / 0.95: not
    # all met. A development set since session 5 (blind4 is the independent measure): its
    # errors were read, the rules tuned and the fallback trained on it, and it reached
    # 0.983 / 1.0 / 1.0 (precision 1.0) — with a fallback that never saw it, 0.971 / 1.0 /
    # 1.0 (test_the_last_sets_read_by_a_model_that_never_saw_them); rules alone 0.925 /
    # 0.986 / 0.990. Not a measure of new text any more: blind4 is.
    s = score(load(DATA / "blind3.jsonl"))
    assert s.macro_f1 >= 0.98
    assert s.incident_recall == 1.0
    assert s.urgent_recall == 1.0
    assert s.urgent_precision >= 0.99


@pytest.mark.parametrize("name", TRAINING_SETS)
def test_goals_are_met_on_every_set(name: str) -> None:
    # Every set has been tuned and trained on (docs/triage.md): these are floors that
    # keep a change from losing what was reached, not a measure of new text.
    s = score(load(DATA / f"{name}.jsonl"))
    assert s.macro_f1 >= 0.80, name
    assert s.incident_recall >= 0.95, name
    assert s.urgent_recall >= 0.95, name
    assert s.urgent_precision >= 0.90, name


def test_blind2_figures_do_not_fall_below_what_was_reached() -> None:
    # Measured once, untouched, at macro-F1 0.857, incident recall 0.941 and urgent
    # recall 0.933 (precision 0.913); a development set since session 4 (blind3, written
    # elsewhere, is the independent measure), where the rules and the model reached:
    # (macro-F1 0.95, not the 0.966 reached once: a question without any cue, "vous
    # avez du wifi dans le hall", comes and goes as the fallback is retrained on more sets)
    s = score(load(DATA / "blind2.jsonl"))
    assert s.macro_f1 >= 0.95
    assert s.incident_recall == 1.0
    assert s.urgent_recall == 1.0
    assert s.urgent_precision >= 0.97


def test_all_sets_together() -> None:
    # 0.97 before blind4 joined (session 5, round 2): its chat read as praise and its sarcasm
    # without a negative word are still missed (docs/triage.md); 0.96 before blind5 (round 3),
    # whose sarcasm, chat and refunds read as incidents cost as much again.
    s = score(load_sets(TRAINING_SETS))
    assert s.macro_f1 >= 0.955
    assert s.incident_recall == 1.0
    assert s.urgent_recall >= 0.99
    assert s.urgent_precision >= 0.97


@pytest.mark.parametrize(
    ("name", "incident", "urgent", "macro"),
    [
        ("train8", 0.92, 0.95, 0.85),
        ("train9", 0.91, 0.94, 0.85),
        ("train10", 1.0, 0.94, 0.85),
        ("train11", 0.9, 0.93, 0.84),
        ("train12", 0.88, 1.0, 0.85),
        ("blind3", 1.0, 1.0, 0.96),
        ("train13", 1.0, 1.0, 0.95),
        ("train14", 1.0, 1.0, 0.85),
        ("train15", 1.0, 1.0, 0.85),
        ("train16", 1.0, 1.0, 0.85),
        ("train17", 1.0, 1.0, 0.8),
        ("train18", 1.0, 1.0, 0.85),
        ("blind4", 1.0, 0.98, 0.84),
        ("train19", 1.0, 1.0, 0.9),
        ("train20", 1.0, 1.0, 0.9),
        ("train21", 1.0, 1.0, 0.95),
        ("blind5", 1.0, 1.0, 0.88),
        ("train22", 1.0, 1.0, 0.9),
    ],
)
def test_the_last_sets_read_by_a_model_that_never_saw_them(
    name: str, incident: float, urgent: float, macro: float
) -> None:
    # train8 to 12 were written after the rules of session 4 and measured once
    # (incident recall 0.929, 0.917, 1.0, 0.9, 0.889; urgent recall 0.909, 0.833, 0.944,
    # 0.938, 1.0): with a model trained on every other set, the rules (which have read them
    # since) and the fallback keep what they reach now. blind3, train13 likewise
    # train14 to train18 (session 5; measured before: 0.813 / 0.915 / 0.943, 0.470 /
    # 0.500 / 0.600, 0.750 / 0.900 / 0.923, 0.770 / 1.0 / 1.0, 0.653 / 1.0 / 1.0, 0.688 /
    # 0.600 / 0.857, 0.831 / 1.0 / 1.0). blind4 and train19 (session 5, round 2; measured before:
    # 0.823 / 0.912 / 0.940 and 0.873 / 0.895 / 0.895): 0.849 / 1.0 / 0.991, 0.949 / 1.0 / 1.0;
    # train20 and train21 (0.713 / 1.0 / 1.0, 0.947 / 0.923 / 0.923): 0.947 and 1.0.
    # blind5 and train22 (round 3; measured before: 0.872 / 0.929 / 0.945, 0.844 / 0.933 /
    # 0.824): 0.883 / 1.0 / 1.0, 0.939 / 1.0 / 1.0.
    rows = [
        (r.text, r.category) for n in TRAINING_SETS if n != name for r in load(DATA / f"{n}.jsonl")
    ]
    model = from_counts(train(rows, MATCHER.vocabulary))
    s = score(load(DATA / f"{name}.jsonl"), lambda text, lang: judge(text, lang, model))
    assert s.incident_recall >= incident
    assert s.urgent_recall >= urgent
    assert s.macro_f1 >= macro


def test_the_model_file_is_what_training_on_the_sets_gives() -> None:
    rows = [(r.text, r.category) for r in load_sets(TRAINING_SETS)]
    developed = {"blind2", "blind3", "blind4", "blind5", *(f"train{n}" for n in range(5, 23))}
    assert developed <= set(TRAINING_SETS)
    expected = train(rows, MATCHER.vocabulary)
    assert json.loads(MODEL_FILE.read_text(encoding="utf-8")) == expected, (
        "run scripts/train_triage_model.py after changing the sets or the lexicons"
    )
