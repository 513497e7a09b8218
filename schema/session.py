"""Sign-in, the viewer, accounts, rule packs and the audit log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.accounts import service as accounts
from domain.accounts.models import Account
from domain.accounts.rules import Role as RoleEnum
from domain.audit.models import AuditEvent as AuditEventRow
from domain.audit.service import verify_audit_chain
from domain.rulepacks import RulePack as RulePackValue
from domain.rulepacks import rule_pack, rule_packs
from schema.context import Info
from schema.errors import UserError, UserErrors
from schema.permissions import ANYONE_SIGNED_IN, Allow, mutation
from schema.relay import Connection, PageArgs, decode_id, encode_id, paginate

Role = strawberry.enum(RoleEnum, description="角色 — account role")
ADMIN = frozenset({RoleEnum.CENTRE_ADMIN})


@strawberry.type(name="Viewer", description="当前用户 — the signed-in account")
class ViewerAccount:
    id: strawberry.ID
    username: str
    roles: list[Role]

    @classmethod
    def from_model(cls, row: Account) -> ViewerAccount:
        return cls(id=encode_id("Account", row.id), username=row.username,
                   roles=sorted(accounts.parse_roles(row.roles)))


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = None
    viewer: ViewerAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    revoked: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateAccountInput:
    username: str
    password: str
    roles: list[Role]
    street_id: strawberry.ID | None = None
    community_id: strawberry.ID | None = None
    firm_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None


@strawberry.type
class CreateAccountPayload:
    account: ViewerAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="规则包 — policy numbers of a jurisdiction, shipped as data")
class RulePack:
    name: str
    version: str
    title: str
    sources: list[str]
    owners_committee_min_size: int
    owners_committee_max_size: int
    owners_committee_max_term_years: int
    committee_notice_days: int
    assembly_notice_days: int
    committee_quorum: str = strawberry.field(description="业委会会议法定人数 — e.g. '> 1/2'")
    complaint_day_counting: str
    complaint_deadlines: list[str] = strawberry.field(description="e.g. ORDINARY=5wd (wd: working days)")
    acknowledge_hours: int
    credit_period: str
    credit_grading: str

    @classmethod
    def from_value(cls, pack: RulePackValue) -> RulePack:
        return cls(
            name=pack.name, version=pack.version, title=pack.title, sources=list(pack.sources),
            owners_committee_min_size=pack.owners_committee.min_size,
            owners_committee_max_size=pack.owners_committee.max_size,
            owners_committee_max_term_years=pack.owners_committee.max_term_years,
            committee_notice_days=pack.meetings.committee_notice_days,
            assembly_notice_days=pack.meetings.assembly_notice_days,
            committee_quorum=pack.meetings.committee_quorum.describe(),
            complaint_day_counting=pack.complaints.day_counting.value,
            complaint_deadlines=[f"{k}={v}" for k, v in pack.complaints.deadlines.items()],
            acknowledge_hours=pack.complaints.acknowledge_hours,
            credit_period=pack.credit.period, credit_grading=pack.credit.grading,
        )


@strawberry.type(description="审计事件 — one mutation in the append-only, hash-chained audit log")
class AuditEvent:
    id: strawberry.ID
    at: datetime
    actor_username: str | None
    action: str
    entity_type: str
    entity_id: str
    summary: str
    hash: str

    @classmethod
    def from_model(cls, row: AuditEventRow) -> AuditEvent:
        return cls(id=encode_id("AuditEvent", row.id), at=row.at, actor_username=row.actor_username,
                   action=row.action, entity_type=row.entity_type, entity_id=row.entity_id, summary=row.summary,
                   hash=row.hash)


@strawberry.type(description="审计链校验结果")
class AuditChainVerification:
    valid: bool
    checked: int
    first_broken_event_id: strawberry.ID | None
    head_hash: str


@strawberry.type
class Query:
    @strawberry.field(description="当前用户 — null when not signed in")
    async def viewer(self, info: Info) -> ViewerAccount | None:
        viewer = info.context.viewer
        if viewer.account_id is None:
            return None
        row = await info.context.loaders.by_id(Account).load(viewer.account_id)
        return ViewerAccount.from_model(row) if row else None

    @strawberry.field(description="规则包列表")
    def rule_packs(self) -> list[RulePack]:
        return [RulePack.from_value(p) for p in rule_packs().values()]

    @strawberry.field(description="规则包")
    def rule_pack(self, name: str) -> RulePack | None:
        pack = rule_pack(name)
        return RulePack.from_value(pack) if pack else None

    @strawberry.field(description="审计日志 — newest first", extensions=[Allow(ADMIN)])
    async def audit_events(
        self, info: Info, first: int | None = None, after: str | None = None,
    ) -> Connection[AuditEvent]:
        return await paginate(AuditEventRow.all(), PageArgs(first, after), AuditEvent.from_model, descending=True)

    @strawberry.field(description="校验审计链 — recompute every hash", extensions=[Allow(ADMIN)])
    async def verify_audit_chain(self) -> AuditChainVerification:
        check = await verify_audit_chain()
        broken = encode_id("AuditEvent", check.first_broken_event_id) if check.first_broken_event_id else None
        return AuditChainVerification(valid=check.valid, checked=check.checked, first_broken_event_id=broken,
                                      head_hash=check.head_hash)


def _optional(global_id: strawberry.ID | None, expected: str, field: str) -> int | None:
    return decode_id(global_id, expected, field) if global_id is not None else None


@strawberry.type
class Mutation:
    @strawberry.mutation(description="登录 — returns a bearer token", extensions=[UserErrors()])
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        token, account = await accounts.login(username=input.username, password=input.password,
                                              now=info.context.now)
        return LoginPayload(token=token, viewer=ViewerAccount.from_model(account))

    @mutation(ANYONE_SIGNED_IN, "退出登录 — revoke the bearer token of this request")
    async def logout(self, info: Info) -> LogoutPayload:
        token = info.context.request.headers.get("authorization", "").partition(" ")[2].strip()
        await accounts.logout(actor=info.context.viewer, token=token, now=info.context.now)
        return LogoutPayload(revoked=True)

    @mutation(ADMIN, "创建账号 — accounts are managed by the centre's administrators")
    async def create_account(self, info: Info, input: CreateAccountInput) -> CreateAccountPayload:
        draft = accounts.AccountDraft(
            username=input.username, password=input.password, roles=frozenset(input.roles),
            street_id=_optional(input.street_id, "Street", "streetId"),
            community_id=_optional(input.community_id, "Community", "communityId"),
            firm_id=_optional(input.firm_id, "PropertyFirm", "firmId"),
            person_id=_optional(input.person_id, "Person", "personId"))
        account = await accounts.create_account(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CreateAccountPayload(account=ViewerAccount.from_model(account))
