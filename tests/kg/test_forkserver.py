"""Issue 18: the query workers are forked from one process holding the store, and share its memory."""
from __future__ import annotations

import os
import time
from pathlib import Path

import psutil
import pytest

from kg.errors import QueryTimeout
from kg.store.embedded import ExecutorLimits, Job, QueryExecutor
from kg.store.snapshot import write_snapshot

COUNT = Job("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT", "json")
QUADS = 200_000
RECYCLE = 16 * 2**20


@pytest.fixture(scope="module")
def big_snapshot(tmp_path_factory: pytest.TempPathFactory):
    """A store large enough for its memory to stand out against a Python process's own (about 100 MiB)."""
    lines = (f'<http://example.org/s{i}> <http://example.org/p{i % 7}> "literal number {i} of the issue 18 '
             f'memory test, long enough to take room" <http://example.org/g{i % 3}> .\n' for i in range(QUADS))
    return write_snapshot("".join(lines).encode("utf-8"), tmp_path_factory.mktemp("big-stores"))


@pytest.fixture(scope="module")
def pool(big_snapshot):
    executor = QueryExecutor(big_snapshot, ExecutorLimits(workers=2, canned_workers=2, deadline=2.0,
                                                          memory_bytes=0, recycle_bytes=RECYCLE))
    yield executor
    executor.close()


def test_issue_18_workers_share_the_store_of_their_fork_server(pool) -> None:
    before = set(pool.worker_pids()["idle"])
    for lane in ("users", "users", "canned", "canned"):  # every worker reads the whole store
        assert b'"200000"' in pool.run(COUNT, lane)[1]
    pids = pool.worker_pids()
    server = psutil.Process(pids["server"])
    workers = [psutil.Process(pid) for pid in pids["idle"]]
    assert len(workers) == 4 and all(w.ppid() == server.pid for w in workers)
    store_mib = server.memory_info().rss / 2**20
    assert store_mib > 120, f"the store process holds only {store_mib:.0f} MiB: the test store is too small"
    for worker in workers:
        info = worker.memory_full_info()
        # the store's pages are mapped by the worker (its RSS) but not private to it (its USS)
        assert info.rss / 2**20 > 0.5 * store_mib
        assert info.uss / 2**20 < 0.25 * store_mib, f"a worker holds {info.uss / 2**20:.0f} MiB of its own"
    # a whole scan writes to a third of the store's pages (Oxigraph's reference counts): more than RECYCLE,
    # so the workers that ran one were replaced by fresh forks
    assert not before & set(pids["idle"])


def test_issue_18_a_killed_worker_is_replaced_by_a_fork_at_once(pool) -> None:
    before = set(pool.worker_pids()["idle"])
    with pytest.raises(QueryTimeout):
        pool.run(Job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", "SELECT", "json"))
    after = set(pool.worker_pids()["idle"])
    assert len(after) == len(before) and after != before
    gone = (before - after).pop()
    deadline = time.monotonic() + 5
    while psutil.pid_exists(gone) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not psutil.pid_exists(gone) or psutil.Process(gone).status() == psutil.STATUS_ZOMBIE
    assert b'"200000"' in pool.run(COUNT)[1]


def test_issue_18_a_dead_fork_server_is_started_again(big_snapshot) -> None:
    executor = QueryExecutor(big_snapshot, ExecutorLimits(workers=1, canned_workers=1, deadline=2.0))
    try:
        first = executor.worker_pids()["server"]
        os.kill(first, 9)
        with pytest.raises(Exception):  # its workers die with it
            executor.run(COUNT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                assert b'"200000"' in executor.run(COUNT)[1]
                break
            except Exception:  # noqa: BLE001 - still loading the new server
                time.sleep(0.2)
        else:
            pytest.fail("no new fork server came up")
        assert executor.worker_pids()["server"] not in (0, first)
    finally:
        executor.close()


def test_issue_18_closing_the_pool_leaves_no_process(big_snapshot) -> None:
    executor = QueryExecutor(big_snapshot, ExecutorLimits(workers=1, canned_workers=1))
    pids = executor.worker_pids()
    executor.close()
    for pid in [pids["server"], *pids["idle"]]:
        deadline = time.monotonic() + 5
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_issue_18_a_swap_forks_from_the_new_snapshot_and_retires_the_old_server(pool, tmp_path: Path) -> None:
    small = write_snapshot(b'<http://example.org/a> <http://example.org/b> "c" .\n', tmp_path)
    old = pool.worker_pids()["server"]
    executor = QueryExecutor(pool.snapshot, ExecutorLimits(workers=1, canned_workers=1))
    try:
        first = executor.worker_pids()["server"]
        executor.swap(small)
        assert b'"1"' in executor.run(COUNT)[1]
        deadline = time.monotonic() + 5
        while psutil.pid_exists(first) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not psutil.pid_exists(first)
    finally:
        executor.close()
    assert pool.worker_pids()["server"] == old


def test_issue_18_small_queries_leave_a_worker_s_memory_shared(big_snapshot) -> None:
    """The fork server loads the store in a thread of its own, so the load's freed memory is in that thread's
    malloc arena: a worker's queries, in the main thread, do not take their memory from the load's free
    lists and so do not copy a new page of the store process with every query (at 1M triples they did: half a MiB each)."""
    executor = QueryExecutor(big_snapshot, ExecutorLimits(workers=1, canned_workers=1, deadline=5.0,
                                                          memory_bytes=0, recycle_bytes=2**40))
    try:
        ask = Job("ASK { <http://example.org/s7> ?p ?o }", "ASK", "json")
        for lane in ("users", "users", "canned"):  # the workers of both lanes are warm
            executor.run(ask, lane)
        before = {w.pid: w.memory_full_info().uss for w in psutil.Process(executor.worker_pids()["server"]).children()}
        for _ in range(400):
            executor.run(ask)
        grown = max(psutil.Process(pid).memory_full_info().uss - uss for pid, uss in before.items())
        # loaded in the main thread: 2.8 MiB for this store (65 MiB over 200 queries at 1M triples); now 0.1
        assert grown < 2**20, f"400 small queries made {grown / 2**20:.1f} MiB of a worker's memory its own"
    finally:
        executor.close()
