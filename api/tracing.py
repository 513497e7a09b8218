"""OpenTelemetry tracing, off unless configured: TONGXIN_OTLP_ENDPOINT (e.g. http://collector:4318/v1/traces)
exports by OTLP over HTTP; a test passes its own provider (an in-memory exporter).

Spans: one per HTTP request or websocket (ASGI instrumentation), and inside it strawberry's spans for parsing,
validation and each resolver (strawberry's OpenTelemetry extension), with the request id as an attribute.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from starlette.types import ASGIApp
from strawberry.extensions.tracing import OpenTelemetryExtension

from api.settings import Settings


def provider_for(settings: Settings) -> trace.TracerProvider | None:
    if not settings.otlp_endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": "tongxin"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_endpoint)))
    return provider


def instrument(app: ASGIApp, graphql_schema: Any, provider: trace.TracerProvider) -> ASGIApp:
    """Wraps the ASGI app and adds strawberry's extension to the schema (once per schema and provider)."""
    added = getattr(graphql_schema, "_tongxin_tracing", None)
    if added is not provider:

        def extension() -> OpenTelemetryExtension:
            return OpenTelemetryExtension(tracer_provider=provider)

        # strawberry builds its extensions per operation from this tuple, so an appended factory takes effect.
        graphql_schema.extensions = tuple(e for e in graphql_schema.extensions
                                          if not getattr(e, "_tongxin_tracing", False)) + (extension,)
        extension._tongxin_tracing = True  # type: ignore[attr-defined]
        graphql_schema._tongxin_tracing = provider
    return OpenTelemetryMiddleware(app, tracer_provider=provider, excluded_urls="metrics,healthz")


def detach(graphql_schema: Any) -> None:
    """An app built without tracing removes a previous app's extension from the shared schema."""
    if getattr(graphql_schema, "_tongxin_tracing", None) is not None:
        graphql_schema.extensions = tuple(e for e in graphql_schema.extensions
                                          if not getattr(e, "_tongxin_tracing", False))
        graphql_schema._tongxin_tracing = None
