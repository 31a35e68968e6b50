"""The automation editor's form: read from a posted form, shown again with its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from palabre.automations.models import Automation
from palabre.automations.settings import SETTINGS

LIST_FIELDS = ("include", "exclude", "categories", "keywords", "offsets", "phrasings")
INT_FIELDS = ("max_age_days", "per_day", "daily_cap")
TEXT_FIELDS = ("template", "pick_at")


def split_list(text: str, *, lines: bool = False) -> list[str]:
    parts = text.splitlines() if lines else text.replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


@dataclass
class AutomationForm:
    kind: str = "news"
    name: str = ""
    mode: str = "suggest"
    source_ids: list[int] = field(default_factory=list)
    channel_ids: list[int] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # as typed, to show again

    @classmethod
    def read(cls, form: FormData, kind: str | None = None) -> AutomationForm:
        kind = kind or str(form.get("kind") or "news")
        known = SETTINGS.get(kind, SETTINGS["news"]).model_fields
        raw = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        settings: dict[str, Any] = {}
        for name in known:
            if name not in raw:
                continue
            value = raw[name]
            if name in LIST_FIELDS:
                settings[name] = split_list(value, lines=name in ("phrasings", "offsets"))
            elif name in INT_FIELDS:
                settings[name] = int(value) if value.strip().lstrip("-").isdigit() else value
            else:
                settings[name] = value
        return cls(
            kind=kind,
            name=raw.get("name", ""),
            mode=raw.get("mode", "suggest"),
            source_ids=_ints(form.getlist("sources")),
            channel_ids=_ints(form.getlist("channels")),
            settings=settings,
            raw=raw,
        )

    @classmethod
    def of(cls, row: Automation) -> AutomationForm:
        raw: dict[str, str] = {}
        for name, value in (row.settings or {}).items():
            if isinstance(value, list):
                sep = "\n" if name in ("phrasings", "offsets") else ", "
                raw[name] = sep.join(str(v) for v in value)
            else:
                raw[name] = str(value)
        return cls(row.kind, row.name, row.mode, row.source_ids, row.channel_ids, row.settings, raw)

    @classmethod
    def default(cls, kind: str) -> AutomationForm:
        model = SETTINGS.get(kind, SETTINGS["news"])()
        form = cls(kind=kind)
        for name, value in model.model_dump().items():
            if isinstance(value, list):
                form.raw[name] = ("\n" if name in ("phrasings", "offsets") else ", ").join(value)
            else:
                form.raw[name] = str(value)
        return form


def _ints(values: list[Any]) -> list[int]:
    return [int(v) for v in values if isinstance(v, str) and v.isdigit()]
