"""Owner sign-up against the property registry, and invitation letters.

`request_verification` always writes a verification row and always answers with its id and expiry, whether or
not the registry matched (the registry cannot be probed through it); a code is sent only to the phone recorded
for the matched owner. `complete_sign_up` checks the code (digest only is stored; single use; a few wrong guesses
kill it) and creates, or re-binds, the OWNER account of that person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from domain.accounts.models import AccessToken, Account
from domain.accounts.rules import Role, Scope, Viewer, check_new_password, in_jurisdiction, new_token, token_expiry
from domain.accounts.service import parse_roles
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Compound, Ownership, Person, Unit
from domain.geography.service import not_found
from domain.owners.codes import (
    LETTER_CODE_LIFETIME,
    SMS_CODE_LIFETIME,
    CodePurpose,
    StoredCode,
    VerificationRequest,
    check_code,
    digest,
    matches,
    new_code,
    new_letter_code,
    new_verification_id,
    normalise,
)
from domain.owners.models import OwnerVerification
from domain.owners.throttle import Throttle
from domain.transaction import atomic

_hasher = PasswordHasher()
ANONYMOUS = Viewer.anonymous()


def _throttled() -> RuleViolation:
    return RuleViolation(ErrorCode.THROTTLED, "尝试次数过多，请稍后再试", None, en="Too many attempts; try later")


async def _registered_owner(request: VerificationRequest) -> Person | None:
    """The owner of a unit in the compound with this ID number, if name and recorded phone match too."""
    person = await Person.get_or_none(id_number=request.id_number)
    if person is None or not matches(request, name=person.name, id_number=person.id_number, phone=person.phone):
        return None
    owns = await Ownership.exists(person_id=person.id, unit__compound_id=request.compound_id)
    return person if owns else None


@dataclass(frozen=True)
class Verification:
    verification_id: str
    expires_at: datetime


async def request_verification(*, request: VerificationRequest, client_address: str, now: datetime,
                               throttle: Throttle) -> Verification:
    from domain.owners.delivery import send_code  # the messaging outbox (another area)

    request = normalise(request)
    if not await throttle.hit("per_phone", request.phone) or not await throttle.hit("per_address", client_address):
        raise _throttled()
    if not await Compound.exists(id=request.compound_id):
        raise not_found("小区", "compoundId")  # compounds are public: this reveals nothing about owners
    person = await _registered_owner(request)
    # Per person the throttle is silent: answering THROTTLED only for a real owner would reveal the match.
    if person is not None and not await throttle.hit("per_person", str(person.id)):
        person = None
    public_id, code = new_verification_id(), new_code()
    expires_at = now + SMS_CODE_LIFETIME
    async with atomic():
        row = await OwnerVerification.create(
            public_id=public_id, purpose=CodePurpose.SMS, compound_id=request.compound_id,
            person_id=person.id if person else None, code_hash=digest(public_id, code), expires_at=expires_at,
            wrong_guesses=0, created_at=now,
        )
        if person is not None:
            await send_code(phone=person.phone, person_id=person.id, code=code, verification_id=public_id,
                            expires_at=expires_at, now=now)
        await record_event(actor=ANONYMOUS, action="requestOwnerVerification", entity_type="OwnerVerification",
                           entity_id=row.id, summary=f"业主身份验证请求（小区 {request.compound_id}）", now=now)
    return Verification(public_id, expires_at)


@dataclass(frozen=True)
class SignUp:
    username: str
    password: str


async def complete_sign_up(*, verification_id: str, code: str, sign_up: SignUp, client_address: str,
                           now: datetime, throttle: Throttle) -> tuple[str, datetime, Account]:
    if not await throttle.hit("completions_per_address", client_address):
        raise _throttled()
    username = sign_up.username.strip()
    if not username or len(username) > 60:
        raise RuleViolation(ErrorCode.INVALID, "用户名须为1至60个字符", "username", en="username must be 1-60 chars")
    check_new_password(sign_up.password)
    row = await OwnerVerification.get_or_none(public_id=verification_id.strip())
    stored = StoredCode(row.public_id, row.code_hash, row.expires_at, row.used_at, row.wrong_guesses) if row else None
    try:
        check_code(stored, code, now=now)
    except RuleViolation as refused:
        if row is not None and refused.code is ErrorCode.INVALID_CODE and row.used_at is None:
            await OwnerVerification.filter(id=row.id).update(wrong_guesses=F("wrong_guesses") + 1)
        raise
    assert row is not None
    if row.person_id is None:
        # Nobody matched, so no code was sent: whatever was typed is as wrong as a wrong code.
        raise RuleViolation(ErrorCode.INVALID_CODE, "验证码无效", "code", en="Invalid code")
    async with atomic():
        # Single use, decided by the database: of two concurrent completions one updates the row, one does not.
        if await OwnerVerification.filter(id=row.id, used_at__isnull=True).update(used_at=now) != 1:
            raise RuleViolation(ErrorCode.INVALID_CODE, "验证码无效", "code", en="Invalid code")
        account = await _bind_account(row.person_id, username, sign_up.password, now)
        token, token_digest = new_token()
        expires_at = token_expiry(now)
        await AccessToken.create(account_id=account.id, token_hash=token_digest, created_at=now, expires_at=expires_at)
        await record_event(actor=Viewer(account.id, account.username, frozenset({Role.OWNER}),
                                        person_id=row.person_id),
                           action="completeOwnerSignUp", entity_type="Account", entity_id=account.id,
                           summary=f"业主 {row.person_id} 经{'短信' if row.purpose is CodePurpose.SMS else '邀请函'}"
                                   f"验证注册账号 {account.username}", now=now)
    return token, expires_at, account


async def _bind_account(person_id: int, username: str, password: str, now: datetime) -> Account:
    """The person's OWNER account gets the new login (a lost phone or password re-binds it); otherwise a new one."""
    taken = await Account.get_or_none(username=username)
    existing = [a for a in await Account.filter(person_id=person_id) if Role.OWNER in parse_roles(a.roles)]
    mine = existing[0] if existing else None
    if taken is not None and (mine is None or taken.id != mine.id):
        raise RuleViolation(ErrorCode.DUPLICATE, "用户名已存在", "username", en="Username taken")
    password_hash = _hasher.hash(password)
    if mine is not None:
        await Account.filter(id=mine.id).update(username=username, password_hash=password_hash, is_active=True)
        # The old login's tokens die with it: whoever held the lost phone is signed out.
        await AccessToken.filter(account_id=mine.id, revoked_at__isnull=True).update(revoked_at=now)
        return await Account.get(id=mine.id)
    try:
        return await Account.create(username=username, password_hash=password_hash, roles=Role.OWNER.value,
                                    person_id=person_id, created_at=now)
    except IntegrityError:
        raise RuleViolation(ErrorCode.DUPLICATE, "用户名已存在", "username", en="Username taken") from None


