"""An adapter's pydantic settings model as an HTML form, and the submitted form back.

Generic on purpose: a new network declares its settings model and gets its form.
``Literal`` → select, ``bool`` → checkbox, ``int``/``float`` → number, ``SecretStr`` or a
name in ``secret_fields`` → password, URLs → url, anything else → text. A field's
``title`` is its label and its ``description`` the hint under it. A field with
``json_schema_extra={"form": False}`` is not shown (the adapter fills it).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import AnyUrl, BaseModel, SecretStr
from pydantic.fields import FieldInfo

PREFIX = "settings."


@dataclass
class FieldSpec:
    name: str  # the model's field name
    input_name: str  # the form's name, "settings.<name>"
    label: str  # an English msgid (translated in the template)
    widget: str  # text | number | select | password | checkbox | url
    required: bool
    default: Any = None
    hint: str | None = None
    choices: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)  # min, max, step, maxlength…

    @property
    def html_id(self) -> str:
        return "f-" + self.input_name.replace(".", "-")

    @property
    def secret(self) -> bool:
        return self.widget == "password"


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _is_secret(name: str, annotation: Any, secret_fields: frozenset[str]) -> bool:
    return name in secret_fields or annotation is SecretStr


def secret_names(model: type[BaseModel], secret_fields: frozenset[str] = frozenset()) -> set[str]:
    """Fields that are stored encrypted and never shown again."""
    return {
        name
        for name, info in model.model_fields.items()
        if _is_secret(name, _unwrap_optional(info.annotation)[0], secret_fields)
    }


def _widget(annotation: Any) -> tuple[str, list[str]]:
    if get_origin(annotation) is Literal:
        return "select", [str(a) for a in get_args(annotation)]
    if annotation is bool:
        return "checkbox", []
    if annotation in (int, float):
        return "number", []
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl):
        return "url", []
    return "text", []


def _attrs(info: FieldInfo, widget: str, annotation: Any) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for meta in info.metadata:
        if isinstance(meta, Ge):
            attrs["min"] = meta.ge
        elif isinstance(meta, Gt) and widget == "number" and annotation is int:
            attrs["min"] = meta.gt + 1  # type: ignore[operator]
        elif isinstance(meta, Le):
            attrs["max"] = meta.le
        elif isinstance(meta, Lt) and widget == "number" and annotation is int:
            attrs["max"] = meta.lt - 1  # type: ignore[operator]
        elif isinstance(meta, MaxLen):
            attrs["maxlength"] = meta.max_length
        elif isinstance(meta, MinLen):
            attrs["minlength"] = meta.min_length
    if widget == "number":
        attrs["step"] = "1" if annotation is int else "any"
    return attrs


def describe(
    model: type[BaseModel], secret_fields: frozenset[str] = frozenset()
) -> list[FieldSpec]:
    """The form's fields, in the model's order."""
    specs = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("form") is False:
            continue  # filled by the adapter (limits learnt from the server), not typed
        annotation, _optional = _unwrap_optional(info.annotation)
        choices: list[str] = []
        if _is_secret(name, annotation, secret_fields):
            widget = "password"
        else:
            widget, choices = _widget(annotation)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        specs.append(
            FieldSpec(
                name=name,
                input_name=PREFIX + name,
                label=info.title or name.replace("_", " ").capitalize(),
                widget=widget,
                required=info.is_required() and widget != "checkbox",
                default=None if widget == "password" else default,
                hint=info.description,
                choices=choices,
                attrs=_attrs(info, widget, annotation),
            )
        )
    return specs


def parse(specs: list[FieldSpec], form: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted values, ready for the model to validate.

    An empty optional box means "not set" (the model's default applies); an unticked
    checkbox is False. Numbers are left as typed: the model converts them and says
    clearly when it cannot.
    """
    values: dict[str, Any] = {}
    for spec in specs:
        raw = form.get(spec.input_name)
        if spec.widget == "checkbox":
            values[spec.name] = raw in ("on", "true", "1", "yes")
            continue
        text = raw.strip() if isinstance(raw, str) and spec.widget != "password" else raw
        if text is None or text == "":
            continue
        values[spec.name] = text
    return values


def kept_values(specs: list[FieldSpec], form: Mapping[str, Any]) -> dict[str, str]:
    """What the person typed, to fill the form again after an error. Never secrets."""
    return {
        s.input_name: str(form.get(s.input_name, ""))
        for s in specs
        if not s.secret and form.get(s.input_name) is not None
    }


def initial_values(specs: list[FieldSpec]) -> dict[str, str]:
    return {
        s.input_name: ("" if s.default is None else str(s.default))
        for s in specs
        if not s.secret and s.widget != "checkbox"
    } | {s.input_name: "on" for s in specs if s.widget == "checkbox" and s.default}
