"""Scheduled notices: a reminder to seats that have not voted, once; an order about to be overdue, to its firm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.accounts.rules import Role
from domain.deliberation.models import AgendaItem, Ballot
from domain.deliberation.models import Meeting as MeetingRow
from domain.deliberation.register_models import VoteSeatHolder
from domain.deliberation.vocabulary import AgendaStatus, Choice, DecisionRule, MeetingKind, MeetingStatus
from domain.notifications.jobs import remind_voters, warn_committee_deadlines
from domain.notifications.models import Notification
from domain.notifications.rules import NoticeKind
from tests.api.test_deliberation_support import build_world, cast, voting
from tests.conftest import make_token


async def test_a_voting_reminder_goes_once_to_members_who_have_not_voted(db, gql):
    w = await build_world()
    for member in w.members:
        await make_token(Role.OWNER, person_id=member.id)
    _, item_id = await voting(gql, w)
    voted = await cast(gql, w, item_id, w.members[0])
    assert voted["errors"] == []
    opened = await Notification.filter(kind=NoticeKind.VOTING_OPENED).count()
    later = datetime.now(UTC) + timedelta(days=2)

    first = await remind_voters(now=later, after=timedelta(hours=24))
    second = await remind_voters(now=later + timedelta(hours=1), after=timedelta(hours=24))

    assert opened == len(w.members)
    assert (first, second) == (len(w.members) - 1, 0)
    reminded = await Notification.filter(kind=NoticeKind.VOTING_REMINDER).values_list("person_id", flat=True)
    assert sorted(reminded) == sorted(m.id for m in w.members[1:])


async def test_no_reminder_before_the_item_has_been_open_long_enough(db, gql):
    w = await build_world()
    await voting(gql, w)
    item = await AgendaItem.get()

    assert await remind_voters(now=item.voting_opened_at + timedelta(hours=1), after=timedelta(hours=24)) == 0


async def test_street_staff_hear_of_a_filing_deadline_once(db):
    from datetime import date

    from domain.committees.models import OwnersBody

    w = await build_world()
    staff_accounts = await Notification.filter(kind=NoticeKind.COMMITTEE_DEADLINE).count()
    await OwnersBody.filter(compound_id=w.compound.id).update(elected_on=date(2026, 10, 20), filed_on=None)
    now = datetime(2026, 11, 15, 2, 0, tzinfo=UTC)  # deadline 2026-11-19 (30 days), 4 days ahead

    first = await warn_committee_deadlines(now=now, lead_days=7)
    again = await warn_committee_deadlines(now=now, lead_days=7)

    assert staff_accounts == 0
    assert (first, again) == (1, 0)  # the world's one street staff account
    (row,) = await Notification.filter(kind=NoticeKind.COMMITTEE_DEADLINE)
    assert "2026-11-19" in row.body and row.account_id is not None



async def test_an_owners_vote_reminds_the_roll_seats_without_a_ballot_before_its_window_closes(db):
    w = await build_world()
    now = datetime.now(UTC)
    meeting = await MeetingRow.create(kind=MeetingKind.OWNERS_ASSEMBLY, status=MeetingStatus.IN_SESSION,
                                      title="业主大会", compound_id=w.compound.id, community_id=w.community.id,
                                      convener_id=w.committee.id, scheduled_at=now, rule_pack="national",
                                      created_at=now)
    item = await AgendaItem.create(meeting_id=meeting.id, position=1, title="续聘物业", status=AgendaStatus.VOTING,
                                   decision_rule=DecisionRule.OWNERS_ORDINARY, voting_opened_at=now,
                                   voting_closes_at=now + timedelta(hours=30), created_at=now)
    for n, member in enumerate(w.members):
        await make_token(Role.OWNER, person_id=member.id)
        await VoteSeatHolder.create(item_id=item.id, person_id=member.id, seat_key=f"u{n + 1}", area_cents=10_000,
                                    label=f"{n + 1}号")
    await Ballot.create(item_id=item.id, voter_id=w.members[0].id, seat_key="u1", choice=Choice.AGREE, cast_at=now)

    early = await remind_voters(now=now + timedelta(hours=1), after=timedelta(hours=24))
    due = await remind_voters(now=now + timedelta(hours=7), after=timedelta(hours=24))

    assert (early, due) == (0, len(w.members) - 1)
    reminded = await Notification.filter(kind=NoticeKind.VOTING_REMINDER).values_list("person_id", flat=True)
    assert sorted(reminded) == sorted(m.id for m in w.members[1:])
