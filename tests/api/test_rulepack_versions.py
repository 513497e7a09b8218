"""Released rule-pack versions: a decision keeps the version it recorded when a newer one is released."""

import shutil
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from domain.accounts.rules import Role
from domain.calendar import LOCAL as CHINA
from domain.calendar import add_months
from domain.deliberation.models import Meeting, Minutes
from domain.rulepacks import loader, rule_pack
from schema.core.relay import parse_id
from tests import factories as f
from tests.api.test_deliberation_minutes import closed_meeting, drafted, sign_all
from tests.api.test_deliberation_support import PUBLISH, build_world, payload
from tests.conftest import make_token

MINUTES = "query($id: ID!) { meeting(id: $id) { minutes { challengeDeadline } } }"


@pytest.fixture
def released(tmp_path, monkeypatch):
    """A copy of the shipped packs to which a test can add a version, as a release would."""
    shutil.copytree(loader.PACK_DIR, tmp_path / "packs")
    monkeypatch.setattr(loader, "PACK_DIR", tmp_path / "packs")
    loader.released_packs.cache_clear()

    def release(name: str, version: str, **changes: str) -> None:
        text = (tmp_path / "packs" / name / "2026.2.toml").read_text(encoding="utf-8")
        text = text.replace('version = "2026.2"', f'version = "{version}"')
        for old, new in changes.items():
            assert old in text
            text = text.replace(old, new)
        (tmp_path / "packs" / name / f"{version}.toml").write_text(text, encoding="utf-8")
        loader.released_packs.cache_clear()

    yield release
    loader.released_packs.cache_clear()


def test_a_recorded_reference_resolves_to_its_released_version(released):
    released("national", "2027.1", **{'challenge_period = "1y"': 'challenge_period = "2y"'})

    assert rule_pack("national").reference == "national@2027.1"
    assert str(rule_pack("national@2026.2").meetings.challenge_period) == "1y"
    assert str(rule_pack("national@2027.1").meetings.challenge_period) == "2y"
    assert str(rule_pack("national@2026.1").meetings.challenge_period) == "365d"


async def test_a_new_pack_version_leaves_a_published_decision_unchanged(gql, db, released):
    w = await build_world()
    for number in ("201", "202"):
        await f.unit(w.compound, building="2", number=number, area="10.00", held_by_developer=True)
    agenda = [{"title": "选聘物业服务企业", "decisionRule": "OWNERS_ORDINARY", "matter": "HIRE_OR_DISMISS_MANAGER"}]
    meeting, _ = await closed_meeting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=agenda, days_ago=16)
    minutes = await drafted(gql, w, meeting, body="业主大会决议")
    await sign_all(gql, w, minutes)
    await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)
    before = (await gql(MINUTES, {"id": meeting["id"]}, token=w.staff_token))["meeting"]["minutes"]

    released("national", "2027.1", **{'challenge_period = "1y"': 'challenge_period = "2y"'})
    after = (await gql(MINUTES, {"id": meeting["id"]}, token=w.staff_token))["meeting"]["minutes"]
    later, _ = await closed_meeting(gql, w, title="第二次会议")

    row = await Minutes.get(id=parse_id(minutes["id"])[1])
    one_year = add_months(row.published_at.astimezone(CHINA).date(), 12)
    assert (await Meeting.get(id=parse_id(meeting["id"])[1])).rule_pack == "national@2026.2"
    assert before == after == [{"challengeDeadline": one_year.isoformat()}]
    assert (await Meeting.get(id=parse_id(later["id"])[1])).rule_pack == "national@2027.1"


LATE = "query($id: ID!) { meeting(id: $id) { resultsDueOn resultsPublicationLate } }"


async def test_a_meeting_whose_results_are_unpublished_after_the_packs_days_is_flagged(gql, db):
    with time_machine.travel(datetime.now(timezone.utc) - timedelta(days=4), tick=False):
        w = await build_world()
        meeting, _ = await closed_meeting(gql, w)
        on_time = (await gql(LATE, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    # four days later (a fresh token: the first one has expired meanwhile)
    token = await make_token(Role.STREET_STAFF, street_id=w.street.id)
    late = (await gql(LATE, {"id": meeting["id"]}, token=token))["meeting"]

    assert on_time["resultsPublicationLate"] is False
    assert late["resultsPublicationLate"] is True and late["resultsDueOn"] == on_time["resultsDueOn"]
