"""`palabre serve --processes N`: N web processes, each accepting on its own socket.

uvicorn's own ``workers=N`` has its processes share one listening socket, and the kernel
then hands most keep-alive connections to whichever process is already awake. Here the
parent binds N sockets to the same address with ``SO_REUSEPORT`` (Linux spreads new
connections over them by hash) and gives one to each child. The parent keeps the sockets,
so a child that dies is restarted on the same socket without losing the connections
queued meanwhile; a child that dies during its start (a configuration error, say) stops
everything instead of restarting in a loop. SIGINT and SIGTERM to the parent are passed
on to the children as SIGTERM (uvicorn's graceful shutdown), then the parent exits.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

log = logging.getLogger("palabre.serving")

APP = "palabre.core.web:app_from_environment"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STARTUP_GRACE = 10.0  # seconds: a child ending sooner failed to start, it is not restarted
STOP_TIMEOUT = 30.0  # seconds a child has to finish its requests before it is killed
PR_SET_PDEATHSIG = 1


def reuseport_available() -> bool:
    """Whether this system lets several sockets listen on one port (``SO_REUSEPORT``)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return False
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    except OSError:
        return False
    return True


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free(host: str, port: int) -> int:
    """The port (the one the system picks for 0) if nothing listens on it, else OSError:
    a second server would otherwise join the first one's SO_REUSEPORT sockets silently."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        return int(probe.getsockname()[1])


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening socket on host:port that other ``SO_REUSEPORT`` sockets can share."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send this process SIGTERM if its parent dies (even killed)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent was gone before prctl
        os.kill(os.getpid(), signal.SIGTERM)


def _child(sock: socket.socket, options: dict[str, Any], parent: int, log_level: str) -> None:
    """One web process: uvicorn serving the app on its own socket."""
    import uvicorn

    _die_with_parent(parent)
    logging.basicConfig(level=log_level, format=LOG_FORMAT)
    config = uvicorn.Config(APP, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Starts the children, restarts the ones that die, stops them all on a signal."""

    def __init__(self, sockets: list[socket.socket], options: dict[str, Any], log_level: str):
        self.sockets = sockets
        self.options = options
        self.log_level = log_level
        self.context = multiprocessing.get_context("spawn")
        self.children: list[BaseProcess | None] = [None] * len(sockets)
        self.started: list[float] = [0.0] * len(sockets)
        self.stopping = False

    def _start(self, index: int) -> None:
        args = (self.sockets[index], self.options, os.getpid(), self.log_level)
        child = self.context.Process(target=_child, args=args, name=f"palabre-web-{index}")
        child.start()
        self.children[index], self.started[index] = child, time.monotonic()
        log.info("Web process %d started [%s]", index, child.pid)

    def _signal(self, sig: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM (exit code 0) or a child fails to start (1)."""
        previous = {s: signal.signal(s, self._signal) for s in (signal.SIGINT, signal.SIGTERM)}
        code = 0
        try:
            for i in range(len(self.sockets)):
                self._start(i)
            while not self.stopping:
                alive = [c.sentinel for c in self.children if c is not None]
                wait(alive, timeout=0.5)
                if not self.stopping and not self._replace_dead():
                    code = 1
                    break
        finally:
            self._stop_all()
            for s, handler in previous.items():
                signal.signal(s, handler)
        return code

    def _replace_dead(self) -> bool:
        """Restarts the children that died; False if one died while starting."""
        for i, child in enumerate(self.children):
            if child is None or child.is_alive():
                continue
            if time.monotonic() - self.started[i] < STARTUP_GRACE:
                log.error(
                    "Web process %d [%s] ended while starting (exit code %s): stopping",
                    i,
                    child.pid,
                    child.exitcode,
                )
                return False
            log.warning(
                "Web process %d [%s] ended (exit code %s): restarting it",
                i,
                child.pid,
                child.exitcode,
            )
            self._start(i)
        return True

    def _stop_all(self) -> None:
        children = [c for c in self.children if c is not None and c.is_alive()]
        for child in children:
            if child.pid is not None:
                os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                log.warning("Web process [%s] did not stop in time: killed", child.pid)
                child.kill()
                child.join()
        for sock in self.sockets:
            sock.close()


def serve(processes: int, options: dict[str, Any], log_level: str) -> int:
    """Serve the app from ``processes`` processes, each on its own SO_REUSEPORT socket;
    with uvicorn's shared socket (and a warning) where the system lacks SO_REUSEPORT.
    ``options`` are uvicorn's (host and port included). Raises OSError if it cannot bind."""
    import uvicorn

    host, port = str(options["host"]), int(options["port"])

    if not reuseport_available():
        log.warning(
            "SO_REUSEPORT is not available: the %d processes share one socket, "
            "connections may not be spread evenly over them",
            processes,
        )
        uvicorn.run(APP, factory=True, workers=processes, **options)
        return 0
    port = free(host, port)
    sockets = [bind(host, port) for _ in range(processes)]
    log.info("Serving on http://%s:%d with %d processes (SO_REUSEPORT)", host, port, processes)
    return Supervisor(sockets, options, log_level).run()
