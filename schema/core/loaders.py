"""Per-request DataLoaders: one batched query per relation and request, whatever the list length.

Every relation goes through here (conventions.md): `by_id(Model)` loads rows by primary key,
`children(Model, "fk_id")` loads the rows pointing at each key, and areas register named loaders with `custom`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

M = TypeVar("M", bound=Model)


class Loaders:
    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def by_id(self, model: type[M]) -> DataLoader[int, M | None]:
        key = ("by_id", model)
        if key not in self._loaders:

            async def load(ids: Sequence[int]) -> list[M | None]:
                rows = {row.pk: row for row in await model.filter(pk__in=list(set(ids)))}
                return [rows.get(i) for i in ids]

            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def children(self, model: type[M], fk: str, *, order_by: str = "id", **filters: Any) -> DataLoader[int, list[M]]:
        key = ("children", model, fk, order_by, tuple(sorted(filters.items())))
        if key not in self._loaders:

            async def load(ids: Sequence[int]) -> list[list[M]]:
                grouped: dict[int, list[M]] = defaultdict(list)
                query = model.filter(**{f"{fk}__in": list(set(ids))}, **filters).order_by(order_by)
                for row in await query:
                    grouped[getattr(row, fk)].append(row)
                return [grouped.get(i, []) for i in ids]

            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def custom(self, name: Hashable, load: Callable[[Sequence[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
        """A loader an area defines itself (e.g. the serving firm of each compound on a date)."""
        if name not in self._loaders:
            self._loaders[name] = DataLoader(load_fn=load)
        return self._loaders[name]