@dataclass(frozen=True)
class Invitation:
    person: Person
    units: str
    verification_id: str
    code: str
    expires_at: datetime


async def issue_owner_invitations(*, actor: Viewer, compound_id: int, now: datetime) -> list[Invitation]:
    """One letter per registered owner of the compound with a one-time code (owners whose phone is not on record
    sign up with it); the codes are shown once, for printing, and stored only as digests."""
    compound = await Compound.get_or_none(id=compound_id)
    if compound is None:
        raise not_found("小区", "compoundId")
    scope = Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
    if not in_jurisdiction(actor, scope):
        raise RuleViolation(ErrorCode.FORBIDDEN, "无权为此小区发放邀请函", "compoundId", en="Not your compound")
    rows = await Ownership.filter(unit__compound_id=compound_id).order_by("person_id", "unit_id").values_list(
        "person_id", "unit_id")
    units: dict[int, list[int]] = {}
    for person_id, unit_id in rows:
        units.setdefault(person_id, []).append(unit_id)
    people = {p.id: p for p in await Person.filter(id__in=list(units))}
    labels = {u["id"]: f"{u['building']}号楼{u['entrance'] + '单元' if u['entrance'] else ''}{u['number']}"
              for u in await Unit.filter(compound_id=compound_id).values("id", "building", "entrance", "number")}
    invitations = []
    async with atomic():
        for person_id, unit_ids in units.items():
            public_id, code = "L" + new_verification_id()[:11], new_letter_code()
            await OwnerVerification.create(
                public_id=public_id, purpose=CodePurpose.LETTER, compound_id=compound_id, person_id=person_id,
                code_hash=digest(public_id, code), expires_at=now + LETTER_CODE_LIFETIME, wrong_guesses=0,
                created_at=now,
            )
            invitations.append(Invitation(people[person_id], "、".join(labels[u] for u in unit_ids), public_id, code,
                                          now + LETTER_CODE_LIFETIME))
        await record_event(actor=actor, action="issueOwnerInvitations", entity_type="Compound", entity_id=compound_id,
                           summary=f"为小区 {compound.name} 的 {len(invitations)} 位业主生成注册邀请函", now=now)
    return invitations
