"""The planner over several channels, each with its own guardrails and existing posts:
whatever the rules, every slot it gives keeps every channel's cap, spacing and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palabre.automations.guardrails import violations
from palabre.automations.models import ChannelGuardrails
from palabre.automations.planner import Planner, rules_of
from palabre.channels.models import Channel
from palabre.core.runtime import Runtime
from tests import factories as f

START = datetime(2027, 3, 26, 6, 0, tzinfo=UTC)  # the Friday before Paris springs forward

rails = st.builds(
    dict,
    daily_cap=st.integers(1, 4),
    min_spacing_minutes=st.integers(0, 300),
    quiet_start=st.sampled_from(["21:00", "23:30", "00:00", "12:00"]),
    quiet_end=st.sampled_from(["08:00", "02:30", "06:00", "14:00"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    per_channel=st.lists(rails, min_size=2, max_size=3),
    afters=st.lists(st.integers(0, 4 * 24 * 60), min_size=1, max_size=30),
    manual=st.lists(st.integers(0, 4 * 24 * 60), max_size=4),
)
def test_slots_keep_every_channels_rules(
    rt: Runtime, per_channel: list[dict[str, object]], afters: list[int], manual: list[int]
) -> None:
    with rt.db.transaction() as s:  # rolled back at the end: each example starts afresh
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        ids = []
        for n, values in enumerate(per_channel):
            channel = f.preview_channel(rt, s, ws, boss, name=f"Canal {n}")
            s.add(
                ChannelGuardrails(
                    channel_id=channel.id, share_warning=50, share_ceiling=70, **values
                )
            )
            ids.append(channel.id)
        s.flush()
        # Posts people scheduled on the first channel: the slots keep their distance.
        theirs = [START + timedelta(minutes=m) for m in manual]
        for when in theirs:
            f.post(
                s,
                ws,
                boss,
                [s.get(Channel, ids[0])],
                text="À la main",
                when=when,
                intent="schedule",
            )
        planner = Planner(s, ids, "Europe/Paris")
        given_slots = []
        for minutes in sorted(afters):
            after = START + timedelta(minutes=minutes)
            slot = planner.slot(after)
            if slot is not None:
                assert slot >= after
                given_slots.append(slot)
        for cid in ids:
            rules = rules_of(s.get(ChannelGuardrails, cid), "Europe/Paris")  # type: ignore[arg-type]
            assert violations(given_slots, rules) == [], (cid, per_channel)
        first = rules_of(s.get(ChannelGuardrails, ids[0]), "Europe/Paris")  # type: ignore[arg-type]
        for slot in given_slots:
            assert all(abs(slot - t) >= first.min_spacing for t in theirs), (slot, theirs)
        s.rollback()


def test_quiet_hours_of_one_channel_hold_for_all(rt: Runtime) -> None:
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        boss = f.user(s, ws, "manager")
        a = f.preview_channel(rt, s, ws, boss, name="A")
        b = f.preview_channel(rt, s, ws, boss, name="B")
        s.add(ChannelGuardrails(channel_id=a.id, quiet_start="12:00", quiet_end="14:00"))
        s.flush()
        noon = datetime(2027, 5, 12, 10, 30, tzinfo=UTC)  # 12:30 in Paris
        slot = Planner(s, [a.id, b.id], "Europe/Paris").slot(noon)
        assert slot == datetime(2027, 5, 12, 12, 0, tzinfo=UTC)  # 14:00 in Paris
