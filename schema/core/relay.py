"""Relay: global IDs, the Node interface, and connections with totalCount and keyset cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from tortoise.queryset import QuerySet

from domain.errors import ErrorCode, RuleViolation

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


def encode_id(type_name: str, pk: int | str) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{pk}".encode()).decode())


def parse_id(global_id: str) -> tuple[str, int] | None:
    try:
        type_name, _, pk = base64.b64decode(str(global_id).encode(), validate=True).decode().partition(":")
        return (type_name, int(pk)) if type_name and pk else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def decode_id(global_id: str | None, expected: str | Iterable[str], field: str | tuple[str, ...]) -> int:
    """The primary key behind a global ID of one of the expected types, or a payload error naming the field."""
    names = {expected} if isinstance(expected, str) else set(expected)
    parsed = parse_id(global_id) if global_id is not None else None
    if parsed is None or parsed[0] not in names:
        raise RuleViolation(
            ErrorCode.INVALID, f"ID 无效：{global_id}", field, en=f"Not an ID of {'/'.join(sorted(names))}"
        )
    return parsed[1]


def decode_ids(global_ids: list[str], expected: str, field: str) -> list[int]:
    return [decode_id(g, expected, field) for g in global_ids]


def query_id(global_id: str, expected: str) -> int | None:
    """For query arguments: None when the ID is of another type (the object does not exist)."""
    parsed = parse_id(global_id)
    if parsed is None:
        raise GraphQLError(f"Malformed ID: {global_id}", extensions={"code": "INVALID"})
    return parsed[1] if parsed[0] == expected else None


def filter_id(global_id: str, expected: str) -> int:
    """For filter arguments: a malformed or foreign ID is a request error (GraphQL error), not a payload error."""
    parsed = parse_id(global_id)
    if parsed is None or parsed[0] != expected:
        raise GraphQLError(f"Not an ID of {expected}: {global_id}", extensions={"code": "INVALID"})
    return parsed[1]


@strawberry.interface(description="可寻址对象 — an object with a global ID (Relay)")
class Node:
    id: strawberry.ID


@strawberry.type(description="分页信息 — Relay page info")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="边 — a node with its cursor")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="连接 — a page of a list with the total count")
class Connection(Generic[T]):
    page_info: PageInfo
    edges: list[Edge[T]]
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="总数 — number of items matching the filter, all pages")
    async def total_count(self) -> int:
        return await self._count()


def encode_cursor(pk: int) -> str:
    return base64.b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        prefix, _, pk = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        if prefix == "cursor":
            return int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise GraphQLError(f"Malformed cursor: {cursor}", extensions={"code": "INVALID"})


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def size(self) -> tuple[int, bool]:
        """Page size and whether it counts from the end; a size over MAX_PAGE is an error, not a silent cut."""
        if self.first is not None and self.last is not None:
            raise GraphQLError("Pass first or last, not both", extensions={"code": "INVALID"})
        for name, value in (("first", self.first), ("last", self.last)):
            if value is not None and not 0 <= value <= MAX_PAGE:
                raise GraphQLError(f"{name} must lie between 0 and {MAX_PAGE}", extensions={"code": "INVALID"})
        if self.last is not None:
            return self.last, True
        return (self.first if self.first is not None else DEFAULT_PAGE), False


async def paginate(
    query: QuerySet[Any], page: PageArgs, to_node: Callable[[Any], T], *, descending: bool = False
) -> Connection[T]:
    """Keyset pagination over the primary key: stable under inserts, one query for the page (+1 row to peek)."""
    size, from_end = page.size()
    after, before = decode_cursor(page.after), decode_cursor(page.before)
    counted = query
    if after is not None:
        query = query.filter(id__lt=after) if descending else query.filter(id__gt=after)
    if before is not None:
        query = query.filter(id__gt=before) if descending else query.filter(id__lt=before)
    ascending_key, descending_key = ("-id", "id") if descending else ("id", "-id")
    rows = list(await query.order_by(descending_key if from_end else ascending_key).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if from_end:
        rows.reverse()
    edges = [Edge(cursor=encode_cursor(row.pk), node=to_node(row)) for row in rows]

    async def count() -> int:
        return await counted.count()

    return Connection(
        page_info=PageInfo(
            has_next_page=more and not from_end or (from_end and before is not None),
            has_previous_page=more and from_end or (not from_end and after is not None),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
        _count=count,
    )


@dataclass(frozen=True)
class NodeKind:
    model: Any
    convert: Callable[[Any], Any]
    # Whether this viewer may see the presented node; None: anyone who knows the ID.
    visible: Callable[[Any, Any], Awaitable[bool]] | None = None


# Filled by each area module at import: the type name of a global ID -> how to load and present it.
NODE_KINDS: dict[str, NodeKind] = {}


def register_node(
    type_name: str, model: Any, convert: Callable[[Any], Any],
    *, visible: Callable[[Any, Any], Awaitable[bool]] | None = None,
) -> None:
    NODE_KINDS[type_name] = NodeKind(model, convert, visible)


async def load_node(info: Any, global_id: str) -> Any:
    parsed = parse_id(global_id)
    if parsed is None:
        raise GraphQLError(f"Malformed ID: {global_id}", extensions={"code": "INVALID"})
    kind = NODE_KINDS.get(parsed[0])
    if kind is None:
        return None
    row = await info.context.loaders.by_id(kind.model).load(parsed[1])
    if row is None:
        return None
    node = kind.convert(row)
    if kind.visible is not None and not await kind.visible(info, node):
        return None
    return node
