"""The JSON-building SQL of PostgreSQL and SQLite, side by side: the compiler writes one tree for both."""

from __future__ import annotations

import base64
from typing import Any


def b64(text: str | None) -> str | None:
    """Registered on SQLite connections as tx_b64: global IDs and cursors are base64 (SQLite has no encoder)."""
    return None if text is None else base64.b64encode(str(text).encode()).decode()


class Dialect:
    name = ""

    def __init__(self) -> None:
        self.values: Any = None
        self._named: dict[str, str] = {}

    def param(self, key: str, value: Any) -> str:  # pragma: no cover - per dialect
        raise NotImplementedError

    def obj(self, pairs: list[tuple[str, str]]) -> str:  # pragma: no cover
        raise NotImplementedError

    def subquery_json(self, sql: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def array(self, element: str, source: str, order: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def boolean(self, expr: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def base64(self, expr: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def text(self, expr: str) -> str:
        return f"CAST({expr} AS TEXT)"

    @staticmethod
    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def global_id(self, type_name: str, pk: str) -> str:
        return self.base64(f"{self.literal(type_name + ':')} || {pk}")

    def cursor(self, pk: str) -> str:
        return self.base64(f"'cursor:' || {pk}")

    def share(self, numerator: str, denominator: str, places: int) -> str:
        """numerator / denominator rounded half-up to `places` decimals, as the text Decimal.quantize gives."""
        raise NotImplementedError  # pragma: no cover


class Postgres(Dialect):
    name = "postgres"

    def __init__(self) -> None:
        super().__init__()
        self.values = []

    def param(self, key: str, value: Any) -> str:
        if key not in self._named:
            self.values.append(value)
            self._named[key] = f"${len(self.values)}"
        return self._named[key]

    def obj(self, pairs: list[tuple[str, str]]) -> str:
        return "json_build_object(" + ", ".join(f"{self.literal(k)}, {v}" for k, v in pairs) + ")"

    def subquery_json(self, sql: str) -> str:
        return f"({sql})"

    def array(self, element: str, source: str, order: str) -> str:
        return f"COALESCE((SELECT json_agg({element} ORDER BY {order}) {source}), '[]'::json)"

    def boolean(self, expr: str) -> str:
        return f"({expr})"

    def base64(self, expr: str) -> str:
        return f"encode(convert_to({expr}, 'UTF8'), 'base64')"

    def text(self, expr: str) -> str:
        return f"({expr})::text"

    def share(self, numerator: str, denominator: str, places: int) -> str:
        # round() on numeric rounds half away from zero: half-up for the non-negative shares here.
        return f"(round(({numerator})::numeric / ({denominator}), {places}))::text"


class Sqlite(Dialect):
    name = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.values = {}

    def param(self, key: str, value: Any) -> str:
        # Tortoise stores dates as ISO text on SQLite.
        self.values[key] = value.isoformat() if hasattr(value, "isoformat") else value
        return f":{key}"

    def obj(self, pairs: list[tuple[str, str]]) -> str:
        return "json_object(" + ", ".join(f"{self.literal(k)}, {v}" for k, v in pairs) + ")"

    def subquery_json(self, sql: str) -> str:
        # A value leaving a subquery loses its JSON subtype: json() restores it (json(NULL) is NULL).
        return f"json(({sql}))"

    def array(self, element: str, source: str, order: str) -> str:
        rows = f"SELECT {element} AS e {source} ORDER BY {order}"
        return f"json(COALESCE((SELECT json_group_array(json(e)) FROM ({rows})), '[]'))"

    def boolean(self, expr: str) -> str:
        return f"json(CASE WHEN ({expr}) IS NULL THEN NULL WHEN ({expr}) THEN 'true' ELSE 'false' END)"

    def base64(self, expr: str) -> str:
        return f"tx_b64({expr})"

    def share(self, numerator: str, denominator: str, places: int) -> str:
        scale = 10**places
        # Integer half-up rounding, then the fixed-point text: no float ever rounds a tie the other way.
        q = f"((({numerator}) * {2 * scale} + ({denominator})) / (2 * ({denominator})))"
        return f"printf('%d.%0{places}d', {q} / {scale}, {q} % {scale})"


def dialect_for(client: Any) -> Dialect:
    return Sqlite() if "sqlite" in type(client).__module__ else Postgres()
