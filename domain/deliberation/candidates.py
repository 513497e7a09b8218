"""Election items (民法典 art. 278 para. 1 items 3-4): who may stand, and writing the candidates with the item."""

from __future__ import annotations

from typing import Any

from domain.deliberation.register_models import Candidate
from domain.deliberation.vocabulary import OWNERS_RULES, JointMatter
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Person

ELECTION_MATTERS = frozenset({JointMatter.ELECT_COMMITTEE, JointMatter.HIRE_OR_DISMISS_MANAGER})


def check_election(spec: Any) -> None:
    """An election names candidates of one kind (persons for a committee, firms for a manager) and how many seats."""
    if spec.max_selections is None and not spec.candidates:
        return
    def invalid(message: str, en: str, field: str = "candidates") -> RuleViolation:
        return RuleViolation(ErrorCode.INVALID, message, field, en=en)

    if spec.decision_rule not in OWNERS_RULES or spec.matter not in ELECTION_MATTERS:
        raise invalid("选举只用于选举业委会或选聘物业（民法典第278条第1款第3、4项）",
                      "Elections are for the committee or the manager (art. 278 items 3-4)", "matter")
    if spec.max_selections is None or spec.max_selections < 1:
        raise invalid("选举须写明应选人数", "An election needs maxSelections >= 1", "maxSelections")
    if not spec.candidates:
        raise invalid("选举须有候选人", "An election needs candidates")
    persons = spec.matter is JointMatter.ELECT_COMMITTEE
    for c in spec.candidates:
        if (c.person_id is None) == (c.firm_id is None) or (c.person_id is not None) != persons:
            raise invalid("选举业委会的候选人是个人，选聘物业的候选人是企业",
                          "Committee candidates are persons, manager candidates are firms")
    keys = [(c.person_id, c.firm_id) for c in spec.candidates]
    if len(set(keys)) != len(keys):
        raise invalid("候选人重复", "A candidate is listed twice")


async def create_candidates(item_id: int, spec: Any) -> None:
    if not spec.candidates:
        return
    person_ids = [c.person_id for c in spec.candidates if c.person_id is not None]
    firm_ids = [c.firm_id for c in spec.candidates if c.firm_id is not None]
    people = dict(await Person.filter(id__in=person_ids).values_list("id", "name")) if person_ids else {}
    firms = dict(await PropertyFirm.filter(id__in=firm_ids).values_list("id", "name")) if firm_ids else {}
    if len(people) != len(person_ids) or len(firms) != len(firm_ids):
        raise RuleViolation(ErrorCode.NOT_FOUND, "候选人不存在", "candidates", en="Unknown candidate")
    await Candidate.bulk_create([
        Candidate(item_id=item_id, position=i + 1, person_id=c.person_id, firm_id=c.firm_id,
                  name=people[c.person_id] if c.person_id is not None else firms[c.firm_id], votes=0, votes_cents=0)
        for i, c in enumerate(spec.candidates)
    ])
