from decimal import Decimal

from domain.evaluation.recommendation import Candidate, Proximity, rank_candidates
from domain.rulepacks.loader import rule_pack

NATIONAL = rule_pack("national").credit
BEIJING = rule_pack("beijing").credit


def test_candidates_rank_by_grade_then_nearness_then_score():
    far_aaa = Candidate(1, "远方物业", "AAA", Decimal("86"), Proximity.SAME_STREET)
    near_aaa = Candidate(2, "近邻物业", "AAA", Decimal("85"), Proximity.SAME_COMMUNITY)
    near_aaa_better = Candidate(3, "优选物业", "AAA", Decimal("90"), Proximity.SAME_COMMUNITY)
    near_aa = Candidate(4, "次选物业", "AA", Decimal("84"), Proximity.SAME_COMMUNITY)

    ranked = rank_candidates([near_aa, far_aaa, near_aaa, near_aaa_better], NATIONAL)

    assert [c.firm_id for c in ranked] == [3, 2, 1, 4]


def test_relative_grades_rank_in_the_schemes_order():
    ranked = rank_candidates(
        [
            Candidate(1, "乙", "B", Decimal("70"), Proximity.SAME_COMMUNITY),
            Candidate(2, "甲", "A", Decimal("60"), Proximity.SAME_STREET),
        ],
        BEIJING,
    )

    assert [c.grade for c in ranked] == ["A", "B"]
