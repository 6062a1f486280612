"""One loaded copy of the store, shared by every query worker: a process that loads it once and forks them.

The fork server is started (spawned, so it inherits nothing of the web
process) on one snapshot. It cuts itself off the network
(:mod:`kg.store.sandbox`), takes the worker memory limit, loads the snapshot
into an in-memory Oxigraph store and then only forks: each worker it forks
shares the store's pages copy-on-write (Oxigraph's data is not touched by
Python's reference counts, and the server freezes its own objects out of the
garbage collector), inherits the sandbox and the memory limit, and answers
jobs over a socket of its own (:func:`kg.store.worker.serve_jobs`). A fork
takes milliseconds, so a worker killed at its deadline is replaced at once.

The web process gets each worker's socket and a pidfd for it over the
server's control pipe (``SCM_RIGHTS``), so it can kill exactly that process
and see that it has gone, although the worker is not its child. Workers die
with their fork server (``PR_SET_PDEATHSIG``), and the server exits when the
web process closes the control pipe or dies.
"""
from __future__ import annotations

import os
import select
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kg.errors import StoreUnavailable

__all__ = ["ForkedWorker", "StoreForkServer"]

_PR_SET_PDEATHSIG = 1


@dataclass
class ForkedWorker:
    """A worker process forked by a :class:`StoreForkServer`, as the web process holds it."""

    pid: int
    conn: Connection
    pidfd: int | None  # None where the system has no pidfds (then the pid is signalled)
    server: "StoreForkServer"

    def is_alive(self) -> bool:
        """Whether the process is still running."""
        if self.pidfd is not None:
            return not select.select([self.pidfd], [], [], 0)[0]  # a pidfd reads ready once its process exits
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return True

    def kill(self) -> None:
        """Kill the process (if it still runs), wait up to five seconds for it to go and close its handles."""
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
                select.select([self.pidfd], [], [], 5)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass  # it has gone already
        self.conn.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        self.server.forget(self)


class StoreForkServer:
    """The process holding the loaded store of one snapshot, and forking workers from it."""

    def __init__(self, path: str, version: str, *, memory_bytes: int, row_cap: int, result_bytes: int,
                 recycle_bytes: int, sandbox: bool, load_timeout: float) -> None:
        """Start the server and wait until it has loaded ``path``.

        Raises
        ------
        kg.errors.StoreUnavailable
            If it cannot load the snapshot within ``load_timeout`` seconds.
        """
        import multiprocessing

        self.version = version
        self.path = path
        self.live = 0  # workers forked and not yet killed
        self._lock = threading.Lock()
        context = multiprocessing.get_context("spawn")
        self._control, child = context.Pipe()
        self.process = context.Process(target=_server_main, daemon=True, name="seikg-store",
                                       args=(child, path, memory_bytes, row_cap, result_bytes, recycle_bytes, sandbox))
        self.process.start()
        child.close()
        reply = self._receive(load_timeout, "load the store")
        if reply[0] != "ready":
            self.close()
            raise StoreUnavailable(f"the store process could not load the store: {reply[-1]}")
        self.isolation: str = reply[1]
        self.isolated: bool = reply[2]

    def fork(self, timeout: float = 30.0) -> ForkedWorker:
        """A new worker, ready for jobs.

        Raises
        ------
        kg.errors.StoreUnavailable
            If the server has died or does not answer within ``timeout`` seconds.
        """
        with self._lock:
            try:
                self._control.send("fork")
            except (OSError, ValueError) as exc:
                raise StoreUnavailable("the store process has stopped") from exc
            reply = self._receive(timeout, "fork a query worker")
            if reply[0] != "forked":
                raise StoreUnavailable(f"the store process could not fork a query worker: {reply[-1]}")
            try:
                with socket.socket(fileno=os.dup(self._control.fileno())) as control:
                    _, fds, _, _ = socket.recv_fds(control, 16, 2)
            except OSError as exc:
                raise StoreUnavailable("the store process did not hand over a query worker") from exc
            self.live += 1
        return ForkedWorker(reply[1], Connection(fds[0]), fds[1] if len(fds) > 1 else None, self)

    def forget(self, worker: ForkedWorker) -> None:
        """Count ``worker`` as gone (called by :meth:`ForkedWorker.kill`)."""
        with self._lock:
            self.live -= 1

    def is_alive(self) -> bool:
        """Whether the server can still fork."""
        return self.process.is_alive()

    def close(self) -> None:
        """Stop the server; the workers it forked die with it."""
        try:
            self._control.close()
        except OSError:
            pass
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)

    def _receive(self, timeout: float, doing: str) -> tuple:
        try:
            if not self._control.poll(timeout):
                raise StoreUnavailable(f"the store process did not {doing} within {timeout:g} s")
            return self._control.recv()
        except (EOFError, OSError) as exc:
            raise StoreUnavailable(f"the store process stopped before it could {doing}") from exc


