"""A tiny S3-compatible server on a loopback port that checks AWS Signature V4 itself (an independent
implementation of the published algorithm), stores objects in memory and answers PUT/GET/HEAD/DELETE."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit


@dataclass
class S3Server:
    access_key: str
    secret_key: str
    region: str = "us-east-1"
    url: str = ""
    objects: dict[str, bytes] = field(default_factory=dict)
    verified: int = 0
    refused: list[str] = field(default_factory=list)


def _sign(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def expected_signature(server: S3Server, method: str, path: str, query: str, headers: dict[str, str],
                       payload_hash: str) -> tuple[str, str]:
    auth = headers["authorization"]
    parts = dict(p.strip().split("=", 1) for p in auth.split(" ", 1)[1].split(","))
    credential, signed_headers = parts["Credential"], parts["SignedHeaders"]
    _, day, region, service, _ = credential.split("/")
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
                               for k, v in sorted(parse_qsl(query, keep_blank_values=True)))
    canonical_headers = "".join(f"{h}:{' '.join(headers[h].split())}\n" for h in signed_headers.split(";"))
    canonical = "\n".join([method, quote(path, safe="/-_.~%"), canonical_query, canonical_headers, signed_headers,
                           payload_hash])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", headers["x-amz-date"], scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = _sign(_sign(_sign(_sign(f"AWS4{server.secret_key}".encode(), day), region), service), "aws4_request")
    return parts["Signature"], hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


@contextmanager
def s3_server(access_key: str = "AKIDEXAMPLE", secret_key: str = "wJalrXUtnFEMI/K7MDENG") -> Iterator[S3Server]:
    server_state = S3Server(access_key, secret_key)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

        def _answer(self, status: int, body: bytes = b"", content_type: str = "application/xml") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"' + hashlib.md5(body).hexdigest() + '"')  # noqa: S324 (S3's ETag)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _checked(self) -> bytes | None:
            length = int(self.headers.get("Content-Length", 0) or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            split = urlsplit(self.path)
            payload_hash = headers.get("x-amz-content-sha256", "")
            if payload_hash != "UNSIGNED-PAYLOAD" and payload_hash != hashlib.sha256(body).hexdigest():
                server_state.refused.append(f"payload hash {payload_hash}")
                self._answer(400, b"<Error><Code>XAmzContentSHA256Mismatch</Code></Error>")
                return None
            try:
                given, expected = expected_signature(server_state, self.command, split.path, split.query, headers,
                                                     payload_hash)
            except (KeyError, ValueError) as exc:
                server_state.refused.append(f"unsigned: {exc}")
                self._answer(403, b"<Error><Code>AccessDenied</Code></Error>")
                return None
            if not headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={server_state.access_key}/") \
                    or not hmac.compare_digest(given, expected):
                server_state.refused.append("signature mismatch")
                self._answer(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
                return None
            server_state.verified += 1
            return body

        def do_PUT(self) -> None:  # noqa: N802
            body = self._checked()
            if body is not None:
                server_state.objects[urlsplit(self.path).path] = body
                self._answer(200)

        def do_GET(self) -> None:  # noqa: N802
            if self._checked() is None:
                return
            data = server_state.objects.get(urlsplit(self.path).path)
            if data is None:
                self._answer(404, b"<Error><Code>NoSuchKey</Code></Error>")
            else:
                self._answer(200, data, "application/octet-stream")

        def do_HEAD(self) -> None:  # noqa: N802
            if self._checked() is None:
                return
            self._answer(200 if urlsplit(self.path).path in server_state.objects else 404)

        def do_DELETE(self) -> None:  # noqa: N802
            if self._checked() is None:
                return
            server_state.objects.pop(urlsplit(self.path).path, None)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.url = f"http://127.0.0.1:{http.server_address[1]}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        http.shutdown()
        http.server_close()
