"""Every read policy compiles to SQL and holds on both databases: role x model x inside/outside the viewer's
jurisdiction, on the domain querysets (the schema goes through the same querysets)."""

from __future__ import annotations

import pytest

from domain.accounts.rules import Viewer
from domain.accounts.service import viewer_for_token
from domain.access.personal_data import disclosure, load_person_facts, unmasked_condition
from domain.access.policies import READ_POLICIES, visible_queryset
from domain.committees.models import CrossAppointment, DeclaredRelation, ReserveListing
from domain.bodies.models import Membership
from domain.deliberation.models import AgendaItem, Ballot, FollowUpTask, Meeting, Participant
from domain.geography.models import Person
from tests.access_world import GUARDED, PUBLIC, build_side, reads, tokens_for
from tests.conftest import count_queries

VIEWERS = ["anonymous", "centre", "street", "community", "firm", "owner"]


async def _viewers(side):
    from datetime import UTC, datetime

    tokens = await tokens_for(side)
    now = datetime.now(UTC)
    return {name: (await viewer_for_token(token, now=now) if token else Viewer.anonymous())
            for name, token in tokens.items()}


def test_the_world_covers_every_policy():
    assert set(READ_POLICIES) >= PUBLIC | set(GUARDED)


async def test_each_viewer_reads_exactly_their_jurisdiction(db):
    a, b = await build_side("甲"), await build_side("乙")
    viewers = await _viewers(a)
    wrong = []
    for name in VIEWERS:
        for model in (*PUBLIC, *GUARDED):
            found = set(await visible_queryset(model, viewers[name]).values_list("id", flat=True))
            for side, inside in ((a, True), (b, False)):
                if (side.pk(model) in found) != reads(name, model, inside=inside):
                    wrong.append(f"{name} {'reads' if side.pk(model) in found else 'misses'} "
                                 f"{model.__name__} {'inside' if inside else 'outside'}")
    assert wrong == []


@pytest.mark.parametrize("model", list(READ_POLICIES), ids=lambda m: m.__name__)
async def test_each_condition_compiles_to_one_sql_subquery(db, model):
    a = await build_side("甲")
    for name, viewer in (await _viewers(a)).items():
        sql = visible_queryset(model, viewer).values("id").sql()

        assert sql.upper().startswith("SELECT"), (name, sql)


async def test_personal_data_facts_and_sql_agree_for_every_viewer(db):
    a, b = await build_side("甲"), await build_side("乙")
    viewers = await _viewers(a)
    persons = list(await Person.all().values_list("id", flat=True))
    facts = await load_person_facts(persons)
    for name, viewer in viewers.items():
        phone_q, id_q = unmasked_condition(viewer)
        phones = set(await Person.filter(phone_q).values_list("id", flat=True))
        ids = set(await Person.filter(id_q).values_list("id", flat=True))
        for fact in facts:
            shown = disclosure(viewer, fact)
            assert (shown.phone, shown.id_number) == (fact.person_id in phones, fact.person_id in ids), (name, fact)
    owner_a, owner_b = a.owner.id, b.owner.id
    by_id = {f.person_id: f for f in facts}
    assert disclosure(viewers["street"], by_id[owner_a]).id_number
    assert not disclosure(viewers["street"], by_id[owner_b]).phone
    firm_sees = disclosure(viewers["firm"], by_id[owner_a])
    assert firm_sees.phone and not firm_sees.id_number
    assert not disclosure(viewers["firm"], by_id[owner_b]).phone


async def test_person_facts_take_the_same_statements_for_5_and_50_persons(db):
    side = await build_side("甲")
    for n in range(8):
        await build_side(f"乙{n}")
    persons = list(await Person.all().values_list("id", flat=True))

    with count_queries() as few:
        await load_person_facts(persons[:5])
    with count_queries() as many:
        await load_person_facts(persons)

    assert len(few) == len(many) == 5
    assert side.owner.id in persons


# Non-null fields from one Node to another (schema.graphql): whoever reads the parent must read the child, or the
# field would fail instead of hiding. (parent, foreign key, child)
NON_NULL_LINKS = [
    (AgendaItem, "meeting_id", Meeting), (FollowUpTask, "meeting_id", Meeting), (Ballot, "voter_id", Person),
    (Participant, "person_id", Person), (Membership, "person_id", Person), (ReserveListing, "person_id", Person),
    (DeclaredRelation, "person_id", Person), (DeclaredRelation, "relative_id", Person),
    (CrossAppointment, "person_id", Person), (CrossAppointment, "home_membership_id", Membership),
    (CrossAppointment, "concurrent_membership_id", Membership),
]


async def test_whoever_reads_a_parent_reads_its_non_null_children(db):
    a, b = await build_side("甲"), await build_side("乙")
    viewers = await _viewers(a)
    missing = []
    for name, viewer in viewers.items():
        for parent, fk, child in NON_NULL_LINKS:
            wanted = set(await visible_queryset(parent, viewer).values_list(fk, flat=True))
            readable = set(await visible_queryset(child, viewer).filter(id__in=list(wanted) or [0])
                           .values_list("id", flat=True))
            if wanted - readable:
                missing.append(f"{name}: {parent.__name__}.{fk} -> {child.__name__} {sorted(wanted - readable)}")
    assert missing == []
