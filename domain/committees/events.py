"""Audit events of the committees area, one function per event, written inside the use case's transaction."""

from __future__ import annotations

from datetime import date, datetime

from domain.accounts.rules import Viewer
from domain.audit.service import record_event
from domain.committees.models import CrossAppointment, DeclaredRelation, OwnersBody, ReserveListing
from domain.committees.values import CommitteeKind, SeatEndReason

KIND_ZH = {CommitteeKind.OWNERS_COMMITTEE: "业主委员会", CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE: "物业管理委员会"}


async def _committee_event(*, actor: Viewer, action: str, committee: OwnersBody, summary: str, now: datetime) -> None:
    await record_event(actor=actor, action=action, entity_type="OwnersCommittee", entity_id=committee.id,
                       summary=summary, now=now)


async def committee_formed_event(*, actor: Viewer, committee: OwnersBody, seats: int, now: datetime) -> None:
    await _committee_event(
        actor=actor, action="formOwnersCommittee", committee=committee, now=now,
        summary=f"组建{KIND_ZH[committee.kind]}（{seats} 人，任期 {committee.elected_on} 至 {committee.term_ends_on}，"
                f"规则包 {committee.rule_pack}）",
    )


async def committee_superseded_event(*, actor: Viewer, committee: OwnersBody, on: date, now: datetime) -> None:
    await _committee_event(actor=actor, action="supersedeOwnersCommittee", committee=committee, now=now,
                           summary=f"业主委员会选出，物业管理委员会于 {on} 解散")


async def committee_expired_event(*, actor: Viewer, committee: OwnersBody, now: datetime) -> None:
    await _committee_event(actor=actor, action="expireOwnersCommittee", committee=committee, now=now,
                           summary=f"任期于 {committee.term_ends_on} 届满")


async def committee_filed_event(*, actor: Viewer, committee: OwnersBody, filed_on: date, now: datetime) -> None:
    await _committee_event(actor=actor, action="fileOwnersCommittee", committee=committee, now=now,
                           summary=f"{filed_on} 备案")


async def first_meeting_recorded_event(*, actor: Viewer, committee: OwnersBody, held_on: date, now: datetime) -> None:
    await _committee_event(actor=actor, action="recordFirstCommitteeMeeting", committee=committee, now=now,
                           summary=f"首次会议于 {held_on} 召开")


async def committee_dissolved_event(
    *, actor: Viewer, committee: OwnersBody, on: date, note: str, now: datetime
) -> None:
    await _committee_event(actor=actor, action="dissolveOwnersCommittee", committee=committee, now=now,
                           summary=f"{on} 解散：{note}")


async def seat_ended_event(
    *, actor: Viewer, committee: OwnersBody, person_name: str, reason: SeatEndReason, on: date, now: datetime
) -> None:
    await _committee_event(actor=actor, action="endCommitteeSeat", committee=committee, now=now,
                           summary=f"{person_name} 于 {on} 离任（{reason}）")


async def former_owners_checked_event(
    *, actor: Viewer, committee: OwnersBody, person_names: list[str], on: date, now: datetime
) -> None:
    summary = (f"{'、'.join(person_names)} 于 {on} 因不再是业主离任" if person_names
               else f"{on} 核查：全体委员仍是业主，无席位终止")
    await _committee_event(actor=actor, action="endSeatsOfFormerOwners", committee=committee, now=now,
                           summary=summary)


async def relative_declared_event(*, actor: Viewer, relation: DeclaredRelation, now: datetime) -> None:
    await record_event(actor=actor, action="declareRelative", entity_type="DeclaredRelation", entity_id=relation.id,
                       summary=f"申报亲属关系（{relation.kind}）", now=now)


async def reserve_listed_event(*, actor: Viewer, listing: ReserveListing, now: datetime) -> None:
    await record_event(actor=actor, action="listReserveCandidate", entity_type="ReserveListing",
                       entity_id=listing.id, summary=f"列入后备人员{listing.kind}清单（{listing.reason or ''}）",
                       now=now)


async def reserve_listing_cleared_event(*, actor: Viewer, listing: ReserveListing, now: datetime) -> None:
    await record_event(actor=actor, action="clearReserveListing", entity_type="ReserveListing",
                       entity_id=listing.id, summary=f"{listing.cleared_on} 移出负面清单", now=now)


async def cross_appointment_recorded_event(*, actor: Viewer, appointment: CrossAppointment, now: datetime) -> None:
    await record_event(actor=actor, action="recordCrossAppointment", entity_type="CrossAppointment",
                       entity_id=appointment.id,
                       summary=f"交叉任职（{appointment.basis}，依据 {appointment.decision_ref}）", now=now)
