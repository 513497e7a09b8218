"""Who may read an attachment, as a tortoise Q over Attachment (for the read-policy table): the owning record's
read policy, plus the uploader before the file is attached. Signed links are handed out under the same rule."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from domain.accounts.rules import Viewer
from domain.attachments.rules import OwnerKind


def readable_attachments(viewer: Viewer, *, firm_body_id: int | None = None) -> Q:
    from domain.complaints.queries import visible_orders
    from domain.disclosures.access import readable_disclosures
    from domain.disclosures.models import Disclosure

    disclosures = Disclosure.filter(readable_disclosures(viewer)).values("id")
    allowed = Q(owner_kind=OwnerKind.DISCLOSURE, owner_id__in=Subquery(disclosures))
    if viewer.is_authenticated:
        complaints = visible_orders(viewer, firm_body_id).values("id")
        allowed |= Q(owner_kind=OwnerKind.COMPLAINT, owner_id__in=Subquery(complaints))
        allowed |= Q(owner_kind__isnull=True, uploaded_by_id=viewer.account_id)
    return allowed
