"""gunicorn's sync worker, closing a finished connection at once when nothing is left unread.

gunicorn (since 23) closes every connection "gracefully": it half-closes, then waits for the
client to close its side, reading and discarding whatever the client still sends, so that
unread request data cannot make the kernel reset the connection and cut off the last answer.
A sync worker serves one connection at a time, so that wait is a worker idle for a round trip
to the phone after every answer (or, behind a proxy, to the proxy). When the request has been
read to its end and nothing more has arrived, there is nothing to protect: the connection is
closed at once, which sends the same FIN. Anything still unread gets gunicorn's own wait.

It also formats the Date header of its answers once a second instead of once an answer, as
nginx does, and remembers whether a peer address may send forwarding headers instead of
parsing the address on every request (each was about 5 % of what gunicorn itself spends on a
small answer).

Used by the deployment and the voting bench: ``gunicorn --worker-class
congress.gunicorn_worker.SyncWorker``.
"""

import contextlib
import functools
import socket
import time

from gunicorn import util
from gunicorn.http import message
from gunicorn.workers import sync

_linger = util.close_graceful
_http_date = util.http_date
_check_allow_list = message._ip_in_allow_list


def close_promptly(sock, *args, **kwargs):
    """Close now if the client has sent nothing more; else gunicorn's graceful close."""
    try:
        unread = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        unread = b""  # nothing waiting
    except OSError:
        unread = b""  # reset or gone: nothing left to protect
    if unread:
        return _linger(sock, *args, **kwargs)
    with contextlib.suppress(OSError):
        sock.close()
    return None


def http_date(timestamp=None):
    """gunicorn's ``util.http_date``, kept for the current second when asked for "now" (the
    header names whole seconds, so it is the same text)."""
    if timestamp is not None:
        return _http_date(timestamp)
    return _http_date_of(int(time.time()))


_http_date_of = functools.lru_cache(maxsize=1)(_http_date)


def ip_in_allow_list(ip_str, allow_list, networks):
    """gunicorn's check of a peer address against an allow list of its settings (the proxies
    trusted with forwarding headers), remembered per address and list: the settings do not
    change in a worker's life."""
    return _peer_allowed(ip_str, tuple(allow_list), tuple(networks))


_peer_allowed = functools.lru_cache(maxsize=4096)(_check_allow_list)


class SyncWorker(sync.SyncWorker):
    """The sync worker with :func:`close_promptly` for its connections, :func:`http_date` for
    its Date headers and :func:`ip_in_allow_list` for its peers (in its own process)."""

    def init_process(self):
        util.close_graceful = close_promptly
        util.http_date = http_date
        message._ip_in_allow_list = ip_in_allow_list
        super().init_process()
