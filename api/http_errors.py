"""Every error the HTTP layer gives is GraphQL JSON, never text/plain.

GraphiQL and client libraries parse every answer as JSON; a plain-text 400/401/405/413 shows up as
"Unexpected token 'U' … is not valid JSON". Strawberry's view and starlette's routing, body limit and server
error answer in text by default; here they answer `{"errors": [{"message", "extensions": {"code", "status"}}]}`.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
         405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE",
         500: "INTERNAL_SERVER_ERROR"}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    from api.observability import current_request_id

    extensions: dict[str, Any] = {"code": CODES.get(status, "HTTP_ERROR"), "status": status}
    if status >= 500 and current_request_id():
        extensions["requestId"] = current_request_id()
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]}, status_code=status,
                        headers=all_headers)


async def starlette_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(500, "Unexpected error.")


EXCEPTION_HANDLERS: dict[Any, Any] = {StarletteHTTPException: starlette_http_error, 500: server_error}


class BodyLimit:
    """The request body limit, in JSON (starlette's own `max_body_size` answers in text): a declared
    Content-Length over the limit is refused at once; a streamed body is counted and refused when it passes it."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_size:
            response = error_response(413, f"Request body larger than {self.max_body_size} bytes")
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    # Raised inside the route: starlette's exception middleware answers it as JSON (above).
                    raise StarletteHTTPException(413, f"Request body larger than {self.max_body_size} bytes")
            return message

        await self.app(scope, counted, send)
