"""`python -m api migrate | create-user | serve | seed-demo | export-schema`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from tortoise import Tortoise

from api.settings import Settings, tortoise_config


async def _migrate(settings: Settings) -> None:
    from tortoise.migrations.api.migrate import migrate

    from domain.audit.service import ensure_chain_head

    config = tortoise_config(settings.database_url)
    try:
        await migrate(config=config)
        # The programmatic migrate initialises without connections (stack notes): reconnect before using models.
        await Tortoise.close_connections()
        await Tortoise.init(config=config)
        await ensure_chain_head()
    finally:
        await Tortoise.close_connections()


async def _with_orm(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    from domain.accounts.rules import Role, Viewer
    from domain.accounts.service import AccountDraft, create_account
    from domain.errors import RuleViolation

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else args.password
    if not password:
        print("a password is required: --password-stdin (recommended) or --password", file=sys.stderr)
        return 2
    try:
        roles = frozenset(Role(r) for r in args.role)
    except ValueError as exc:
        print(f"unknown role: {exc}", file=sys.stderr)
        return 2

    async def work() -> int:
        draft = AccountDraft(username=args.username, password=password, roles=roles, street_id=args.street_id,
                             community_id=args.community_id, firm_id=args.firm_id, person_id=args.person_id)
        system = Viewer(account_id=None, username="cli", roles=frozenset({Role.CENTRE_ADMIN}))
        try:
            account = await create_account(actor=system, draft=draft, now=datetime.now(UTC))
        except RuleViolation as violation:
            print(f"{violation.code}: {violation.message_en}", file=sys.stderr)
            return 1
        print(f"created {account.username} ({account.roles})")
        return 0

    return asyncio.run(_with_orm(settings, work))


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1:
        if not settings.redis_url:
            print("warning: with several workers, live subscriptions need TONGXIN_REDIS_URL", file=sys.stderr)
        # Each worker process builds its own app from the same environment.
        if args.balance == "reuseport":
            from api.workers import serve_reuse_port

            serve_reuse_port(host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
            return 0
        uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                    log_level=args.log_level)
        return 0
    from api.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from api.seed import seed_demo

    async def work() -> int:
        summary = await seed_demo(scale=args.scale, seed=args.seed)
        print(summary)
        return 0

    return asyncio.run(_with_orm(settings, work))


def _escalate_overdue(settings: Settings) -> int:
    from api.complaint_jobs import escalate_overdue_job

    return asyncio.run(_with_orm(settings, lambda: escalate_overdue_job(settings)))


def _export_schema(args: argparse.Namespace) -> int:
    from schema.root import schema

    Path(args.output).write_text(schema.as_str() + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api", description="Tongxin 同心 service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the migrations to TONGXIN_DATABASE_URL")
    user = commands.add_parser("create-user", help="create an account")
    user.add_argument("username")
    user.add_argument("--role", action="append", required=True, help="a Role; repeat for several")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.add_argument("--password", help="the password (prefer --password-stdin)")
    for anchor in ("street-id", "community-id", "firm-id", "person-id"):
        user.add_argument(f"--{anchor}", type=int, default=None, help="database id of the account's anchor")
    serve = commands.add_parser("serve", help="serve GraphQL at /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (use Redis for live events)")
    serve.add_argument("--balance", choices=("reuseport", "shared"), default="reuseport",
                       help="several workers: a SO_REUSEPORT socket each (default) or uvicorn's one shared socket")
    seed = commands.add_parser("seed-demo", help="load a deterministic demo data set (zh_CN)")
    seed.add_argument("--scale", type=int, default=1, help="1: a district (40 compounds); N: N x 40 compounds and N x 12,000 units (25: city-sized)")
    seed.add_argument("--seed", type=int, default=20261121)
    commands.add_parser("escalate-overdue", help="escalate every overdue complaint one rung (for a scheduler)")
    export = commands.add_parser("export-schema", help="write schema.graphql")
    export.add_argument("--output", default="schema.graphql")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        print(f"migrated {settings.database_url}")
        return 0
    if args.command == "create-user":
        return _create_user(settings, args)
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "seed-demo":
        return _seed_demo(settings, args)
    if args.command == "escalate-overdue":
        return _escalate_overdue(settings)
    return _export_schema(args)
