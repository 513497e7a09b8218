"""An operator's view: errors always as GraphQL JSON, CORS by allow-list, JSON request logs, refusals without
tracebacks and faults with a request id, Prometheus /metrics, OpenTelemetry spans (in-memory exporter)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.observability import JsonFormatter, set_outbox_depth
from api.settings import Settings
from domain.accounts.rules import Role
from tests.conftest import make_token


async def _client(settings: Settings, **kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False, **kwargs)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http


def _is_graphql_error_json(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    error = response.json()["errors"][0]
    assert error["message"]
    assert error["extensions"]["code"] == code


async def test_every_http_refusal_is_graphql_json_not_text(client, db):
    bad_json = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    no_query = await client.post("/graphql", json={"variables": {}})
    bad_token = await client.post("/graphql", json={"query": "{ viewer { id } }"},
                                  headers={"Authorization": "Bearer not-a-token"})
    put = await client.put("/graphql", json={"query": "{ viewer { id } }"})
    too_large = await client.post("/graphql", content=b"x" * 1_000_001, headers={"content-type": "application/json"})
    unknown = await client.get("/nowhere")

    _is_graphql_error_json(bad_json, 400, "BAD_REQUEST")
    _is_graphql_error_json(no_query, 400, "BAD_REQUEST")
    _is_graphql_error_json(bad_token, 401, "UNAUTHENTICATED")
    assert bad_token.headers["www-authenticate"] == "Bearer"
    _is_graphql_error_json(put, 405, "METHOD_NOT_ALLOWED")
    _is_graphql_error_json(too_large, 413, "PAYLOAD_TOO_LARGE")
    _is_graphql_error_json(unknown, 404, "NOT_FOUND")


async def test_a_streamed_body_over_the_limit_is_413_json(client, db):
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(11):
            yield b"x" * 100_000

    response = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})

    _is_graphql_error_json(response, 413, "PAYLOAD_TOO_LARGE")


PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


async def test_cors_answers_the_preflight_of_an_allowed_origin_only(db):
    settings = Settings(database_url="unused", redis_url=None, cors_origins=("https://app.example.cn",))
    async for http in _client(settings):
        allowed = await http.options("/graphql", headers={"Origin": "https://app.example.cn", **PREFLIGHT})
        other = await http.options("/graphql", headers={"Origin": "https://evil.example", **PREFLIGHT})
        actual = await http.post("/graphql", json={"query": "{ rulePacks { name } }"},
                                 headers={"Origin": "https://app.example.cn"})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.cn"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    assert actual.headers["access-control-allow-origin"] == "https://app.example.cn"
    assert actual.headers["access-control-expose-headers"].lower() == "x-request-id"


async def test_cors_with_a_wildcard_never_allows_credentials(db):
    settings = Settings(database_url="unused", redis_url=None, cors_origins=("*",))
    async for http in _client(settings):
        preflight = await http.options("/graphql", headers={"Origin": "https://any.example", **PREFLIGHT})

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://any.example")
    assert "access-control-allow-credentials" not in preflight.headers


async def test_without_origins_there_is_no_cors_and_the_preflight_is_json(client, db):
    response = await client.options("/graphql", headers={"Origin": "https://app.example.cn", **PREFLIGHT})

    assert "access-control-allow-origin" not in response.headers
    _is_graphql_error_json(response, 405, "METHOD_NOT_ALLOWED")


def test_cors_origins_come_from_the_environment():
    settings = Settings.from_env({"TONGXIN_CORS_ORIGINS": "https://a.example.cn, https://b.example.cn/"})

    assert settings.cors_origins == ("https://a.example.cn", "https://b.example.cn")
    assert Settings.from_env({}).cors_origins == ()


class _Lines(logging.Handler):
    """Formats every record as production does (JsonFormatter) and keeps the parsed lines."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines() -> Any:
    handler = _Lines()
    loggers = [logging.getLogger(name) for name in ("tongxin.request", "strawberry.execution")]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)
    yield handler.lines
    for lg, (level, _) in zip(loggers, saved, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


async def test_each_request_is_one_json_line_with_id_operation_viewer_duration_statements_outcome(
        client, db, log_lines):
    token = await make_token(Role.CENTRE_STAFF, username="staff-one")
    response = await client.post("/graphql", json={
        "query": "query WhoAmI { viewer { username } } query Other { rulePacks { name } }",
        "operationName": "WhoAmI"}, headers={"Authorization": f"Bearer {token}", "X-Request-ID": "support-42"})

    assert response.status_code == 200 and response.headers["x-request-id"] == "support-42"
    [line] = [entry for entry in log_lines if entry["message"] == "request"]
    assert line["request_id"] == "support-42"
    assert line["operation"] == "WhoAmI"
    assert line["roles"] == "CENTRE_STAFF" and isinstance(line["viewer_id"], int)
    assert line["status"] == 200 and line["outcome"] == "ok"
    assert line["sql_statements"] >= 1  # the token lookup at least
    assert line["duration_ms"] >= 0


async def test_a_refusal_is_one_line_without_a_traceback(client, db, log_lines):
    response = await client.post("/graphql", json={"query": "query People { persons { totalCount } }"})

    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = [entry for entry in log_lines if entry["logger"] == "strawberry.execution"]
    assert len(refused) == 1
    assert refused[0]["message"] == "refused" and refused[0]["code"] == "FORBIDDEN"
    assert refused[0]["level"] == "info" and "traceback" not in refused[0]
    [request] = [entry for entry in log_lines if entry["message"] == "request"]
    assert request["outcome"] == "refused" and request["codes"] == ["FORBIDDEN"]
    assert refused[0]["request_id"] == request["request_id"]


def _patch_rule_pack_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Injects a fault into the `rulePack` resolver (wherever the schema refactor puts it)."""
    from schema.root import schema

    query = schema.get_type_by_name("Query")
    [field] = [f for f in query.fields if f.python_name == "rule_pack"]  # type: ignore[union-attr]
    resolver_globals = field.base_resolver.wrapped_func.__globals__  # type: ignore[union-attr]

    def boom(name: str) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(resolver_globals, "rule_pack", boom)


async def test_a_fault_keeps_its_traceback_and_the_masked_error_carries_the_request_id(
        client, db, log_lines, monkeypatch):
    _patch_rule_pack_lookup(monkeypatch)

    response = await client.post("/graphql", json={"query": 'query Pack { rulePack(name: "national") { name } }'})

    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error."
    request_id = error["extensions"]["requestId"]
    assert request_id == response.headers["x-request-id"]
    [fault] = [entry for entry in log_lines if entry["logger"] == "strawberry.execution"]
    assert fault["level"] == "error" and fault["message"] == "fault"
    assert fault["request_id"] == request_id
    assert "RuntimeError: disk on fire" in fault["traceback"]
    [request] = [entry for entry in log_lines if entry["message"] == "request"]
    assert request["outcome"] == "fault"


async def test_metrics_count_requests_latency_errors_and_expose_the_pool_and_outbox(client, db):
    await client.post("/graphql", json={"query": "query Packs { rulePacks { name } }"})
    await client.post("/graphql", json={"query": "query People { persons { totalCount } }"})
    set_outbox_depth(7)

    response = await client.get("/metrics")

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'tongxin_requests_total{operation="Packs",outcome="ok"}' in text
    assert 'tongxin_request_duration_seconds_bucket{le="0.005",operation="Packs"}' in text
    assert 'tongxin_errors_total{code="FORBIDDEN"}' in text
    assert "tongxin_db_pool_size" in text and "tongxin_websocket_connections" in text
    assert "tongxin_outbox_depth 7.0" in text


async def test_tracing_exports_the_request_and_graphql_spans(db):
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    settings = Settings(database_url="unused", redis_url=None)
    async for http in _client(settings, tracer_provider=provider):
        response = await http.post("/graphql", json={"query": "query Packs { rulePacks { name } }"})
    assert response.status_code == 200

    names = [span.name for span in exporter.get_finished_spans()]
    assert any(name.startswith("POST /graphql") for name in names), names
    assert "GraphQL Query" in names or any("Packs" in name for name in names), names
    server = [s for s in exporter.get_finished_spans() if s.name == "POST /graphql"]
    assert server and server[0].attributes.get("tongxin.request_id") == response.headers["x-request-id"]

    # An app built without tracing takes the extension back out of the shared schema.
    async for http in _client(settings):
        exporter.clear()
        await http.post("/graphql", json={"query": "{ rulePacks { name } }"})
    assert exporter.get_finished_spans() == ()


def test_tracing_is_off_unless_an_otlp_endpoint_is_set():
    from api.tracing import provider_for

    assert provider_for(Settings(database_url="unused", redis_url=None)) is None
    configured = Settings.from_env({"TONGXIN_OTLP_ENDPOINT": "http://127.0.0.1:4318/v1/traces"})
    assert provider_for(configured) is not None
