"""Owners are told and shown: their notifications (newest first, read/unread), their committee's published
minutes on the notice board (区分所有权解释 art. 13), and staff's view of delivery."""

from __future__ import annotations

from domain.accounts.rules import Role
from domain.notifications.models import Notification
from tests import factories as f
from tests.api.test_deliberation_minutes import closed_meeting, drafted, sign_all
from tests.api.test_deliberation_support import PUBLISH, build_world, payload, schedule
from tests.conftest import make_token
from tests.contract.operations import contract_operations

CONTRACT = {op.name: op.document for op in contract_operations()}
MINE, BOARD, OUTBOX = CONTRACT["MyNotifications"], CONTRACT["CompoundNoticeBoard"], CONTRACT["OutboxMessages"]
READ = """
mutation Read($input: MarkNotificationReadInput!) {
  markNotificationRead(input: $input) { notification { id readAt } errors { code field } }
}"""
NOTICE = """
mutation Notice($input: IssueMeetingNoticeInput!) { issueMeetingNotice(input: $input) { errors { code } } }"""


async def _owner_with_account(w, name: str = "业主甲"):  # type: ignore[no-untyped-def]
    owner = await f.person(name, phone="13900001111")
    await f.unit(w.compound, owner, building="9")
    return owner, await make_token(Role.OWNER, person_id=owner.id)


async def test_my_notifications_are_newest_first_paged_and_marked_read_once(db, gql):
    w = await build_world()
    owner, token = await _owner_with_account(w)
    for title in ("一", "二", "三"):
        meeting = await schedule(gql, w, title=f"业委会会议{title}")
        assert (await payload(gql, NOTICE, {"meetingId": meeting["id"]}, w.staff_token))["errors"] == []

    first = (await gql(MINE, {"first": 2}, token=token))["me"]["notifications"]
    rest = (await gql(MINE, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=token))["me"]["notifications"]
    newest = first["edges"][0]["node"]
    read = (await gql(READ, {"input": {"notificationId": newest["id"]}}, token=token))["markNotificationRead"]
    again = (await gql(READ, {"input": {"notificationId": newest["id"]}}, token=token))["markNotificationRead"]

    assert [e["node"]["title"] for e in first["edges"] + rest["edges"]] == [
        "会议通知：业委会会议三", "会议通知：业委会会议二", "会议通知：业委会会议一"]
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)
    assert newest["kind"] == "MEETING_NOTICE" and newest["readAt"] is None and newest["link"]["id"]
    assert read["errors"] == [] and read["notification"]["readAt"] is not None
    assert again["notification"]["readAt"] == read["notification"]["readAt"]


async def test_nobody_reads_or_marks_another_persons_notification(db, gql):
    w = await build_world()
    owner, token = await _owner_with_account(w)
    meeting = await schedule(gql, w)
    await payload(gql, NOTICE, {"meetingId": meeting["id"]}, w.staff_token)
    theirs = await Notification.get(person_id=owner.id)
    other = await make_token(Role.OWNER, person_id=(await f.person("业主乙")).id)

    listed = (await gql(MINE, {"first": 10}, token=other))["me"]["notifications"]["edges"]
    marked = (await gql(READ, {"input": {"notificationId": f.gid("Notification", theirs.id)}},
                        token=other))["markNotificationRead"]
    node = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": f.gid("Notification", theirs.id)},
                     token=other)

    assert listed == []
    assert [e["code"] for e in marked["errors"]] == ["NOT_FOUND"]
    assert node["node"] is None
    assert (await Notification.get(id=theirs.id)).read_at is None


