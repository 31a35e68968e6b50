"""Shared by the benchmark scripts: fresh databases, bulk seeding, real worker and server
processes. Everything runs on this machine, on loopback."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import create_engine, func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
PALABRE = str(ROOT / ".venv" / "bin" / "palabre")
PG_PORT = os.environ.get("PALABRE_PG_PORT", "54405")
PASSWORD = "benchmark password"


def machine() -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{mem}"


def reference_loop() -> float:
    """CPU seconds of a plain Python loop adding 10 million integers: the host's speed at
    the time (it varied by a factor of two here), to print next to figures."""
    started, total = time.process_time(), 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def git_version() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()[:72] + (" (+ uncommitted changes)" if dirty.stdout else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# -- databases -------------------------------------------------------------------------
@contextmanager
def postgres(keep: bool = False) -> Iterator[str]:
    """A throwaway PostgreSQL (scripts/pg.sh) on PALABRE_PG_PORT, stopped at the end
    unless it was already running or ``keep``."""
    env = dict(os.environ, PALABRE_PG_PORT=PG_PORT)
    pg = ["bash", str(ROOT / "scripts" / "pg.sh")]
    was_running = subprocess.run([*pg, "status"], env=env, capture_output=True).returncode == 0
    subprocess.run([*pg, "start"], env=env, check=True)
    url = subprocess.run([*pg, "url"], env=env, capture_output=True, text=True, check=True)
    try:
        yield url.stdout.strip()
    finally:
        if not was_running and not keep:
            subprocess.run([*pg, "stop"], env=env, check=False)


@dataclass
class Instance:
    """A Palabre data directory and database, freshly migrated."""

    data_dir: Path
    url: str
    secret_key: str

    def env(self, **extra: str) -> dict[str, str]:
        return dict(
            os.environ,
            PALABRE_DATA_DIR=str(self.data_dir),
            PALABRE_DATABASE_URL=self.url,
            PALABRE_SECRET_KEY=self.secret_key,
            PALABRE_LOG_LEVEL="WARNING",
            **extra,
        )

    def runtime(self) -> Any:
        from palabre.core.config import Settings
        from palabre.core.runtime import Runtime

        settings = Settings(
            data_dir=self.data_dir, database_url=self.url, secret_key=self.secret_key
        )
        return Runtime(settings)

    def scalar(self, sql: str) -> Any:
        engine = create_engine(self.url)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql)).scalar()
        finally:
            engine.dispose()


@contextmanager
def instance(
    kind: str, pg_url: str | None = None, keep: bool = False, sqlite_file: Path | None = None
) -> Iterator[Instance]:
    """``kind`` is "sqlite" (a file in a temporary directory, or ``sqlite_file``, which
    stays) or "postgresql" (emptied first, unless ``keep``: then only migrated)."""
    from palabre.core.migrate import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="palabre-bench-"))
    try:
        if kind == "sqlite":
            url = f"sqlite:///{sqlite_file or tmp / 'palabre.sqlite3'}"
        else:
            assert pg_url, "PostgreSQL needs a URL"
            url = pg_url
            engine = create_engine(url)
            with engine.begin() as conn:
                if not keep:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        upgrade(url)
        yield Instance(tmp, url, Fernet.generate_key().decode())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- seeding ---------------------------------------------------------------------------
@dataclass
class Seeded:
    workspace_id: int
    manager_email: str
    channel_ids: list[int]


def seed_team(inst: Instance, channels: int = 2) -> Seeded:
    """A workspace, a manager (password PASSWORD) and preview channels, through the
    services as a user would create them."""
    from palabre.channels import services as channel_services
    from palabre.core.security import hash_password
    from palabre.team import services as team
    from palabre.team.models import User

    rt = inst.runtime()
    try:
        with rt.db.transaction() as s:
            ws = team.create_workspace(s, name="Musée des benchmarks", timezone="Europe/Paris")
            mgr = User(
                workspace_id=ws.id,
                email="manager@example.org",
                name="Manon Manager",
                role="owner",
                password_hash=hash_password(PASSWORD),
            )
            s.add(mgr)
            s.flush()
            ids = [
                channel_services.create_channel(
                    s,
                    ws,
                    kind="preview",
                    name=f"Aperçu {i + 1}",
                    settings={"imitates": "mastodon" if i % 2 == 0 else "bluesky"},
                    actor=mgr,
                    box=rt.box,
                ).id
                for i in range(channels)
            ]
            return Seeded(ws.id, mgr.email, ids)
    finally:
        rt.close()


def bulk_posts(
    inst: Instance,
    team: Seeded,
    times: list[datetime],
    *,
    states: list[str] | None = None,
    deliveries: bool = True,
    chunk: int = 5_000,
) -> int:
    """Insert one post per time (scheduled by default) targeting every channel, with
    its deliveries due at that time, using Core bulk inserts (seconds, not minutes)."""
    from palabre.publishing.models import Delivery, Post, PostVariant
    from palabre.team.models import User

    rt = inst.runtime()
    now = datetime.now(times[0].tzinfo)
    try:
        with rt.db.transaction() as s:
            author = s.scalar(select(User.id).where(User.email == team.manager_email))
        for start in range(0, len(times), chunk):
            part = times[start : start + chunk]
            part_states = (states or ["scheduled"] * len(times))[start : start + chunk]
            with rt.db.transaction() as s:
                rows = [
                    {
                        "workspace_id": team.workspace_id,
                        "author_id": author,
                        "state": st,
                        "text": f"Post n°{start + i} : l'exposition ouvre ses portes #musée",
                        "scheduled_at": when,
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                    for i, (when, st) in enumerate(zip(part, part_states, strict=True))
                ]
                ids = list(
                    s.scalars(insert(Post).returning(Post.id, sort_by_parameter_order=True), rows)
                )
                s.execute(
                    insert(PostVariant),
                    [{"post_id": p, "channel_id": c} for p in ids for c in team.channel_ids],
                )
                if deliveries:
                    s.execute(
                        insert(Delivery),
                        [
                            {
                                "post_id": p,
                                "channel_id": c,
                                "round": 1,
                                "state": "scheduled",
                                "state_changed_at": now,
                                "next_attempt_at": when,
                                "attempts": 0,
                            }
                            for p, when, st in zip(ids, part, part_states, strict=True)
                            if st == "scheduled"
                            for c in team.channel_ids
                        ],
                    )
        return len(times)
    finally:
        rt.close()


def due_now(n: int) -> list[datetime]:
    from palabre.core.db import utcnow

    now = utcnow() - timedelta(seconds=1)
    return [now] * n


# -- processes -------------------------------------------------------------------------
def start_workers(inst: Instance, n: int, *args: str) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen([PALABRE, "worker", *args], env=inst.env(), cwd=inst.data_dir)
        for _ in range(n)
    ]


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@dataclass
class Tally:
    deliveries: int
    published: int
    failed: int
    records: int
    duplicate_records: int
    missing: int

    @property
    def duplicates(self) -> int:
        return self.duplicate_records


def tally(inst: Instance) -> Tally:
    """Every delivery against what the preview 'network' recorded."""
    from palabre.channels.preview.models import PreviewRecord
    from palabre.publishing.models import Delivery

    engine = create_engine(inst.url)
    try:
        with engine.connect() as conn:
            count = func.count()
            total = conn.execute(select(count).select_from(Delivery)).scalar_one()
            published = conn.execute(
                select(count).where(Delivery.state == "published")
            ).scalar_one()
            failed = conn.execute(select(count).where(Delivery.state == "failed")).scalar_one()
            records = conn.execute(select(count).select_from(PreviewRecord)).scalar_one()
            # The preview keys records by delivery (id and round): more than one record
            # for a delivery would be a duplicate publication.
            per_key = (
                select(PreviewRecord.idempotency_key, count.label("n"))
                .group_by(PreviewRecord.idempotency_key)
                .subquery()
            )
            dupes = conn.execute(
                select(func.coalesce(func.sum(per_key.c.n - 1), 0)).where(per_key.c.n > 1)
            ).scalar_one()
            keys = {
                f"palabre-delivery-{i}-{r}"
                for i, r in conn.execute(
                    select(Delivery.id, Delivery.round).where(Delivery.state == "published")
                )
            }
            recorded = set(conn.execute(select(PreviewRecord.idempotency_key)).scalars())
            return Tally(total, published, failed, records, int(dupes), len(keys - recorded))
    finally:
        engine.dispose()


def wait_until(predicate: Any, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def python() -> str:
    return sys.executable


# -- a real server ---------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(inst: Instance, *args: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``palabre serve`` on a free loopback port; yields the process and its base URL."""
    import httpx

    port = free_port()
    proc = subprocess.Popen(
        [PALABRE, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env=inst.env(),
        cwd=inst.data_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/signin", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        if not wait_until(up, timeout=60):
            raise SystemExit("palabre serve did not answer within 60 s")
        yield proc, base
    finally:
        stop([proc])


def sign_in(base: str, email: str, password: str = PASSWORD) -> Any:
    """An httpx client signed in as a browser would be (CSRF token from the form)."""
    import httpx

    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/signin")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    resp = client.post(
        "/signin", data={"email": email, "password": password, "csrf_token": csrf, "next": "/"}
    )
    assert resp.status_code in (200, 303), resp.status_code
    return client


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def process_tree(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's worker processes, for instance)."""
    pids, i = [pid], 0
    while i < len(pids):
        for task in Path(f"/proc/{pids[i]}/task").glob("*"):
            with suppress(OSError):
                pids.extend(int(c) for c in (task / "children").read_text().split())
        i += 1
    return pids


def machine_cpu() -> tuple[float, float]:
    """(CPU-seconds busy on all cores, CPU-seconds elapsed on all cores) since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    total = sum(fields[:8])  # guest time is already counted in user time
    tick = os.sysconf("SC_CLK_TCK")
    return (total - idle) / tick, total / tick


def wait_for_quiet(at_most: float, timeout: float, sample: float = 3.0) -> tuple[float, float]:
    """Wait (up to ``timeout`` seconds) until the machine's CPUs are at most ``at_most``
    busy (0–1) over ``sample`` seconds; returns (seconds waited, last busy fraction)."""
    started = time.monotonic()
    while True:
        before = machine_cpu()
        time.sleep(sample)
        busy, total = (b - a for a, b in zip(before, machine_cpu(), strict=True))
        fraction = busy / total if total else 0.0
        waited = time.monotonic() - started
        if fraction <= at_most or waited >= timeout:
            return waited, fraction


def postgres_pid() -> int | None:
    """The throwaway PostgreSQL server's main process (its backends are its children)."""
    try:
        pid_file = Path(f"/tmp/palabre-pg-{PG_PORT}/data/postmaster.pid")
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def connections_by_process(ports: list[int]) -> str:
    """How the established connections to these local ports are spread over the server
    processes that accepted them, e.g. "14+6" (from ``ss``; "?" without it)."""
    counts: dict[str, int] = {}
    for port in ports:
        try:
            out = subprocess.run(
                ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return "?"
        for line in out.splitlines():
            pid = line.split("pid=", 1)[1].split(",", 1)[0] if "pid=" in line else "?"
            counts[pid] = counts.get(pid, 0) + 1
    return "+".join(str(n) for n in sorted(counts.values(), reverse=True)) or "?"


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants, the ended ones included (their time
    is added to their parent's when it reaps them: the PostgreSQL server's short-lived
    backends, for instance)."""
    total = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile: counted in its parent's reaped time
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total
