"""Cutting a query worker off the network: defence in depth behind the query screen.

A query worker needs no socket once it has started: it talks to the web
process over the pipe it inherited and reads its snapshot from a file. So at
start it puts itself in a network namespace of its own (nothing but a loopback
that is down: every ``connect`` fails with "network unreachable"), and loads a
seccomp filter that refuses ``socket()`` for every family but ``AF_UNIX``.
Either layer alone stops a ``SERVICE`` that a future screen might let through;
the worker reports which layers it has, and ``/status`` shows them.

* The namespace needs ``CAP_SYS_ADMIN`` (root, as on CI) or unprivileged user
  namespaces (most Linux machines), where the worker enters a user namespace
  first.
* The seccomp filter uses libseccomp through ``pyseccomp``; it needs Linux and
  libseccomp2 (in every Debian base image).

Where neither can be had, :func:`isolate_network` says so and the service
warns at start; the parsed screen still applies.
"""
from __future__ import annotations

import ctypes
import errno
import os
import socket
from dataclasses import dataclass

__all__ = ["NetworkIsolation", "isolate_network"]

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class NetworkIsolation:
    """Which layers cut this process off the network, and why a missing one is missing."""

    namespace: bool
    seccomp: bool
    notes: tuple[str, ...] = ()

    @property
    def isolated(self) -> bool:
        """True when at least one layer is in force."""
        return self.namespace or self.seccomp

    def describe(self) -> str:
        """One line for logs and ``/status``."""
        layers = [name for name, on in (("network namespace", self.namespace), ("seccomp socket filter",
                                                                                 self.seccomp)) if on]
        text = " + ".join(layers) if layers else "none: query workers can open sockets"
        return text + (f" ({'; '.join(self.notes)})" if self.notes else "")


def isolate_network() -> NetworkIsolation:
    """Put the calling process in a network namespace of its own and forbid new non-Unix sockets.

    Call it in a fresh process before it starts threads. It never raises: a
    layer that cannot be had is reported in the result's ``notes``.

    Raises nothing.
    """
    notes: list[str] = []
    namespace = _enter_namespace(notes)
    filtered = _load_filter(notes)
    return NetworkIsolation(namespace, filtered, tuple(notes))


def _enter_namespace(notes: list[str]) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        notes.append(f"no libc: {exc}")
        return False
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    first = ctypes.get_errno()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return True
    notes.append(f"no network namespace ({os.strerror(first)}; unprivileged: {os.strerror(ctypes.get_errno())})")
    return False


def _load_filter(notes: list[str]) -> bool:
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # pyseccomp loads libseccomp at import
        notes.append(f"no seccomp: {exc}")
        return False
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.load()
    except Exception as exc:  # noqa: BLE001 - any failure of the binding means no filter; say why
        notes.append(f"no seccomp filter: {exc}")
        return False
    return True
