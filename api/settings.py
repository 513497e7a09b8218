"""Settings from the environment, read when the app or a command starts (not at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DEFAULT_DATABASE_URL = "sqlite://var/tongxin.sqlite3"  # relative to the working directory

# Every area's models, in dependency order; tortoise reads them as one app called "models".
MODEL_MODULES = [
    "domain.geography.models",
    "domain.bodies.models",
    "domain.firms.models",
    "domain.accounts.models",
    "domain.audit.models",
    "domain.committees.models",
    "domain.deliberation.models",
    "domain.complaints.models",
    "domain.evaluation.models",
    "domain.messaging.models",
    "domain.deliberation.register_models",
    "domain.owners.models",
    "domain.notifications.models",
    "domain.attachments.models",
    "domain.disclosures.models",
]


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    # Query depth, alias and token limits are part of the schema (schema/root.py); the body limit is HTTP's.
    max_body_bytes: int = 1_000_000
    graphiql: bool = True
    # legal: the operator's directory of statutory holiday files (<year>.toml, see domain/workdays.py)
    holidays_dir: str | None = None
    # Operations (issue 14): browser origins allowed by CORS; JSON or text logs; OTLP endpoint for traces (off).
    cors_origins: tuple[str, ...] = ()
    log_format: str = "json"
    log_level: str = "INFO"
    otlp_endpoint: str | None = None
    # messaging (issue 13): channels, retries, quiet hours, the in-server dispatcher
    sms_gateway_url: str | None = None
    sms_gateway_token: str = ""
    sms_sign_name: str = ""
    wechat_app_id: str | None = None
    wechat_app_secret: str = ""
    wechat_template_id: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    # Development: channels without an adapter (SMS, WeChat) are logged by the development sender instead.
    messaging_dev: bool = False
    outbox_dispatch_interval: float = 0.0  # seconds between in-server dispatch rounds; 0 = off (use the command)
    outbox_max_attempts: int = 5
    outbox_backoff_seconds: float = 30.0
    outbox_lease_seconds: float = 300.0
    quiet_hours: str = "22:00-08:00"  # Beijing time; "" = none
    # attachments (issue 13): the filesystem by default, an S3-compatible bucket when a bucket is named
    attachments_dir: str = "var/attachments"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_prefix: str = ""
    upload_max_bytes: int = 10 * 1024 * 1024
    # Signs download and upload links; with several workers every one needs the same value.
    file_url_secret: str = ""
    file_url_ttl_seconds: int = 600
    # trust (issue 15): wrong passwords allowed per account name / per client address, in limits' notation;
    # each further tier is a longer wait (backoff).
    login_limit_per_account: str = "10/15 minutes; 20/hour; 40/day"
    login_limit_per_address: str = "50/15 minutes; 200/day"
    # ID:SECRET[,ID:SECRET...] keying the audit chain (first signs, all verify); None: a public development key.
    audit_key: str | None = None
    # Demand control (issue 15 item 4): a request must arrive in full within request_arrival_seconds (slow loris),
    # an idle keep-alive connection closes after keep_alive_seconds, a request runs at most
    # request_timeout_seconds; websocket messages and subscriptions per connection are capped.
    request_arrival_seconds: float = 10.0
    keep_alive_seconds: int = 5
    request_timeout_seconds: float = 30.0
    max_websocket_message_bytes: int = 1_000_000
    max_subscriptions_per_connection: int = 20
    # Static cost (nodes) and selections per document; introspection open | staff | off; "Did you mean" suggestions.
    max_cost: int = 50_000
    max_selections: int = 1_000
    introspection: str = "open"
    suggestions: bool = True
    # perf (issue 11): compilable reads answered from one SQL statement, and their response cache.
    compiled_reads: bool = True
    # On for servers (from_env); off where tests build Settings directly and write rows without audit events.
    response_cache: bool = False
    # Compiled reads on SQLite: threads each with its own read connection (api.compiled.sqlite_readers); 0: tortoise's.
    sqlite_readers: int = 4
    # The HTTP parser and event loop of uvicorn (api.server): httptools (C) | h11 (Python); auto (uvloop) | asyncio.
    http: str = "httptools"
    loop: str = "auto"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("TONGXIN_DATABASE_URL", DEFAULT_DATABASE_URL),
            redis_url=env.get("TONGXIN_REDIS_URL") or None,
            graphiql=env.get("TONGXIN_GRAPHIQL", "1") != "0",
            holidays_dir=env.get("TONGXIN_HOLIDAYS_DIR") or None,
            cors_origins=tuple(o.strip().rstrip("/") for o in env.get("TONGXIN_CORS_ORIGINS", "").split(",")
                               if o.strip()),
            log_format=env.get("TONGXIN_LOG_FORMAT", "json"),
            log_level=env.get("TONGXIN_LOG_LEVEL", "INFO"),
            otlp_endpoint=env.get("TONGXIN_OTLP_ENDPOINT") or None,
            sms_gateway_url=env.get("TONGXIN_SMS_GATEWAY_URL") or None,
            sms_gateway_token=env.get("TONGXIN_SMS_GATEWAY_TOKEN", ""),
            sms_sign_name=env.get("TONGXIN_SMS_SIGN_NAME", ""),
            wechat_app_id=env.get("TONGXIN_WECHAT_APP_ID") or None,
            wechat_app_secret=env.get("TONGXIN_WECHAT_APP_SECRET", ""),
            wechat_template_id=env.get("TONGXIN_WECHAT_TEMPLATE_ID", ""),
            wechat_api_base=env.get("TONGXIN_WECHAT_API_BASE", "https://api.weixin.qq.com"),
            messaging_dev=env.get("TONGXIN_MESSAGING_DEV", "0") == "1",
            outbox_dispatch_interval=float(env.get("TONGXIN_OUTBOX_DISPATCH_INTERVAL", "0")),
            outbox_max_attempts=int(env.get("TONGXIN_OUTBOX_MAX_ATTEMPTS", "5")),
            outbox_backoff_seconds=float(env.get("TONGXIN_OUTBOX_BACKOFF_SECONDS", "30")),
            outbox_lease_seconds=float(env.get("TONGXIN_OUTBOX_LEASE_SECONDS", "300")),
            quiet_hours=env.get("TONGXIN_QUIET_HOURS", "22:00-08:00"),
            attachments_dir=env.get("TONGXIN_ATTACHMENTS_DIR", "var/attachments"),
            s3_bucket=env.get("TONGXIN_S3_BUCKET") or None,
            s3_endpoint_url=env.get("TONGXIN_S3_ENDPOINT_URL") or None,
            s3_region=env.get("TONGXIN_S3_REGION", "us-east-1"),
            s3_access_key=env.get("TONGXIN_S3_ACCESS_KEY") or None,
            s3_secret_key=env.get("TONGXIN_S3_SECRET_KEY") or None,
            s3_prefix=env.get("TONGXIN_S3_PREFIX", ""),
            upload_max_bytes=int(env.get("TONGXIN_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
            file_url_secret=env.get("TONGXIN_FILE_URL_SECRET", ""),
            file_url_ttl_seconds=int(env.get("TONGXIN_FILE_URL_TTL_SECONDS", "600")),
            login_limit_per_account=env.get("TONGXIN_LOGIN_LIMIT_PER_ACCOUNT", "10/15 minutes; 20/hour; 40/day"),
            login_limit_per_address=env.get("TONGXIN_LOGIN_LIMIT_PER_ADDRESS", "50/15 minutes; 200/day"),
            audit_key=env.get("TONGXIN_AUDIT_KEY") or None,
            request_arrival_seconds=float(env.get("TONGXIN_REQUEST_ARRIVAL_SECONDS", "10")),
            keep_alive_seconds=int(env.get("TONGXIN_KEEP_ALIVE_SECONDS", "5")),
            request_timeout_seconds=float(env.get("TONGXIN_REQUEST_TIMEOUT_SECONDS", "30")),
            max_websocket_message_bytes=int(env.get("TONGXIN_MAX_WEBSOCKET_MESSAGE_BYTES", "1000000")),
            max_subscriptions_per_connection=int(env.get("TONGXIN_MAX_SUBSCRIPTIONS_PER_CONNECTION", "20")),
            max_cost=int(env.get("TONGXIN_MAX_COST", "50000")),
            max_selections=int(env.get("TONGXIN_MAX_SELECTIONS", "1000")),
            introspection=env.get("TONGXIN_INTROSPECTION", "open"),
            suggestions=env.get("TONGXIN_SUGGESTIONS", "1") != "0",
            compiled_reads=env.get("TONGXIN_COMPILED_READS", "1") != "0",
            response_cache=env.get("TONGXIN_RESPONSE_CACHE", "1") != "0",
            sqlite_readers=int(env.get("TONGXIN_SQLITE_READERS", "4")),
            http=env.get("TONGXIN_HTTP", "httptools"),
            loop=env.get("TONGXIN_LOOP", "auto"),
        )


def connection_config(url: str) -> dict[str, Any]:
    """A tortoise connection for a sqlite:/// file or a postgres:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///abs/path and sqlite:////abs/path are absolute; sqlite://relative/path is relative.
        path = url.split("sqlite://", 1)[1].split("?", 1)[0]
        while path.startswith("//"):
            path = path[1:]
        if path != ":memory:":
            directory = os.path.dirname(path)
            if directory:
                os.makedirs(directory, exist_ok=True)
        return {
            # Our backend starts write transactions IMMEDIATE and waits on a busy database (stack notes).
            "engine": "api.sqlite_backend",
            "credentials": {"file_path": path, "journal_mode": "WAL", "busy_timeout": 10000,
                            "synchronous": "NORMAL", "foreign_keys": "ON"},
        }
    if parts.scheme in ("postgres", "postgresql", "asyncpg"):
        query = dict(parse_qsl(parts.query))
        return {
            "engine": "api.postgres_backend",
            "credentials": {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": parts.username or "postgres",
                "password": parts.password or "",
                "database": parts.path.lstrip("/") or "postgres",
                "minsize": int(query.get("minsize", 2)),
                "maxsize": int(query.get("maxsize", 20)),
            },
        }
    raise ValueError(f"TONGXIN_DATABASE_URL must be sqlite:///FILE or postgres://..., got {url!r}")


def tortoise_config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(url)},
        "apps": {
            "models": {"models": MODEL_MODULES, "default_connection": "default", "migrations": "migrations"}
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the `tortoise` command line ([tool.tortoise] in pyproject.toml).
TORTOISE_ORM = tortoise_config(os.environ.get("TONGXIN_DATABASE_URL", DEFAULT_DATABASE_URL))
