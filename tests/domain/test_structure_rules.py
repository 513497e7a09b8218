"""Pure rules of the structure area: personal data, areas, credit codes, contracts, bodies and posts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from stdnum.cn import ric

from domain.bodies.rules import BodyKind, MembershipRole, check_body_anchor, check_membership_terms, is_current
from domain.errors import ErrorCode, RuleViolation
from domain.firms.rules import (
    ContractStatus,
    contract_status,
    make_credit_code,
    normalise_credit_code,
    periods_overlap,
    validate_contract_terms,
    validate_staff_counts,
)
from domain.geography.rules import (
    mask_id_number,
    mask_phone,
    normalise_id_number,
    normalise_phone,
    required_text,
    validate_area,
)


def id_number(first17: str) -> str:
    """A resident ID number with its GB 11643 check character computed."""
    return first17 + ric.calc_check_digit(first17 + "0")


def flip_last(code: str, alphabet: str = "0123456789ABCDEFGHJKLMNPQRTUWXY") -> str:
    """The same code with a different (wrong) check character."""
    last = code[-1]
    return code[:-1] + next(c for c in alphabet if c != last)


def rejected(call, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    return caught.value


# --- phone numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("_case", "given", "normalised"),
    [
        ("mobile", "13812345678", "13812345678"),
        ("mobile with country code", "+8613812345678", "13812345678"),
        ("mobile with spaces", "138 1234 5678", "13812345678"),
        ("mobile with country code and spaces", "+86 139 0000 1111", "13900001111"),
        ("fixed line with dash", "010-12345678", "010-12345678"),
        ("fixed line with four-digit area code", "0531-8888888", "0531-8888888"),
        ("fixed line with parentheses", "(010)12345678", "01012345678"),
        ("fixed line without dash", "053188888888", "053188888888"),
    ],
)
def test_valid_phone_numbers_are_normalised(_case, given, normalised):
    assert normalise_phone(given) == normalised


@pytest.mark.parametrize(
    ("_case", "given"),
    [
        ("empty", ""),
        ("ten digits", "1381234567"),
        ("twelve digits", "138123456789"),
        ("second digit too low", "12812345678"),
        ("letters", "1381234567a"),
        ("foreign country code", "+4413812345678"),
        ("fixed line without leading zero", "10-12345678"),
        ("fixed line too short", "010-123456"),
        ("dashes inside a mobile number", "138-1234-5678"),
    ],
)
def test_invalid_phone_numbers_are_rejected_as_invalid_with_the_field(_case, given):
    error = rejected(normalise_phone, given, field="units.0.phone")

    assert error.code is ErrorCode.INVALID
    assert error.field == ("units.0.phone",)
    assert error.message_en.startswith("Invalid phone number")


@pytest.mark.parametrize(
    ("_case", "phone", "masked"),
    [
        ("mobile keeps three and four", "13812345678", "138****5678"),
        ("fixed line keeps area code and four", "010-12345678", "010****5678"),
        ("short number keeps only the first digit", "1234567", "1******"),
    ],
)
def test_phone_numbers_are_masked_in_the_middle(_case, phone, masked):
    assert mask_phone(phone) == masked


# --- resident ID numbers -------------------------------------------------------------------------------------------

VALID_ID = id_number("11010519491231002")


@pytest.mark.parametrize(
    ("_case", "given", "normalised"),
    [
        ("published example with X", "11010519491231002X", "11010519491231002X"),
        ("lower-case x", "11010519491231002x", "11010519491231002X"),
        ("computed check digit", id_number("37010219900307123"), id_number("37010219900307123")),
    ],
)
def test_valid_id_numbers_are_normalised(_case, given, normalised):
    assert normalise_id_number(given) == normalised


@pytest.mark.parametrize(
    ("_case", "given"),
    [
        ("wrong check character", flip_last(VALID_ID, "0123456789X")),
        ("seventeen characters", VALID_ID[:-1]),
        ("nineteen characters", VALID_ID + "1"),
        ("letter in the body", "1101051949123100AX"),
        ("impossible birth date", id_number("11010519491331002")),
        ("unknown region", id_number("99010519491231002")),
        ("empty", ""),
    ],
)
def test_invalid_id_numbers_are_rejected_as_invalid(_case, given):
    error = rejected(normalise_id_number, given)

    assert error.code is ErrorCode.INVALID
    assert error.field == ("idNumber",)


def test_id_numbers_are_masked_except_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


# --- areas ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("_case", "given", "area"),
    [
        ("two decimals", "89.50", Decimal("89.50")),
        ("integer", 120, Decimal("120")),
        ("one cent", "0.01", Decimal("0.01")),
        ("trailing zero beyond two decimals", "1.500", Decimal("1.5")),
        ("the maximum", "100000", Decimal("100000")),
        ("a Decimal", Decimal("75.25"), Decimal("75.25")),
    ],
)
def test_valid_areas_are_accepted_exactly(_case, given, area):
    assert validate_area(given) == area


@pytest.mark.parametrize(
    ("_case", "given"),
    [
        ("zero", "0"),
        ("negative", "-1.00"),
        ("three decimals", "89.505"),
        ("huge", "100000.01"),
        ("astronomical", "1E+30"),
        ("not a number", "abc"),
        ("NaN", "NaN"),
        ("infinity", "Infinity"),
    ],
)
def test_invalid_areas_are_rejected_naming_the_field(_case, given):
    error = rejected(validate_area, given, field="units.3.area")

    assert error.code is ErrorCode.INVALID
    assert error.field == ("units.3.area",)


@pytest.mark.parametrize(
    ("_case", "given", "kept"),
    [("trimmed", "  幸福里  ", "幸福里"), ("exactly the limit", "x" * 100, "x" * 100)],
)
def test_required_text_is_trimmed(_case, given, kept):
    assert required_text(given, field="name", label="名称") == kept


@pytest.mark.parametrize(("_case", "given"), [("empty", ""), ("blank", "   "), ("too long", "x" * 101)])
def test_required_text_rejects_empty_and_overlong_values(_case, given):
    error = rejected(required_text, given, field="name", label="名称")

    assert (error.code, error.field) == (ErrorCode.INVALID, ("name",))


# --- credit codes --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("serial", [1, 2, 42, 123456789, 10**9 + 7])
def test_made_credit_codes_are_valid(serial):
    code = make_credit_code(serial)

    assert len(code) == 18
    assert normalise_credit_code(code) == code


def test_credit_codes_are_normalised_to_upper_case():
    code = make_credit_code(7, region="110105")
    assert normalise_credit_code(code.lower()) == code


@pytest.mark.parametrize(
    ("_case", "given"),
    [
        ("flipped check character", flip_last(make_credit_code(1))),
        ("another flipped check character", flip_last(make_credit_code(99))),
        ("seventeen characters", make_credit_code(1)[:-1]),
        ("empty", ""),
        ("letters I, O, S, V, Z are not in the alphabet", "91370100OOOOOOOOOO"),
    ],
)
def test_invalid_credit_codes_are_rejected_with_their_own_code(_case, given):
    error = rejected(normalise_credit_code, given)

    assert error.code is ErrorCode.INVALID_CREDIT_CODE
    assert error.field == ("creditCode",)


@pytest.mark.parametrize(
    ("_case", "staff", "party", "field"),
    [("negative staff", -1, 0, "staffCount"), ("more party members than staff", 3, 4, "partyMemberStaffCount"),
     ("negative party members", 3, -1, "partyMemberStaffCount")],
)
def test_impossible_staff_counts_are_invalid(_case, staff, party, field):
    error = rejected(validate_staff_counts, staff, party)

    assert (error.code, error.field) == (ErrorCode.INVALID, (field,))


def test_staff_counts_may_be_all_party_members():
    validate_staff_counts(5, 5)


# --- contracts -----------------------------------------------------------------------------------------------------

JAN_1, JUN_30, JUL_1, DEC_31 = date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 1), date(2026, 12, 31)


@pytest.mark.parametrize(
    ("_case", "a", "b", "overlap"),
    [
        ("ending on the start day overlaps", (JAN_1, JUL_1), (JUL_1, DEC_31), True),
        ("starting on the end day overlaps", (JUL_1, DEC_31), (JAN_1, JUL_1), True),
        ("ending the day before does not overlap", (JAN_1, JUN_30), (JUL_1, DEC_31), False),
        ("starting the day after does not overlap", (JUL_1, DEC_31), (JAN_1, JUN_30), False),
        ("one inside the other overlaps", (JAN_1, DEC_31), (JUN_30, JUL_1), True),
        ("identical periods overlap", (JAN_1, JUN_30), (JAN_1, JUN_30), True),
        ("one-day periods on the same day overlap", (JUL_1, JUL_1), (JUL_1, JUL_1), True),
    ],
)
def test_contract_periods_overlap_inclusively(_case, a, b, overlap):
    assert periods_overlap(*a, *b) is overlap


@pytest.mark.parametrize(
    ("_case", "today", "terminated_on", "status"),
    [
        ("before the start", date(2025, 12, 31), None, ContractStatus.PENDING),
        ("on the start day", JAN_1, None, ContractStatus.ACTIVE),
        ("in the middle", JUN_30, None, ContractStatus.ACTIVE),
        ("on the last day", DEC_31, None, ContractStatus.ACTIVE),
        ("the day after the end", date(2027, 1, 1), None, ContractStatus.EXPIRED),
        ("on the termination day", JUL_1, JUL_1, ContractStatus.TERMINATED),
        ("before a scheduled termination", JUN_30, JUL_1, ContractStatus.ACTIVE),
        ("terminated outranks expired", date(2027, 6, 1), JUL_1, ContractStatus.TERMINATED),
    ],
)
def test_contract_status_follows_the_dates(_case, today, terminated_on, status):
    assert contract_status(starts_on=JAN_1, ends_on=DEC_31, terminated_on=terminated_on, today=today) is status


@pytest.mark.parametrize(
    ("_case", "starts_on", "ends_on", "fee", "field"),
    [
        ("ends on the start day", JAN_1, JAN_1, "2.50", "endsOn"),
        ("ends before it starts", JUL_1, JAN_1, "2.50", "endsOn"),
        ("negative fee", JAN_1, DEC_31, "-0.01", "feePerSquareMetre"),
        ("fee with three decimals", JAN_1, DEC_31, "2.505", "feePerSquareMetre"),
        ("fee not a number", JAN_1, DEC_31, "cheap", "feePerSquareMetre"),
        ("fee beyond what the column holds", JAN_1, DEC_31, "1000000.00", "feePerSquareMetre"),
    ],
)
def test_impossible_contract_terms_are_invalid(_case, starts_on, ends_on, fee, field):
    error = rejected(validate_contract_terms, starts_on, ends_on, fee)

    assert (error.code, error.field) == (ErrorCode.INVALID, (field,))


def test_a_free_contract_of_two_days_is_valid():
    assert validate_contract_terms(JAN_1, date(2026, 1, 2), "0") == Decimal("0")


def test_the_largest_fee_the_column_holds_is_valid():
    assert validate_contract_terms(JAN_1, DEC_31, "999999.99") == Decimal("999999.99")


# --- bodies and posts ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("_case", "kind", "anchors"),
    [
        ("party organisation in a community", BodyKind.COMMUNITY_PARTY_ORGANISATION, {"community_id": 1}),
        ("residents' committee in a community", BodyKind.RESIDENTS_COMMITTEE, {"community_id": 1}),
        ("firm party organisation of a firm", BodyKind.FIRM_PARTY_ORGANISATION, {"firm_id": 1}),
        ("street office of a street", BodyKind.STREET_OFFICE, {"street_id": 1}),
        ("street office found through a community", BodyKind.STREET_OFFICE, {"community_id": 1}),
        ("district centre needs no anchor", BodyKind.DISTRICT_CENTRE, {}),
        ("co-building unit needs no anchor", BodyKind.CO_BUILDING_UNIT, {}),
        ("other needs no anchor", BodyKind.OTHER, {}),
    ],
)
def test_bodies_with_their_anchor_may_be_created(_case, kind, anchors):
    check_body_anchor(kind, **{"community_id": None, "firm_id": None, "street_id": None, **anchors})


@pytest.mark.parametrize(
    ("_case", "kind", "anchors", "field"),
    [
        ("party organisation without community", BodyKind.COMMUNITY_PARTY_ORGANISATION, {"street_id": 1},
         "communityId"),
        ("residents' committee without community", BodyKind.RESIDENTS_COMMITTEE, {}, "communityId"),
        ("firm party organisation without firm", BodyKind.FIRM_PARTY_ORGANISATION, {"community_id": 1}, "firmId"),
        ("street office without street", BodyKind.STREET_OFFICE, {}, "streetId"),
        ("owners' committee is formed, not created", BodyKind.OWNERS_COMMITTEE, {"community_id": 1}, "kind"),
        ("management committee is formed, not created", BodyKind.PROPERTY_MANAGEMENT_COMMITTEE,
         {"community_id": 1}, "kind"),
        ("firms are registered, not created", BodyKind.PROPERTY_FIRM, {}, "kind"),
    ],
)
def test_bodies_without_their_anchor_are_invalid(_case, kind, anchors, field):
    error = rejected(check_body_anchor, kind, **{"community_id": None, "firm_id": None, "street_id": None,
                                                  **anchors})

    assert (error.code, error.field) == (ErrorCode.INVALID, (field,))


@pytest.mark.parametrize(
    ("_case", "role", "ends_on", "compound_id"),
    [
        ("open-ended member", MembershipRole.MEMBER, None, None),
        ("ends on the start day", MembershipRole.SECRETARY, JAN_1, None),
        ("project manager of a compound", MembershipRole.PROJECT_MANAGER, None, 7),
        ("grid worker of a compound", MembershipRole.GRID_WORKER, DEC_31, 7),
    ],
)
def test_valid_membership_terms_pass(_case, role, ends_on, compound_id):
    check_membership_terms(role, starts_on=JAN_1, ends_on=ends_on, compound_id=compound_id)


@pytest.mark.parametrize(
    ("_case", "role", "ends_on", "compound_id", "field"),
    [
        ("ends before it starts", MembershipRole.MEMBER, date(2025, 12, 31), None, "endsOn"),
        ("project manager without compound", MembershipRole.PROJECT_MANAGER, None, None, "compoundId"),
        ("quality supervisor without compound", MembershipRole.QUALITY_SUPERVISOR, None, None, "compoundId"),
        ("grid worker without compound", MembershipRole.GRID_WORKER, None, None, "compoundId"),
    ],
)
def test_invalid_membership_terms_are_rejected(_case, role, ends_on, compound_id, field):
    error = rejected(check_membership_terms, role, starts_on=JAN_1, ends_on=ends_on, compound_id=compound_id)

    assert (error.code, error.field) == (ErrorCode.INVALID, (field,))


@pytest.mark.parametrize(
    ("_case", "today", "ends_on", "current"),
    [
        ("before the start", date(2025, 12, 31), None, False),
        ("on the start day", JAN_1, None, True),
        ("open-ended years later", date(2030, 1, 1), None, True),
        ("on the last day", DEC_31, DEC_31, True),
        ("the day after the end", date(2027, 1, 1), DEC_31, False),
    ],
)
def test_a_post_is_current_between_its_dates_inclusive(_case, today, ends_on, current):
    assert is_current(JAN_1, ends_on, today) is current
