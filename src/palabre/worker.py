"""The background worker: runs every state machine."""

from __future__ import annotations

from palabre.core.runtime import Runtime
from palabre.models import STATOR_MODELS
from palabre.stator import StatorRunner


def build_runner(runtime: Runtime, **kwargs: object) -> StatorRunner:
    return StatorRunner(
        runtime.db,
        list(STATOR_MODELS),
        services=runtime.worker_services(),
        **kwargs,  # type: ignore[arg-type]
    )
