"""Writing handler outcomes back, only for rows whose lease is still ours.

A stale outcome (another worker took the row after our lease ran out) is dropped. The
graph's ``after_transitions(conn, [(row, old, new), …], ctx)`` runs once per write-back
transaction with every row that changed state in it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from palabre.core.db import Database
from palabre.stator.graph import StateGraph
from palabre.stator.handling import HandlerContext, Outcome

log = logging.getLogger("palabre.stator.runner")  # the worker's log, one name for all it says

Written = list[tuple[Outcome, dict[str, Any]]]


def write_back_batch(
    db: Database,
    model: type[Any],
    graph: type[StateGraph],
    outcomes: list[Outcome],
    token: str,
    ctx: HandlerContext,
) -> list[Any]:
    """Write the outcomes still under our lease in one transaction. Returns the rows
    that entered a side-effect state and are still leased to us."""
    table = model.__table__
    with db.write_engine.begin() as conn:
        ours = _still_ours(db, conn, table, [o.row.id for o in outcomes], token)
        written = _ours_with_final_values(model, graph, outcomes, ours, ctx.now, chain=True)
        _update_grouped(conn, table, written)
        _after_transitions(graph, conn, _mirror(written), ctx)
    # Entered a side-effect state and kept its lease: handled again in this cycle.
    return [o.row for o, values in written if "state" in values and "lease_token" not in values]


def write_back_side_effects(
    db: Database,
    model: type[Any],
    graph: type[StateGraph],
    outcomes: list[Outcome],
    token: str,
    ctx: HandlerContext,
    conn: Connection | None = None,
) -> int:
    """Commit side-effect outcomes (one, or a batch the graph let wait) in one
    transaction; returns how many were still under our lease (the rest are dropped)."""
    if not outcomes:
        return 0
    if conn is None:
        with db.write_engine.connect() as own:
            return write_back_side_effects(db, model, graph, outcomes, token, ctx, own)
    table = model.__table__
    with conn.begin():
        if len(outcomes) == 1:
            written = _write_one(conn, table, graph, outcomes[0], token, ctx.now)
            _log_dropped(model, outcomes, {o.row.id for o, _ in written})
        else:
            ids = sorted(o.row.id for o in outcomes)
            ours = _still_ours(db, conn, table, ids, token)
            written = _ours_with_final_values(model, graph, outcomes, ours, ctx.now, chain=False)
            _update_grouped(conn, table, written)
        _after_transitions(graph, conn, _mirror(written), ctx)
    return len(written)


def _write_one(
    conn: Connection,
    table: Table,
    graph: type[StateGraph],
    outcome: Outcome,
    token: str,
    now: datetime,
) -> Written:
    """One outcome in one statement, guarded by the lease; empty if the lease was lost."""
    values = final_values(graph, outcome, now, chain=False)
    res = conn.execute(
        update(table).where(
            table.c.id == bindparam("_id"), table.c.lease_token == bindparam("_token")
        ),
        dict(values, _id=outcome.row.id, _token=token),
    )
    return [(outcome, values)] if res.rowcount == 1 else []


def _still_ours(
    db: Database, conn: Connection, table: Table, ids: list[int], token: str
) -> set[int]:
    """Which of ``ids`` are still leased with ``token``, locked until the commit."""
    mine = select(table.c.id).where(table.c.id.in_(ids), table.c.lease_token == token)
    if not db.is_sqlite:
        mine = mine.order_by(table.c.id).with_for_update()
    return set(conn.execute(mine).scalars())


def _ours_with_final_values(
    model: type[Any],
    graph: type[StateGraph],
    outcomes: list[Outcome],
    ours: set[int],
    now: datetime,
    *,
    chain: bool,
) -> Written:
    _log_dropped(model, outcomes, ours)
    return [(o, final_values(graph, o, now, chain=chain)) for o in outcomes if o.row.id in ours]


def _log_dropped(model: type[Any], outcomes: list[Outcome], ours: set[int]) -> None:
    for outcome in outcomes:
        if outcome.row.id not in ours:
            log.warning("%s %s: lease lost, outcome dropped", model.__name__, outcome.row.id)


def _update_grouped(conn: Connection, table: Table, written: Written) -> None:
    """One executemany per set of columns written."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for outcome, values in written:
        groups.setdefault(tuple(sorted(values)), []).append(dict(values, _id=outcome.row.id))
    for params in groups.values():
        conn.execute(update(table).where(table.c.id == bindparam("_id")), params)


def final_values(
    graph: type[StateGraph], outcome: Outcome, now: datetime, *, chain: bool
) -> dict[str, Any]:
    """The columns to write: the handler's changes, the lease cleared, and on a change
    of state the new state (due at once, attempts counted afresh, unless final). With
    ``chain``, a row entering a side-effect state keeps its lease to be handled again in
    this cycle."""
    values = dict(outcome.values, locked_until=None, lease_token=None)
    old = outcome.row.state
    if outcome.new_state is not None and outcome.new_state != old:
        target = graph.get(outcome.new_state)
        values.update(
            state=target.name,
            state_changed_at=now,
            next_attempt_at=None if target.final else now,
        )
        if not target.final:  # a final state keeps how many attempts it took
            values["attempts"] = 0
        if chain and target.side_effects:
            # Keep the lease: the row is handled again in this cycle, and counts as a
            # first attempt should the worker die before writing its outcome.
            del values["locked_until"], values["lease_token"]
            values["attempts"] = 1
    return values


def _mirror(written: Written) -> list[tuple[Any, str, str]]:
    """Mirror written values on the detached rows (hooks and a chained handler read them),
    clearing their change history; returns the changes of state as (row, old, new)."""
    changes: list[tuple[Any, str, str]] = []
    for outcome, values in written:
        old = outcome.row.state
        for key, value in values.items():
            set_committed_value(outcome.row, key, value)
        if "state" in values:
            changes.append((outcome.row, old, values["state"]))
    return changes


def _after_transitions(
    graph: type[StateGraph],
    conn: Connection,
    changes: list[tuple[Any, str, str]],
    ctx: HandlerContext,
) -> None:
    """The graph's ``after_transitions(conn, [(row, old, new), …], ctx)``, if any, in
    the write-back transaction."""
    hook = getattr(graph, "after_transitions", None)
    if hook is not None and changes:
        hook(conn, changes, ctx)