async def test_owners_read_their_committees_published_minutes_on_the_notice_board_and_no_drafts(db, gql):
    w = await build_world()
    owner, token = await _owner_with_account(w)
    meeting, _ = await closed_meeting(gql, w)
    minutes = await drafted(gql, w, meeting)
    before = (await gql(BOARD, {"compoundId": f.gid("Compound", w.compound.id), "first": 10}, token=token))
    await sign_all(gql, w, minutes)
    published = await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)
    assert published["errors"] == []
    await drafted(gql, w, meeting, body="更正草稿")  # a draft correction stays with the committee
    after = (await gql(BOARD, {"compoundId": f.gid("Compound", w.compound.id), "first": 10}, token=token))
    stranger_compound = await f.compound()
    stranger = await f.person("业主丙")
    await f.unit(stranger_compound, stranger)
    stranger_token = await make_token(Role.OWNER, person_id=stranger.id)
    elsewhere = await gql(BOARD, {"compoundId": f.gid("Compound", w.compound.id), "first": 10}, token=stranger_token)

    assert before["compound"]["meetings"]["edges"] == []
    (edge,) = after["compound"]["meetings"]["edges"]
    assert edge["node"]["status"] == "MINUTES_PUBLISHED"
    assert [(m["version"], m["status"]) for m in edge["node"]["minutes"]] == [(1, "PUBLISHED")]
    assert edge["node"]["minutes"][0]["body"].startswith("会议纪要")
    assert elsewhere["compound"]["meetings"]["edges"] == []
    assert await Notification.filter(person_id=owner.id, kind="MINUTES_PUBLISHED").count() == 1


async def test_delivery_status_is_for_staff_of_the_territory(db, gql):
    w = await build_world()
    owner, token = await _owner_with_account(w)
    meeting = await schedule(gql, w)
    await payload(gql, NOTICE, {"meetingId": meeting["id"]}, w.staff_token)
    other_street = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)

    mine = await gql(OUTBOX, {"first": 10, "recipient": owner.phone}, token=w.staff_token)
    centre = await gql(OUTBOX, {"first": 50}, token=w.admin_token)
    elsewhere = await gql(OUTBOX, {"first": 50}, token=other_street)
    refused = await gql(OUTBOX, {"first": 10}, token=token, expect_errors=True)

    (sms,) = [e["node"] for e in mine["outboxMessages"]["edges"]]
    assert (sms["channel"], sms["status"], sms["attempts"], sms["kind"]) == ("SMS", "PENDING", 0, "MEETING_NOTICE")
    assert centre["outboxMessages"]["totalCount"] >= 2
    assert elsewhere["outboxMessages"]["totalCount"] == 0
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


OPT_OUT = """
mutation OptOut($input: SetMessagingOptOutInput!) {
  setMessagingOptOut(input: $input) { optedOutChannels errors { code } }
}"""


async def test_an_owner_who_opts_out_of_sms_still_gets_statutory_meeting_notices_by_sms(db, gql):
    from datetime import UTC, datetime

    from domain.accounts.rules import Viewer
    from domain.complaints import service
    from domain.complaints.rules import Channel, Kind, Urgency
    from domain.messaging.models import OutboxMessage

    w = await build_world()
    owner, token = await _owner_with_account(w)
    result = (await gql(OPT_OUT, {"input": {"channel": "SMS", "optedOut": True}}, token=token))["setMessagingOptOut"]
    meeting = await schedule(gql, w)
    await payload(gql, NOTICE, {"meetingId": meeting["id"]}, w.staff_token)
    centre = Viewer(account_id=None, username="t", roles=frozenset({Role.CENTRE_ADMIN}))
    now = datetime.now(UTC)
    order = await service.file_complaint(actor=centre, now=now, draft=service.ComplaintDraft(
        compound_id=w.compound.id, channel=Channel.ONLINE, kind=Kind.COMPLAINT, category="绿化", title="树枝遮挡",
        urgency=Urgency.ORDINARY, description="", complainant_name=owner.name, complainant_phone=owner.phone,
        external_ref=None, received_at=now, complainant_person_id=owner.id))
    await service.accept_complaint(actor=centre, complaint_id=order.id, note="", now=now)

    assert result == {"optedOutChannels": ["SMS"], "errors": []}
    sms = await OutboxMessage.filter(person_id=owner.id, channel="SMS").values_list("kind", "statutory")
    assert sms == [("MEETING_NOTICE", True)]
    in_app = await OutboxMessage.filter(person_id=owner.id, channel="IN_APP").values_list("kind", flat=True)
    assert sorted(in_app) == ["COMPLAINT_PROGRESS", "MEETING_NOTICE"]
