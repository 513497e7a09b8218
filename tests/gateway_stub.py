"""A real SMS gateway stand-in on a loopback port (a thread running http.server), for delivery tests.

It accepts POST JSON like the production gateway, answers 503 for numbers in `failing`, sleeps `delay` seconds
per request when asked (so a dispatcher can be killed mid-batch), and drops a resend whose Idempotency-Key it
has already accepted, as a real gateway with idempotency does.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Gateway:
    url: str = ""
    failing: set[str] = field(default_factory=set)
    delay: float = 0.0
    requests: list[dict] = field(default_factory=list)
    accepted: dict[str, dict] = field(default_factory=dict)  # idempotency key -> first accepted payload
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delivered_to(self, recipient: str) -> int:
        with self.lock:
            return sum(1 for payload in self.accepted.values() if payload["to"] == recipient)


@contextmanager
def sms_gateway(**options) -> Iterator[Gateway]:  # type: ignore[no-untyped-def]
    gateway = Gateway(**options)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length))
            key = self.headers.get("Idempotency-Key", "")
            with gateway.lock:
                gateway.requests.append({**payload, "key": key})
            if gateway.delay:
                time.sleep(gateway.delay)
            if payload["to"] in gateway.failing:
                self.send_response(503)
                self.end_headers()
                self.wfile.write(b"gateway busy")
                return
            with gateway.lock:
                gateway.accepted.setdefault(key, payload)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')
            except BrokenPipeError:  # the dispatcher was killed while waiting: the gateway did accept it
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
