"""The Jinja sandbox templates run in: no way to spend unbounded memory or time.

Jinja's own sandbox stops attribute tricks, not size: ``{{ "a" * 10**7 }}`` or
``{{ 7**100000 }}`` would allocate (or fold at compile time) without limit. Here:

- ``*``, ``**``, ``+``, ``%`` and ``//`` are checked *before* they run; a result above
  :data:`MAX_SIZE` characters (or a number above :data:`MAX_BITS` bits) is refused;
- calls and filters refuse numbers above :data:`MAX_SIZE` (``center(10**7)``), format
  widths of five digits (``"{:>10000000}".format(x)``, ``"%10000000s"|format(x)``), texts
  they would blow up (``replace`` of every character), and any result above the size;
- loops share a budget of :data:`MAX_STEPS` turns per rendering; macros, call blocks,
  recursive loops and imports are refused (a post template needs none of them);
- the output is read piece by piece and stops at :data:`MAX_SIZE` characters.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any, ClassVar

from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_SIZE = 10_000  # characters of any text (and of the rendered template)
MAX_TEMPLATE = 2_000  # characters of a template (a post is at most a few hundred)
MAX_BITS = 256  # a number in a template is never bigger than this
MAX_STEPS = 10_000  # loop turns in one rendering
MAX_RANGE = 100
FORBIDDEN: tuple[type[nodes.Node], ...] = (nodes.Macro, nodes.CallBlock, nodes.Import)
FORBIDDEN += (nodes.FromImport, nodes.Include, nodes.Extends)

WIDE_FORMAT = re.compile(r"[%:][^\s%:{}]*?\d{5,}")

_steps: ContextVar[list[int]] = ContextVar("template_steps")


class TooBig(SecurityError):
    """A value, a loop or the text itself would pass the sandbox's limits."""


class TooLong(TooBig):
    """The template itself is longer than :data:`MAX_TEMPLATE`."""


def _size(value: Any, depth: int = 0) -> int:
    """About the characters the value would print as: texts inside lists counted, so a
    list of one long text repeated many times is as big as what it would print."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value.bit_length() // 3  # about its decimal digits
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        if depth >= 3 or len(value) > MAX_SIZE:
            return len(value) * 10  # deep or long: counted without looking inside
        return len(value) + sum(_size(v, depth + 1) for v in value)
    return 0


def _check_size(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise TooBig("number too big")
    if _size(value) > MAX_SIZE:
        raise TooBig("value too big")
    return value


def _check_mul(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_BITS:
            raise TooBig("number too big")
    elif isinstance(left, int) or isinstance(right, int):
        times, seq = (left, right) if isinstance(left, int) else (right, left)
        if times > 0 and max(1, _size(seq)) * times > MAX_SIZE:
            raise TooBig("repeated too often")
    return _check_size(left * right)


def _check_pow(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int):
        if right > MAX_BITS or max(1, left.bit_length()) * max(0, right) > MAX_BITS:
            raise TooBig("number too big")
    elif isinstance(right, int | float) and abs(right) > MAX_BITS:
        raise TooBig("number too big")
    return _check_size(left**right)


def _check_add(left: Any, right: Any) -> Any:
    if _size(left) + _size(right) > MAX_SIZE:
        raise TooBig("value too big")
    return left + right


def _check_mod(left: Any, right: Any) -> Any:
    if isinstance(left, str):  # "%10000000s" % x: formatting is for the format filter
        raise SecurityError("% formatting is not allowed")
    return _check_size(left % right)


def _check_args(args: Iterable[Any], subject: Any = None) -> None:
    biggest_text = 0
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_SIZE:
            raise TooBig("number argument too big")
        if isinstance(arg, str):
            biggest_text = max(biggest_text, len(arg))
            _check_format(arg)
    if isinstance(subject, str):
        _check_format(subject)
    if isinstance(subject, str) and (len(subject) + 1) * max(1, biggest_text) > 100 * MAX_SIZE:
        raise TooBig("the text would grow too much")


def _check_format(text: str) -> None:
    """A width or precision of five digits or more ("%10000000s", "{:>10000000}") would
    allocate before any result could be measured."""
    if WIDE_FORMAT.search(text):
        raise TooBig("format width too big")


def _safe_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        plain = [a for a in args if isinstance(a, int | str)]
        subject = next((a for a in plain if isinstance(a, str)), None)
        _check_args([*plain, *kwargs.values()], subject)
        return _check_size(func(*args, **kwargs))

    return guarded


def _loop_budget(iterable: Any) -> Iterator[Any]:
    steps = _steps.get()
    for value in iterable:
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise TooBig("too many loop turns")
        yield value


def _small_range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError("range too big")
    return values


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})
    checked_binops: ClassVar[dict[str, Callable[[Any, Any], Any]]] = {
        "*": _check_mul,
        "**": _check_pow,
        "+": _check_add,
        "%": _check_mod,
        "//": lambda a, b: _check_size(operator.floordiv(a, b)),
    }

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        return self.checked_binops[op](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        _check_args([*args, *kwargs.values()], getattr(method, "__self__", None))
        return _check_size(super().call(__context, __obj, *args, **kwargs))


ENV = BoundedSandbox(undefined=StrictUndefined, autoescape=False)
ENV.globals = {"range": _small_range}
ENV.filters = {name: _safe_filter(f) for name, f in ENV.filters.items()}
ENV.filters["_loop_budget"] = _loop_budget


def compile_bounded(source: str) -> Template:
    """The template, with its loops on a budget. Raises TemplateSyntaxError, SecurityError."""
    if len(source) > MAX_TEMPLATE:
        raise TooLong("template too long")
    tree = ENV.parse(source)
    for node in tree.find_all(FORBIDDEN):
        raise SecurityError(f"{type(node).__name__} is not allowed")
    for loop in tree.find_all(nodes.For):
        if loop.recursive:
            raise SecurityError("recursive loops are not allowed")
        loop.iter = nodes.Filter(loop.iter, "_loop_budget", [], [], None, None, lineno=loop.lineno)
    return ENV.from_string(tree)


def render_bounded(template: Template, variables: dict[str, Any]) -> str:
    """The template filled in, stopped as soon as it passes :data:`MAX_SIZE` characters."""
    token = _steps.set([0])
    try:
        parts: list[str] = []
        total = 0
        for part in template.generate(**variables):
            total += len(part)
            if total > MAX_SIZE:
                raise TooBig("text too long")
            parts.append(part)
        return "".join(parts)
    finally:
        _steps.reset(token)
