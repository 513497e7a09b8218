"""The read policy of every model, in one table: who may read it, as a database filter (deny by default).

`READ_POLICIES[Model].condition(viewer)` is a tortoise `Q` over that model and nothing else: lists filter by it in
the query (so totalCount and pages stay right), single objects check it, and the compiled read path turns
`Model.filter(condition).values("id").sql()` into a subquery. No Python post-filtering anywhere.

A model missing from the table is readable by no one: `visible_queryset` refuses it loudly instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.models import Model

from domain.access import territory as t
from domain.access.reach import Audience, grants, roles_reached
from domain.accounts.rules import Role, Viewer
from domain.bodies import models as bm
from domain.committees import models as cm
from domain.complaints import models as qm
from domain.deliberation import models as dm
from domain.deliberation.register_models import Candidate, VoteSeatHolder
from domain.deliberation.vocabulary import MeetingKind, MeetingStatus
from domain.evaluation import models as em
from domain.firms import models as fm
from domain.geography import models as gm

NOTHING = t.NOTHING
Locator = Callable[[int], Q]


@dataclass(frozen=True)
class Policy:
    """Who reads one model. `anonymous`: anyone, signed in or not. Each locator: the rows an audience reaches,
    given its anchor (the viewer's street, community, firm or person). An audience without locator reaches nothing;
    centre staff reach everything."""

    anonymous: bool = False
    street: Locator | None = None
    community: Locator | None = None
    firm: Locator | None = None
    person: Locator | None = None
    why: str = ""

    @property
    def audiences(self) -> frozenset[Audience]:
        found = {Audience.CENTRE}
        for audience, locator in ((Audience.STREET, self.street), (Audience.COMMUNITY, self.community),
                                  (Audience.FIRM, self.firm), (Audience.SELF, self.person)):
            if locator is not None:
                found.add(audience)
        return frozenset(found)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role) if self.anonymous else roles_reached(self.audiences)

    def locator(self, audience: Audience) -> Locator | None:
        return {Audience.STREET: self.street, Audience.COMMUNITY: self.community, Audience.FIRM: self.firm,
                Audience.SELF: self.person}.get(audience)

    def condition(self, viewer: Viewer) -> Q:
        if self.anonymous:
            return Q()
        held = grants(viewer, self.audiences)
        if any(g.audience is Audience.CENTRE for g in held):
            return Q()
        parts = [self.locator(g.audience)(g.anchor) for g in held]  # type: ignore[misc, arg-type]
        return reduce(or_, parts) if parts else NOTHING


PUBLIC = Policy(anonymous=True)


@dataclass(frozen=True)
class ViewerPolicy(Policy):
    """A policy whose rule is written over the whole viewer at once (own messages, the notice board's public
    kinds): `rule(viewer)` is the Q. Anonymous callers get nothing and centre staff everything unless the policy
    says otherwise, with its reason (`partly_public`, `addressed_only`)."""

    rule: Callable[[Viewer], Q] = lambda viewer: NOTHING
    # Why anonymous callers read some rows (the law makes them public), or None.
    partly_public: str | None = None
    # Why not even centre staff read every row (a message addressed to one person), or None.
    addressed_only: str | None = None

    @property
    def audiences(self) -> frozenset[Audience]:
        return frozenset(Audience)

    def condition(self, viewer: Viewer) -> Q:
        if not viewer.is_authenticated and self.partly_public is None:
            return NOTHING
        if viewer.is_centre and self.addressed_only is None:
            return Q()
        return self.rule(viewer)


def _ids(model: type[Model], condition: Q, column: str = "id") -> Subquery:
    return Subquery(model.filter(condition).values(column))


def through(parent: type[Model], field: str) -> Policy:
    """A child readable exactly where its parent is: `field` holds the parent's id."""
    policy = READ_POLICIES[parent]

    def wrap(locator: Locator | None) -> Locator | None:
        if locator is None:
            return None
        return lambda anchor: Q(**{f"{field}__in": _ids(parent, locator(anchor))})

    return Policy(anonymous=policy.anonymous, street=wrap(policy.street), community=wrap(policy.community),
                  firm=wrap(policy.firm), person=wrap(policy.person), why=f"as its {parent.__name__}")


def _owned_compounds(person_id: int) -> Subquery:
    return Subquery(gm.Unit.filter(ownerships__person_id=person_id).values("compound_id"))


def _meetings_attended(person_id: int) -> Q:
    """Meetings a person takes part in: as a participant, a member of the convening body, an owner of the
    compound whose owners' assembly it is, or the holder of a seat on one of its items (the developer's
    representative votes for units they do not own: without this their own open vote was hidden from them)."""
    seats = _ids(VoteSeatHolder, Q(person_id=person_id), "item_id")
    return (
        Q(id__in=_ids(dm.Participant, Q(person_id=person_id), "meeting_id"))
        | Q(convener_id__in=_ids(bm.Membership, Q(person_id=person_id), "body_id"))
        | Q(kind=MeetingKind.OWNERS_ASSEMBLY, compound_id__in=_owned_compounds(person_id))
        | Q(id__in=_ids(dm.AgendaItem, Q(id__in=seats), "meeting_id"))
    )


def _meetings_of_person(person_id: int) -> Q:
    # 区分所有权解释 art. 13: owners may consult the decisions and minutes of their compound's meetings once the
    # minutes are published (the notice board), though they took no part.
    return _meetings_attended(person_id) | Q(status=MeetingStatus.MINUTES_PUBLISHED,
                                             compound_id__in=_owned_compounds(person_id))


def _ballots_seen_by(person_id: int) -> Q:
    """A person's own ballots, and those of meetings they sit in (participants, the convening body) — never
    other owners' ballots merely because the minutes are published or the assembly is of their compound."""
    sat_in = (Q(id__in=_ids(dm.Participant, Q(person_id=person_id), "meeting_id"))
              | Q(convener_id__in=_ids(bm.Membership, Q(person_id=person_id), "body_id")))
    # The ballot of a seat the person holds (区分所有权解释 art. 9: co-owners share one ballot), whoever cast it.
    held = Q(person_id=person_id)
    own_seat = Q(item_id__in=_ids(VoteSeatHolder, held, "item_id"), seat_key__in=_ids(VoteSeatHolder, held, "seat_key"))
    return Q(voter_id=person_id) | own_seat | Q(item__meeting_id__in=_ids(dm.Meeting, sat_in))


def _fellow_posts(person_id: int) -> Q:
    """Memberships a person sees: their own, those of bodies they sit in, and their compounds' committees."""
    return (Q(person_id=person_id) | Q(body_id__in=_ids(bm.Membership, Q(person_id=person_id), "body_id"))
            | Q(body__compound_id__in=_owned_compounds(person_id)))


def _persons_named_in(meetings: Q, listings: Q, declarers: Q) -> Q:
    """Persons named by records the viewer reads: participants and voters of `meetings`, persons listed by
    `listings` (on ReserveListing), relatives declared by `declarers` (on DeclaredRelation)."""
    readable = _ids(dm.Meeting, meetings)
    return (
        Q(id__in=Subquery(dm.Participant.filter(meeting_id__in=readable).values("person_id")))
        | Q(id__in=Subquery(dm.Ballot.filter(item__meeting_id__in=readable).values("voter_id")))
        | Q(id__in=_ids(cm.ReserveListing, listings, "person_id"))
        | Q(id__in=_ids(cm.DeclaredRelation, declarers, "relative_id"))
    )


def _contracts_covering(compounds: Q) -> Subquery:
    return Subquery(fm.ContractCompound.filter(compounds).values("contract_id"))


def _firms_serving(compounds: Q) -> Subquery:
    return Subquery(fm.ContractCompound.filter(compounds).values("firm_id_copy"))


READ_POLICIES: dict[type[Model], Policy] = {
    # The territory and the firm register are public records (物业管理条例 art. 32: firms are registered;
    # compounds are addresses); the red/black list publication is 公示, readable without login.
    gm.Street: PUBLIC,
    gm.Community: PUBLIC,
    gm.Compound: PUBLIC,
    fm.PropertyFirm: PUBLIC,
    em.Publication: PUBLIC,
    # Organisations (居委会, 社区党组织, firms' bodies) are public bodies.
    bm.Body: PUBLIC,
    gm.Unit: Policy(
        street=lambda s: Q(compound__street_id=s),
        community=lambda c: Q(compound__community_id=c),
        person=lambda p: Q(id__in=_ids(gm.Ownership, Q(person_id=p), "unit_id")),
        why="the unit register is kept by staff of the territory; an owner reads their own units",
    ),
    cm.OwnersBody: Policy(
        street=lambda s: Q(compound__street_id=s),
        community=lambda c: Q(compound__community_id=c),
        person=lambda p: Q(compound_id__in=_owned_compounds(p))
        | Q(body_id__in=_ids(bm.Membership, Q(person_id=p), "body_id")),
        why="staff of the territory; the owners of the compound and the committee's own members",
    ),
    # PIPL arts. 28, 51: a person's record only where the viewer has a reason to know them. Whoever may read a
    # record naming a person (a post, a listing, a declaration, a ballot, a participation) may read that person.
    gm.Person: Policy(
        street=lambda s: t.persons_of_street(s) | _persons_named_in(Q(community__street_id=s),
                                                                    Q(compound__street_id=s),
                                                                    t.persons_of_street(s, "person_id")),
        community=lambda c: t.persons_of_community(c) | _persons_named_in(Q(community_id=c),
                                                                          Q(compound__community_id=c),
                                                                          t.persons_of_community(c, "person_id")),
        firm=lambda f: t.complainants_of_firm(f) | t.staff_of_firm(f),
        person=lambda p: Q(id=p)
        | Q(id__in=_ids(bm.Membership, _fellow_posts(p), "person_id"))
        | Q(id__in=_ids(cm.DeclaredRelation, Q(relative_id=p), "person_id"))
        | _persons_named_in(_meetings_of_person(p), Q(person_id=p), Q(person_id=p)),
        why="staff where the person owns, holds a post, filed a complaint, or is named in a record of their "
            "territory; the firm its complainants and staff; a person themself and those named with them",
    ),
    bm.Membership: Policy(
        street=lambda s: t.posts_in_street(s),
        community=lambda c: t.posts_in_community(c),
        firm=lambda f: Q(body_id__in=t.firm_body(f)),
        person=_fellow_posts,
        why="staff of the territory; the firm its own posts; a person their posts, their fellow members and their "
            "compound's committee",
    ),
    cm.CrossAppointment: Policy(
        street=lambda s: Q(street_id=s), community=lambda c: Q(community_id=c), person=lambda p: Q(person_id=p),
    ),
    # A negative listing names a criminal record: staff of the compound's territory and the person (PIPL art. 45).
    cm.ReserveListing: Policy(
        street=lambda s: Q(compound__street_id=s), community=lambda c: Q(compound__community_id=c),
        person=lambda p: Q(person_id=p),
    ),
    cm.DeclaredRelation: Policy(
        street=lambda s: t.persons_of_street(s, "person_id"),
        community=lambda c: t.persons_of_community(c, "person_id"),
        person=lambda p: Q(person_id=p) | Q(relative_id=p),
    ),
    qm.Complaint: Policy(
        street=lambda s: Q(street_id=s), community=lambda c: Q(community_id=c),
        firm=lambda f: Q(handler_id__in=t.firm_body(f)) | Q(accountable_id__in=t.firm_body(f)),
        person=lambda p: Q(complainant_person_id=p),
    ),
    fm.ServiceContract: Policy(
        street=lambda s: Q(id__in=_contracts_covering(Q(compound__street_id=s))),
        community=lambda c: Q(id__in=_contracts_covering(Q(compound__community_id=c))),
        firm=lambda f: Q(firm_id=f),
        person=lambda p: Q(id__in=_contracts_covering(Q(compound_id__in=_owned_compounds(p)))),
    ),
    em.Inspection: Policy(
        street=lambda s: Q(compound__street_id=s), community=lambda c: Q(compound__community_id=c),
        firm=lambda f: Q(firm_id=f),
    ),
    em.CreditEvent: Policy(
        street=lambda s: Q(firm_id__in=_firms_serving(Q(compound__street_id=s))),
        community=lambda c: Q(firm_id__in=_firms_serving(Q(compound__community_id=c))),
        firm=lambda f: Q(firm_id=f),
    ),
    em.Evaluation: Policy(
        street=lambda s: Q(street_id=s),
        community=lambda c: Q(street_id__in=_ids(gm.Community, Q(id=c), "street_id")),
        firm=lambda f: Q(id__in=_ids(em.EvaluationResult, Q(firm_id=f), "evaluation_id")),
    ),
    dm.Meeting: Policy(
        street=lambda s: Q(community__street_id=s), community=lambda c: Q(community_id=c),
        person=_meetings_of_person,
        why="staff of the territory; a person the meetings they attend, of bodies they sit in, and the owners' "
            "assemblies of their compound",
    ),
}
READ_POLICIES[dm.AgendaItem] = through(dm.Meeting, "meeting_id")
READ_POLICIES[Candidate] = through(dm.AgendaItem, "item_id")
READ_POLICIES[dm.Participant] = through(dm.Meeting, "meeting_id")
READ_POLICIES[dm.Minutes] = through(dm.Meeting, "meeting_id")
READ_POLICIES[dm.FollowUpTask] = through(dm.Meeting, "meeting_id")
_BALLOTS_AS_ITEMS = through(dm.AgendaItem, "item_id")
READ_POLICIES[dm.Ballot] = Policy(
    street=_BALLOTS_AS_ITEMS.street, community=_BALLOTS_AS_ITEMS.community, person=_ballots_seen_by,
    why="as its agenda item for staff; a person their own ballots and those of meetings they sit in",
)

def _register_notices() -> None:
    """Notice board, attachments, notifications and the outbox (issue 13): their rules live in their areas."""
    from domain.attachments.access import readable_attachments
    from domain.attachments.models import Attachment
    from domain.disclosures.access import readable_disclosures
    from domain.disclosures.models import Disclosure
    from domain.messaging.models import OutboxMessage
    from domain.notifications.access import readable_notifications, readable_outbox
    from domain.notifications.models import Notification

    READ_POLICIES[Disclosure] = ViewerPolicy(
        rule=readable_disclosures, why="anyone the kinds the law makes public; owners and staff their compound's board",
        partly_public="民法典 art. 943 and the credit scheme: the firm's red/black standing is public")
    READ_POLICIES[Attachment] = ViewerPolicy(
        rule=readable_attachments, why="as the record it is attached to; its uploader until it is attached",
        partly_public="the attachments of a public disclosure are as public as it")
    READ_POLICIES[Notification] = ViewerPolicy(
        rule=readable_notifications, why="its addressee only",
        addressed_only="a notification is one person's mail: centre staff see delivery in the outbox instead")
    READ_POLICIES[OutboxMessage] = ViewerPolicy(
        rule=readable_outbox, why="centre staff; street and community staff for owners of their territory")


_register_notices()
# Draft minutes are read by staff and by the people taking part, not through the notice board.
MEETING_DRAFT_READERS = Policy(
    street=lambda s: Q(community__street_id=s), community=lambda c: Q(community_id=c), person=_meetings_attended,
)


def policy_of(model: type[Model]) -> Policy:
    try:
        return READ_POLICIES[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} has no read policy: add it to READ_POLICIES in domain/access/policies.py"
        ) from None


def visible_queryset(model: type[Model], viewer: Viewer) -> Any:
    """Exactly the rows of `model` the viewer may read, as a queryset to filter, page and count further."""
    return model.filter(policy_of(model).condition(viewer))


def reads_every_row(model: type[Model], viewer: Viewer) -> bool:
    """Whether the viewer's condition on `model` is no condition (a public model, centre staff): then an object
    loaded from the database is readable without asking the database again."""
    condition = policy_of(model).condition(viewer)
    return not condition.children and not condition.filters


async def may_read(model: type[Model], viewer: Viewer, pk: int) -> bool:
    return await visible_queryset(model, viewer).filter(id=pk).exists()


async def readable_ids(model: type[Model], viewer: Viewer, ids: list[int]) -> set[int]:
    """The readable subset of `ids`, in one statement (for loaders)."""
    if not ids:
        return set()
    rows = await visible_queryset(model, viewer).filter(id__in=ids).values_list("id", flat=True)
    return set(rows)
