"""Publishing to a compound's notice board, and correcting by a new version (the original stays)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.accounts.rules import Role, Scope, Viewer, in_jurisdiction
from domain.attachments.rules import OwnerKind
from domain.attachments.service import attach, fingerprints
from domain.audit.service import record_event
from domain.bodies.models import Membership
from domain.bodies.rules import is_current
from domain.calendar import local_date
from domain.committees.models import OwnersBody
from domain.disclosures import rules
from domain.disclosures.models import Disclosure
from domain.disclosures.rules import DisclosureKind, Publisher
from domain.errors import ErrorCode, RuleViolation
from domain.firms.coverage import serving_firm_ids
from domain.geography.models import Compound
from domain.geography.rules import required_text
from domain.notifications.events import compound_owner_ids
from domain.notifications.rules import NoticeKind, Text
from domain.notifications.service import Link, notify, person_recipients
from domain.transaction import atomic


@dataclass(frozen=True)
class DisclosureDraft:
    compound_id: int
    kind: DisclosureKind
    title: str
    period: str
    body: str
    attachment_ids: Sequence[int] = field(default_factory=tuple)
    corrects_id: int | None = None


async def publisher_capacities(actor: Viewer, compound: Compound, now: datetime) -> set[Publisher]:
    capacities: set[Publisher] = set()
    if in_jurisdiction(actor, Scope(street_id=compound.street_id, community_id=compound.community_id)):
        capacities.add(Publisher.STAFF)
    if Role.FIRM_STAFF in actor.roles and actor.firm_id is not None:
        serving = await serving_firm_ids([compound.id], local_date(now))
        if serving.get(compound.id) == actor.firm_id:
            capacities.add(Publisher.FIRM)
    if actor.person_id is not None:
        body_ids = await OwnersBody.filter(live_compound_id=compound.id).values_list("body_id", flat=True)
        posts = await Membership.filter(person_id=actor.person_id, body_id__in=list(body_ids))
        if any(is_current(p.starts_on, p.ends_on, local_date(now)) for p in posts):
            capacities.add(Publisher.COMMITTEE)
    return capacities


async def _corrected(draft: DisclosureDraft) -> Disclosure | None:
    if draft.corrects_id is None:
        return None
    original = await Disclosure.filter(id=draft.corrects_id).select_for_update().first()
    if original is None or original.compound_id != draft.compound_id or original.kind != draft.kind:
        raise RuleViolation(ErrorCode.NOT_FOUND, "要更正的公示不存在或不属于本小区同类公示", "correctsId",
                            en="The disclosure to correct does not exist on this compound's board with this kind")
    if await Disclosure.exists(corrects_id=original.id):
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "该版本已被更正，请更正最新版本", "correctsId",
                            en="This version was already corrected; correct the latest version")
    return original


async def publish_disclosure(*, actor: Viewer, draft: DisclosureDraft, now: datetime) -> Disclosure:
    title = required_text(draft.title, field="title", label="标题", max_length=200)
    body = required_text(draft.body, field="body", label="内容", max_length=20000)
    period_start, period_end = rules.check_period(draft.period)
    async with atomic():
        compound = await Compound.get_or_none(id=draft.compound_id)
        if compound is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "小区不存在", "compoundId", en="No such compound")
        publisher = rules.check_publisher(draft.kind, await publisher_capacities(actor, compound, now))
        original = await _corrected(draft)
        disclosure = await Disclosure.create(
            compound_id=compound.id, kind=draft.kind, title=title, period=draft.period.strip(),
            period_start=period_start, period_end=period_end, body=body, publisher=publisher,
            firm_id=actor.firm_id if publisher is Publisher.FIRM else None, published_by_id=actor.account_id,
            published_at=now, corrects_id=original.id if original else None,
            version=original.version + 1 if original else 1, content_hash="",
        )
        attachments = await attach(actor=actor, attachment_ids=draft.attachment_ids, owner_kind=OwnerKind.DISCLOSURE,
                                   owner_id=disclosure.id, now=now)
        # The hash covers the attachments' SHA-256, so a swapped file no longer matches its publication.
        digest = rules.content_hash({
            "compoundId": compound.id, "kind": draft.kind, "title": title, "period": disclosure.period, "body": body,
            "publishedAt": now.isoformat(), "corrects": original.content_hash if original else None,
            "attachments": fingerprints(attachments),
        })
        await Disclosure.filter(id=disclosure.id).update(content_hash=digest)
        disclosure.content_hash = digest
        what = f"更正第 {original.version} 版" if original else "发布"
        await record_event(actor=actor, action="publishDisclosure", entity_type="Disclosure", entity_id=disclosure.id,
                           summary=f"{compound.name}信息公示{what}：{title}（{draft.period}，哈希 {digest}）", now=now)
        await notify(recipients=await person_recipients(await compound_owner_ids(compound.id)),
                     kind=NoticeKind.DISCLOSURE_PUBLISHED,
                     text=Text(f"小区公示：{title}", f"{compound.name}公告栏新发布《{title}》（{draft.period}）。"),
                     link=Link("Disclosure", disclosure.id), cause=f"disclosure:{disclosure.id}", now=now)
    return disclosure
