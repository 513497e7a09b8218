"""合零为整: which consolidations of compounds are allowed (pure rule)."""

import pytest

from domain.errors import RuleViolation
from domain.geography.rules import check_consolidation

TARGET = (1, 10, None)


@pytest.mark.parametrize("_case, sources, field", [
    ("_case nothing to merge", [], "compoundIds"),
    ("_case the target merged into itself", [(1, 10, None)], "compoundIds"),
    ("_case a compound listed twice", [(2, 10, None), (2, 10, None)], "compoundIds"),
    ("_case another street", [(2, 11, None)], "compoundIds"),
    ("_case already merged elsewhere", [(2, 10, 7)], "compoundIds"),
])
def test_a_consolidation_is_refused(_case, sources, field):
    with pytest.raises(RuleViolation) as refused:
        check_consolidation(target=TARGET, sources=sources)

    assert refused.value.field == (field,)


def test_a_target_that_was_itself_merged_cannot_take_more_compounds():
    with pytest.raises(RuleViolation) as refused:
        check_consolidation(target=(1, 10, 9), sources=[(2, 10, None)])

    assert refused.value.field == ("intoCompoundId",)


def test_compounds_of_the_same_street_may_join_one_area():
    check_consolidation(target=TARGET, sources=[(2, 10, None), (3, 10, None)])
