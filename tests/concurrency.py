"""Run the same work in several threads released together, each on its own database
connection: how the tests show that two scans (or votes) at the same moment do the work once."""

import threading

from django.db import close_old_connections, connection


def at_once(work, n: int) -> list:
    """Call ``work()`` in ``n`` threads that start together; return their results. Any exception
    in a thread fails the caller (re-raised after all threads finish)."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def in_thread(fn):
    """``fn`` as a thread's work: its database connection closed when it is done."""

    def run(*args):
        try:
            return fn(*args)
        finally:
            close_old_connections()
            connection.close()

    return run