# -- inside the fork server ----------------------------------------------------------

def _server_main(control: Connection, path: str, memory_bytes: int, row_cap: int, result_bytes: int,
                 recycle_bytes: int, sandbox: bool) -> None:
    """Cut this process off the network, load the store within the memory limit, then fork on request."""
    import gc
    import resource

    from kg.store.sandbox import isolate_network
    from kg.store.snapshot import load_in_memory

    network = isolate_network() if sandbox else None
    isolation = network.describe() if network else "off (worker_sandbox is false)"
    # A dying worker must die at once: a Rust backtrace (printed when RUST_BACKTRACE is set)
    # can take seconds to symbolise and would run past the deadline.
    os.environ["RUST_BACKTRACE"] = "0"
    os.environ["RUST_LIB_BACKTRACE"] = "0"
    if memory_bytes > 0:  # inherited by every worker: the store and a query's own memory together
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        store = _load_in_a_thread(path, load_in_memory)
    except (StoreUnavailable, MemoryError) as exc:
        control.send(("error", f"cannot load the store: {exc}"))
        return
    from kg.sparql.parsed_screen import check_parsed

    check_parsed("ASK {}", form="ASK", allowed_graphs=frozenset())  # the parser built once here, for every worker
    server = os.getpid()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers: no zombies
    gc.collect()
    gc.freeze()  # the server's objects stay out of the workers' collections, so their pages stay shared
    control.send(("ready", isolation, bool(network and network.isolated)))
    while True:
        try:
            control.recv()
        except (EOFError, OSError):
            return
        try:
            ours, theirs = socket.socketpair()
            pid = os.fork()
        except OSError as exc:
            control.send(("error", str(exc)))
            continue
        if pid == 0:
            _worker_main(control, ours, theirs, store, (row_cap, result_bytes, recycle_bytes), server)
        ours.close()
        pidfd = _open_pidfd(pid)
        control.send(("forked", pid))
        with socket.socket(fileno=os.dup(control.fileno())) as raw:
            socket.send_fds(raw, [b"w"], [theirs.fileno()] + ([pidfd] if pidfd is not None else []))
        theirs.close()
        if pidfd is not None:
            os.close(pidfd)


def _load_in_a_thread(path: str, load: Callable[[str], object]) -> object:
    """``load(path)`` run in a thread of its own, so that the memory it allocates, and the garbage of the load
    freed in it, sit in that thread's malloc arena, not in the main one that the workers' queries use.

    Loaded in the main thread, the free lists of the main arena held the whole load's garbage, and a worker's
    queries took their memory from them in turn: each small query wrote to a hundred pages of the store
    process it had not written before, copying each (the worker's private memory grew by half a MiB per
    query for its first few hundred queries, and a trivial ASK took 0.17 ms instead of 0.02 ms at 1M).

    Raises
    ------
    Whatever ``load`` raises.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["store"] = load(path)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="seikg-store-load")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["store"]


def _open_pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfds here: the web process signals the pid
        return None


def _worker_main(control: Connection, ours: socket.socket, theirs: socket.socket, store: object,
                 caps: tuple[int, int, int], server: int) -> None:
    """The forked worker: die with the server, answer jobs on its own socket, never return."""
    code = 0
    try:
        control.close()
        theirs.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _die_with(server)
        from kg.store.worker import serve_jobs

        row_cap, result_bytes, recycle_bytes = caps
        serve_jobs(Connection(ours.detach()), store, row_cap=row_cap, result_bytes=result_bytes,
                   recycle_bytes=recycle_bytes)
    except BaseException:  # noqa: BLE001 - a forked child must never return into the server's loop
        code = 1
    finally:
        os._exit(code)


def _die_with(server: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker still ends when its socket closes
        pass
    if os.getppid() != server:  # the server died between the fork and the prctl
        os._exit(0)
