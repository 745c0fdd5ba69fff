"""The web worker closes a finished connection at once, unless the client left data unread."""

import socket

from congress import gunicorn_worker


def test_a_connection_read_to_its_end_is_closed_at_once():
    server, phone = socket.socketpair()
    try:
        phone.sendall(b"POST /m/polls/1/ HTTP/1.1\r\n\r\n")
        server.recv(4096)  # the whole request read
        server.sendall(b"HTTP/1.1 302 Found\r\nConnection: close\r\n\r\n")
        gunicorn_worker.close_promptly(server)
        assert server.fileno() == -1
        phone.settimeout(1)
        assert phone.recv(4096).startswith(b"HTTP/1.1 302")  # the answer arrives whole
        assert phone.recv(4096) == b""  # then the end of the connection
    finally:
        phone.close()


def test_unread_data_gets_gunicorns_graceful_close(monkeypatch):
    lingered = []
    monkeypatch.setattr(gunicorn_worker, "_linger", lambda sock, *a, **k: lingered.append(sock) or sock.close())
    server, phone = socket.socketpair()
    try:
        phone.sendall(b"GET / HTTP/1.1\r\n\r\nGET /again HTTP/1.1\r\n\r\n")  # more than was read
        server.recv(18)
        gunicorn_worker.close_promptly(server)
        assert lingered == [server]
    finally:
        phone.close()


def test_the_worker_uses_it_in_its_own_process(monkeypatch):
    from gunicorn import util
    from gunicorn.http import message
    from gunicorn.workers import sync

    monkeypatch.setattr(util, "close_graceful", gunicorn_worker._linger)
    monkeypatch.setattr(util, "http_date", gunicorn_worker._http_date)
    monkeypatch.setattr(message, "_ip_in_allow_list", gunicorn_worker._check_allow_list)
    monkeypatch.setattr(sync.SyncWorker, "init_process", lambda self: None)
    gunicorn_worker.SyncWorker.init_process(object.__new__(gunicorn_worker.SyncWorker))
    assert util.close_graceful is gunicorn_worker.close_promptly
    assert util.http_date is gunicorn_worker.http_date
    assert message._ip_in_allow_list is gunicorn_worker.ip_in_allow_list


def test_the_date_header_is_gunicorns_for_the_current_second(monkeypatch):
    import time

    for now in (1_790_000_000.1, 1_790_000_000.9, 1_790_000_001.0, 1_790_000_007.5):
        monkeypatch.setattr(time, "time", lambda now=now: now)
        assert gunicorn_worker.http_date() == gunicorn_worker._http_date(now)
    assert gunicorn_worker.http_date() == "Mon, 21 Sep 2026 14:13:27 GMT"
    assert gunicorn_worker.http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"  # a given time, as gunicorn's


def test_a_peer_is_trusted_with_forwarding_headers_as_gunicorn_would_trust_it():
    import ipaddress

    lists = [["127.0.0.1", "::1"], ["10.0.0.0/8"], ["*"], []]
    peers = ["127.0.0.1", "10.1.2.3", "192.168.1.9", "::1", "not an address"]
    for _ in range(2):  # the second time from what was remembered
        for allow in lists:
            networks = [ipaddress.ip_network(a) for a in allow if a != "*"]
            for peer in peers:
                got = gunicorn_worker.ip_in_allow_list(peer, allow, networks)
                assert got == gunicorn_worker._check_allow_list(peer, allow, networks), (peer, allow)
    assert gunicorn_worker.ip_in_allow_list("10.1.2.3", ["10.0.0.0/8"], [ipaddress.ip_network("10.0.0.0/8")])
    assert not gunicorn_worker.ip_in_allow_list("192.168.1.9", ["127.0.0.1"], [ipaddress.ip_network("127.0.0.1")])
