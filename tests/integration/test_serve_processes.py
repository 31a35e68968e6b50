"""`palabre serve --processes 2`, run for real: connections spread over both processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists() or not hasattr(socket, "SO_REUSEPORT"),
    reason="needs Linux (/proc and SO_REUSEPORT)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def established_inodes(port: int) -> set[str]:
    """Inodes of the server side of the established TCP connections to this local port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, dict[str, str]]]:
    env = dict(os.environ)
    env.pop("PALABRE_DATABASE_URL", None)
    env.pop("PALABRE_SECRET_KEY", None)
    env["PALABRE_DATA_DIR"] = str(tmp_path / "data")
    init = [sys.executable, "-m", "palabre.cli", "init"]
    subprocess.run(init, env=env, check=True, capture_output=True, timeout=60)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "palabre.cli",
        "serve",
        "--port",
        str(port),
        "--processes",
        "2",
    ]
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/signin", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("palabre serve did not start: " + (tmp_path / "serve.log").read_text())
        time.sleep(1)  # both processes up, not just the first one
        yield proc, port, env
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def test_keep_alive_connections_are_spread_over_both_processes(
    serving: tuple[subprocess.Popen[bytes], int, dict[str, str]],
) -> None:
    proc, port, _ = serving
    # 16 connections opened at once (as a page's clients do), then one request on each,
    # kept alive: with one shared socket, the first process to wake up takes them all.
    conns = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(16)]
    try:
        request = f"GET /signin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        for conn in conns:
            conn.sendall(request)
        for conn in conns:
            assert conn.recv(65536).startswith(b"HTTP/1.1 200")
        connections = established_inodes(port)
        per_process = [len(socket_inodes(pid) & connections) for pid in children(proc.pid)]
        # Two web processes (and multiprocessing's resource tracker, serving nothing).
        assert sum(per_process) == 16, per_process
        assert len([n for n in per_process if n]) == 2, per_process  # all on one: p = 2**-15
    finally:
        for conn in conns:
            conn.close()


def test_sigterm_stops_every_process(
    serving: tuple[subprocess.Popen[bytes], int, dict[str, str]],
) -> None:
    proc, port, _ = serving
    kids = children(proc.pid)
    assert len(kids) >= 2
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    # The web processes are reaped by the parent; multiprocessing's resource tracker ends
    # on its own right after it: no orphan left.
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in kids if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/signin", timeout=2)


def test_a_second_server_on_the_same_port_is_refused(
    serving: tuple[subprocess.Popen[bytes], int, dict[str, str]],
) -> None:
    """SO_REUSEPORT would let it join the first one's sockets and take half its requests."""
    _, port, env = serving
    command = [
        sys.executable,
        "-m",
        "palabre.cli",
        "serve",
        "--port",
        str(port),
        "--processes",
        "2",
    ]
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 1 and "Cannot listen" in second.stderr
