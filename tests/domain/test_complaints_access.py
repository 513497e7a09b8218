import pytest

from domain.accounts.rules import Role, Viewer
from domain.complaints.access import BodyRef, OrderPlace, capabilities, mask_name, may_read_complainant, may_see
from domain.complaints.rules import Capability

FIRM = BodyRef(id=10, kind="PROPERTY_FIRM", street_id=None, community_id=None)
COMMITTEE = BodyRef(id=20, kind="RESIDENTS_COMMITTEE", street_id=1, community_id=2)
STREET_OFFICE = BodyRef(id=30, kind="STREET_OFFICE", street_id=1, community_id=None)


def place(handler: BodyRef | None = FIRM, accountable: BodyRef | None = FIRM, escalations: int = 0) -> OrderPlace:
    return OrderPlace(street_id=1, community_id=2, compound_id=3, complainant_person_id=7, handler=handler,
                      accountable=accountable, escalation_level=escalations)


def viewer(*roles: Role, **anchors: int) -> Viewer:
    return Viewer(account_id=1, username="u", roles=frozenset(roles), **anchors)


@pytest.mark.parametrize(
    ("_case", "who", "order", "firm_body_id", "expected"),
    [
        ("_case centre staff supervise everywhere", viewer(Role.CENTRE_STAFF), place(), None, {Capability.SUPERVISE}),
        ("_case street staff of the street", viewer(Role.STREET_STAFF, street_id=1), place(), None,
         {Capability.SUPERVISE}),
        ("_case street staff of another street", viewer(Role.STREET_STAFF, street_id=9), place(), None, set()),
        ("_case community staff of the community", viewer(Role.COMMUNITY_STAFF, community_id=2), place(), None,
         {Capability.SUPERVISE}),
        ("_case the handling firm", viewer(Role.FIRM_STAFF, firm_id=5), place(), 10, {Capability.HANDLE}),
        ("_case another firm", viewer(Role.FIRM_STAFF, firm_id=6), place(), 11, set()),
        ("_case the accountable firm after escalation", viewer(Role.FIRM_STAFF, firm_id=5),
         place(handler=COMMITTEE, escalations=1), 10, {Capability.HANDLE}),
        ("_case the community handling after escalation", viewer(Role.COMMUNITY_STAFF, community_id=2),
         place(handler=COMMITTEE, escalations=1), None,
         {Capability.SUPERVISE, Capability.HANDLE, Capability.CO_HANDLE}),
        ("_case the street office handling", viewer(Role.STREET_STAFF, street_id=1),
         place(handler=STREET_OFFICE, escalations=2), None,
         {Capability.SUPERVISE, Capability.HANDLE, Capability.CO_HANDLE}),
        ("_case the owner who filed it", viewer(Role.OWNER, person_id=7), place(), None, set()),
    ],
)
def test_capabilities_follow_territory_and_handling(_case, who, order, firm_body_id, expected) -> None:
    assert capabilities(who, order, firm_body_id=firm_body_id) == expected


def test_an_owner_sees_their_own_order_only() -> None:
    assert may_see(viewer(Role.OWNER, person_id=7), place(), firm_body_id=None)
    assert not may_see(viewer(Role.OWNER, person_id=8), place(), firm_body_id=None)


def test_the_complainant_is_readable_by_territory_staff_the_handler_and_themself_only() -> None:
    assert may_read_complainant(viewer(Role.STREET_STAFF, street_id=1), place(), firm_body_id=None)
    assert may_read_complainant(viewer(Role.FIRM_STAFF, firm_id=5), place(), firm_body_id=10)
    assert may_read_complainant(viewer(Role.OWNER, person_id=7), place(), firm_body_id=None)
    assert not may_read_complainant(viewer(Role.FIRM_STAFF, firm_id=6), place(), firm_body_id=11)
    assert not may_read_complainant(viewer(Role.COMMITTEE_MEMBER, person_id=8), place(), firm_body_id=None)


def test_names_are_masked_after_the_first_character() -> None:
    assert (mask_name("张三丰"), mask_name("李")) == ("张**", "李")
