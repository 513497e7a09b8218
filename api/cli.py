"""`python -m api migrate | create-user | serve | seed-demo | export-schema`."""

from __future__ import annotations

import argparse
import base64
import binascii
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
        from api.server import server_options

        # Logging is ours (JSON lines, api/observability.py): uvicorn's own config would replace it.
        uvicorn.run("api.app:create_served_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                    log_level=args.log_level, log_config=None, **server_options(settings))
        return 0
    from api.app import create_served_app
    from api.server import server_config

    uvicorn.Server(server_config(create_served_app(), settings, host=args.host, port=args.port,
                                 log_level=args.log_level, log_config=None)).run()
    return 0


def _seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from api.seed import seed_demo

    from api.progress import progress_for

    async def work() -> int:
        with progress_for() as progress:
            summary = await seed_demo(scale=args.scale, seed=args.seed, progress=progress)
        print(summary)
        return 0

    return asyncio.run(_with_orm(settings, work))


def _escalate_overdue(settings: Settings) -> int:
    from api.complaint_jobs import escalate_overdue_job
    from api.vote_jobs import close_due_votes_job

    async def work() -> int:
        code = await escalate_overdue_job(settings)
        outcome = await close_due_votes_job()
        return code or (1 if outcome.skipped else 0)

    return asyncio.run(_with_orm(settings, work))


def _dispatch_outbox(settings: Settings) -> int:
    from api.messaging import dispatch_outbox_job

    async def work() -> int:
        await dispatch_outbox_job(settings)
        return 0

    return asyncio.run(_with_orm(settings, work))


def _send_reminders(settings: Settings) -> int:
    from api.messaging import send_reminders_job

    return asyncio.run(_with_orm(settings, send_reminders_job))


def _flag_missing_disclosures(settings: Settings, args: argparse.Namespace) -> int:
    from api.messaging import flag_missing_disclosures_job

    return asyncio.run(_with_orm(settings, lambda: flag_missing_disclosures_job(credit_points=args.credit_points)))


def _export_schema(args: argparse.Namespace) -> int:
    from schema.root import schema

    Path(args.output).write_text(schema.as_str() + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


def _rule_pack_table(args: argparse.Namespace) -> int:
    from api.rulepack_table import render

    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(render(), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


# The account's anchors and the GraphQL type of their global IDs.
ANCHORS = {"street-id": "Street", "community-id": "Community", "firm-id": "PropertyFirm", "person-id": "Person"}

ROLE_NOTES = {
    "CENTRE_ADMIN": "everything, manages accounts",
    "CENTRE_STAFF": "complaints, inspections, evaluation, firms",
    "STREET_STAFF": "structure, committees, meetings, complaints of their street (needs --street-id)",
    "COMMUNITY_STAFF": "the same for their community (needs --community-id)",
    "FIRM_STAFF": "their firm's orders and profile (needs --firm-id)",
    "COMMITTEE_MEMBER": "their compound's meetings and ballots (needs --person-id)",
    "OWNER": "own units, complaints, ballots (needs --person-id)",
}


def _roles_help() -> str:
    from domain.accounts.rules import Role

    lines = ["roles:"] + [f"  {role.value:<18} {ROLE_NOTES.get(role.value, '')}" for role in Role]
    lines.append("\nIDs: pass the global ID the API shows (e.g. a street's `id` from `streets`), or its number.")
    return "\n".join(lines)


def _id_of(type_name: str) -> Callable[[str], int]:
    """An argparse type: the database number behind a global ID of `type_name` (the API's base64 of
    "Type:number", schema/relay.py), or a plain number."""

    def parse(text: str) -> int:
        if text.isdigit():
            return int(text)
        try:
            found, _, number = base64.b64decode(text.encode(), validate=True).decode().partition(":")
            if found == type_name and number.isdigit():
                return int(number)
        except (binascii.Error, UnicodeDecodeError):
            pass
        raise argparse.ArgumentTypeError(f"{text!r} is not the ID of a {type_name}")

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api", description="Tongxin 同心 service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the migrations to TONGXIN_DATABASE_URL")
    user = commands.add_parser("create-user", help="create an account", epilog=_roles_help(),
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    user.add_argument("username")
    user.add_argument("--role", action="append", required=True, metavar="ROLE",
                      help="one of the roles listed below; repeat for several")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user.add_argument("--password", help="the password (prefer --password-stdin)")
    for anchor, type_name in ANCHORS.items():
        user.add_argument(f"--{anchor}", type=_id_of(type_name), default=None, metavar="ID",
                          help=f"the {type_name} the account belongs to: its global ID as the API shows it "
                               f"(or the database number)")
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
    commands.add_parser("escalate-overdue",
                        help="escalate overdue complaints one rung, close due written-consultation votes (scheduler)")
    commands.add_parser("dispatch-outbox", help="deliver every due outbox message once (for a scheduler)")
    commands.add_parser("send-reminders", help="voting reminders, orders due soon, committee deadlines (scheduler)")
    missing = commands.add_parser("flag-missing-disclosures",
                                  help="flag serving firms that missed last quarter's statements (scheduler)")
    missing.add_argument("--credit-points", default="0", help="also record a BAD credit event of these points")
    export = commands.add_parser("export-schema", help="write schema.graphql")
    export.add_argument("--output", default="schema.graphql")
    table = commands.add_parser("rule-pack-table", help="write docs/rule-packs.md from the rule packs")
    table.add_argument("--output", default="docs/rule-packs.md")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command not in ("serve", "export-schema"):  # serve: the app factory configures the keys itself
        from domain.audit import keys as audit_keys

        audit_keys.configure(settings.audit_key)
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
    if args.command == "rule-pack-table":
        return _rule_pack_table(args)
    if args.command == "dispatch-outbox":
        return _dispatch_outbox(settings)
    if args.command == "send-reminders":
        return _send_reminders(settings)
    if args.command == "flag-missing-disclosures":
        return _flag_missing_disclosures(settings, args)
    return _export_schema(args)
