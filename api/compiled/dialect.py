"""The JSON-building SQL of PostgreSQL and SQLite, side by side: the compiler writes one tree for both."""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any


class Instant:
    """The request's instant as a statement parameter: compiled statements are cached per day, so an expression
    over "now" (a complaint's isOverdue) binds it per request (`bind_instant`) and its answer is never stored in
    the response cache (keyed by day, not by instant)."""

    def __repr__(self) -> str:
        return "NOW"


NOW = Instant()


def uses_instant(values: Any) -> bool:
    return any(v is NOW for v in (values.values() if isinstance(values, dict) else values))


def bind_instant(values: Any, now: datetime) -> Any:
    """The parameters with the request's instant in place of NOW (stored as tortoise stores it on SQLite)."""
    if isinstance(values, dict):
        if not uses_instant(values):
            return values
        return {k: now.isoformat(" ") if v is NOW else v for k, v in values.items()}
    return [now if v is NOW else v for v in values] if uses_instant(values) else values


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

    def instant(self, expr: str) -> str:
        """A timestamp as strawberry's DateTime shows what tortoise reads (use_tz, UTC): datetime.isoformat(),
        e.g. 2026-12-01T03:28:53.653565+00:00, the fraction only when there is one."""
        raise NotImplementedError  # pragma: no cover

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

    def instant(self, expr: str) -> str:
        utc = f"(({expr}) AT TIME ZONE 'UTC')"
        return (f"(CASE WHEN {expr} IS NULL THEN NULL ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
                f" || (CASE WHEN date_trunc('second', {utc}) = {utc} THEN '' ELSE to_char({utc}, '.US') END)"
                f" || '+00:00' END)")

    def share(self, numerator: str, denominator: str, places: int) -> str:
        # round() on numeric rounds half away from zero: half-up for the non-negative shares here.
        return f"(round(({numerator})::numeric / ({denominator}), {places}))::text"


# Ids up to 999,999,999 are encoded by SQLite itself (Sqlite._prefixed_id); longer ones by tx_b64.
MAX_TABLE_DIGITS = 9


class Sqlite(Dialect):
    name = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.values = {}

    def param(self, key: str, value: Any) -> str:
        # Tortoise stores dates and timestamps as ISO text on SQLite (its adapters: date.isoformat(),
        # datetime.isoformat(" ")); a timestamp in the other form would compare wrongly as text.
        if isinstance(value, datetime):
            value = value.isoformat(" ")
        elif isinstance(value, date):
            value = value.isoformat()
        self.values[key] = value
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

    def instant(self, expr: str) -> str:
        # Stored as tortoise writes it ("2026-12-01 03:28:53.653565+00:00"): strftime converts any offset to UTC;
        # the fraction (microseconds, six digits when present) is copied from the text.
        return (f"(CASE WHEN {expr} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S', {expr})"
                f" || (CASE WHEN substr({expr}, 20, 1) = '.' THEN substr({expr}, 20, 7) ELSE '' END)"
                f" || '+00:00' END)")

    def global_id(self, type_name: str, pk: str) -> str:
        return self._prefixed_id((type_name + ":").encode(), pk)

    def cursor(self, pk: str) -> str:
        return self._prefixed_id(b"cursor:", pk)

    def _prefixed_id(self, prefix: bytes, pk: str) -> str:
        """base64(prefix + decimal pk) in SQLite's own SQL. tx_b64 is a Python function: on a reader thread
        (api.compiled.sqlite_readers) each call takes the GIL back from the event loop, which cost ~40% of a
        compiled read's throughput. The prefix's whole 3-byte groups encode to a constant; each following group
        holds at most 3 digits, looked up in a table of the 10^d encodings bound as a parameter. Ids beyond
        MAX_TABLE_DIGITS digits take tx_b64."""
        whole = len(prefix) - len(prefix) % 3
        head, tail = base64.b64encode(prefix[:whole]).decode(), prefix[whole:]
        digits = f"CAST({pk} AS TEXT)"
        groups = []
        offset = 0  # digits before this group
        while offset < MAX_TABLE_DIGITS:
            carried = tail if offset == 0 else b""
            size = 3 - len(carried)  # digits this group holds when it is full
            full = self._lookup(carried, size, digits, offset)
            branches = [f"WHEN length({digits}) - {offset} >= {size} THEN {full}"]
            branches += [f"WHEN length({digits}) - {offset} = {d} THEN {self._lookup(carried, d, digits, offset)}"
                         for d in range(size - 1, 0, -1)]
            groups.append(f"CASE {' '.join(branches)} ELSE '' END")
            offset += size
        native = " || ".join([self.literal(head), *groups]) if head else " || ".join(groups)
        fallback = self.base64(f"{self.literal(prefix.decode())} || {pk}")
        return (f"(CASE WHEN {pk} IS NULL THEN NULL WHEN length({digits}) <= {MAX_TABLE_DIGITS} THEN {native}"
                f" ELSE {fallback} END)")

    def _lookup(self, carried: bytes, count: int, digits: str, offset: int) -> str:
        key = f"b64_{carried.hex()}_{count}"
        if key not in self.values:
            self.param(key, "".join(base64.b64encode(carried + str(i).zfill(count).encode()).decode()
                                    for i in range(10**count)))
        return f"substr(:{key}, CAST(substr({digits}, {offset + 1}, {count}) AS INTEGER) * 4 + 1, 4)"

    def share(self, numerator: str, denominator: str, places: int) -> str:
        scale = 10**places
        # Integer half-up rounding, then the fixed-point text: no float ever rounds a tie the other way.
        q = f"((({numerator}) * {2 * scale} + ({denominator})) / (2 * ({denominator})))"
        return f"printf('%d.%0{places}d', {q} / {scale}, {q} % {scale})"


def dialect_for(client: Any) -> Dialect:
    return Sqlite() if "sqlite" in type(client).__module__ else Postgres()
