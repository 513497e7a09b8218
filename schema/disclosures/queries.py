"""The notice board's reading: Compound.disclosures (called from the geography area) and node(id:)."""

from __future__ import annotations

from domain.disclosures.access import readable_disclosures
from domain.disclosures.models import Disclosure as DisclosureRow
from schema.core.context import Info
from schema.core.relay import Connection, PageArgs, paginate, parse_id, register_node
from schema.disclosures.types import Disclosure


async def compound_disclosures(info: Info, compound_id: int, first: int | None, after: str | None
                               ) -> Connection[Disclosure]:
    """Newest first; what the viewer may read (anonymous: only what the law makes public)."""
    query = DisclosureRow.filter(readable_disclosures(info.context.viewer), compound_id=compound_id)
    return await paginate(query, PageArgs(first=first, after=after), Disclosure.from_model, descending=True)


async def _visible_disclosure(info: Info, node: Disclosure) -> bool:
    parsed = parse_id(node.id)
    return parsed is not None and await DisclosureRow.filter(
        readable_disclosures(info.context.viewer), id=parsed[1]).exists()


register_node("Disclosure", DisclosureRow, Disclosure.from_model, visible=_visible_disclosure)
