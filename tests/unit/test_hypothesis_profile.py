"""CI draws the same property-based cases at every run; a local run draws new ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import tests.conftest as c; from hypothesis import settings as s; "
    "print(c.HYPOTHESIS_PROFILE, s.default.derandomize, s.default.database)"
)


def profile_under(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "PALABRE_TEST_PROFILE")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["random", "False"]),
        ({"CI": "true"}, ["ci", "True", "None"]),
        ({"PALABRE_TEST_PROFILE": "ci"}, ["ci", "True", "None"]),
        ({"CI": "true", "PALABRE_TEST_PROFILE": "random"}, ["random", "False"]),
    ],
)
def test_the_profile_follows_the_environment(env: dict[str, str], expected: list[str]) -> None:
    assert profile_under(**env)[: len(expected)] == expected


def test_the_ci_script_selects_the_ci_profile() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert 'export PALABRE_TEST_PROFILE="${PALABRE_TEST_PROFILE:-ci}"' in script
