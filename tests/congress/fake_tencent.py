"""A local stand-in of Tencent Cloud's SMS API (the v3 JSON API the official SDK speaks), so
the Tencent provider is tested through the real SDK request path, never the internet.

It answers SendSms (one SerialNo per accepted message; ``down`` makes it answer HTTP 503,
``reject`` an error code per number) and PullSmsSendStatus (a receipt per accepted message,
each handed out once, as Tencent does). It records every request it received."""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeTencent:
    def __init__(self):
        self.requests: list[dict] = []  # (action, body, headers) of every request
        self.accepted: list[dict] = []  # one per message accepted
        self.down = False
        self.reject: dict[str, tuple[str, str]] = {}  # phone -> (code, message)
        self.undelivered: dict[str, str] = {}  # phone -> the receipt's description
        # The n-th SendSms request (1-based) is held unanswered until ``release`` is set, then
        # refused: a request in flight when its worker is killed, never accepted.
        self.hang_on: int | None = None
        self.hanging = threading.Event()
        self.release = threading.Event()
        self._receipts: list[dict] = []
        self._serial = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                action = self.headers.get("X-TC-Action", "")
                with fake._lock:
                    fake.requests.append({"action": action, "body": body, "headers": dict(self.headers)})
                    sends = sum(1 for r in fake.requests if r["action"] == "SendSms")
                    hang = action == "SendSms" and sends == fake.hang_on
                if hang:
                    fake.hanging.set()
                    fake.release.wait(timeout=60)
                    self.send_response(503)
                    self.end_headers()
                    return
                with fake._lock:
                    if fake.down:
                        self.send_response(503)
                        self.end_headers()
                        return
                    answer = fake._answer(action, body)
                data = json.dumps({"Response": {**answer, "RequestId": "fake"}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _answer(self, action: str, body: dict) -> dict:
        if action == "SendSms":
            statuses = []
            for number in body["PhoneNumberSet"]:
                phone = number.removeprefix("+86")
                if phone in self.reject:
                    code, message = self.reject[phone]
                    statuses.append({"SerialNo": "", "PhoneNumber": number, "Code": code, "Message": message})
                    continue
                serial = f"2645:{next(self._serial):012d}"
                self.accepted.append({"serial": serial, "phone": phone, **body})
                ok = phone not in self.undelivered
                self._receipts.append(
                    {
                        "SerialNo": serial,
                        "PhoneNumber": number,
                        "SubscriberNumber": phone,
                        "CountryCode": "86",
                        "ReportStatus": "SUCCESS" if ok else "FAIL",
                        "Description": "用户短信接收成功" if ok else self.undelivered[phone],
                        "SessionContext": body.get("SessionContext", ""),
                        "UserReceiveTime": "2026-12-03 10:00:00",
                    }
                )
                statuses.append(
                    {
                        "SerialNo": serial,
                        "PhoneNumber": number,
                        "Fee": 1,
                        "SessionContext": body.get("SessionContext", ""),
                        "Code": "Ok",
                        "Message": "send success",
                        "IsoCode": "CN",
                    }
                )
            return {"SendStatusSet": statuses}
        if action == "PullSmsSendStatus":
            receipts, self._receipts = self._receipts[: body["Limit"]], self._receipts[body["Limit"] :]
            return {"PullSmsSendStatusSet": receipts}
        return {"Error": {"Code": "InvalidAction", "Message": action}}

    def url(self, **query) -> str:
        params = {"sdk_app_id": "1400787878", "sign": "清河县人大常委会", "template": "1860001", "scheme": "http"}
        params.update(query)
        from urllib.parse import urlencode

        return f"tencent://AKIDfake:secretfake@127.0.0.1:{self.port}?{urlencode(params)}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
