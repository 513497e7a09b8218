"""Global IDs and cursors written by SQLite itself (api.compiled.dialect.Sqlite._prefixed_id) are byte for byte
base64(prefix + id), for every prefix length and id length, the table lookup and the tx_b64 fallback alike."""

from __future__ import annotations

import base64
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from api.compiled.dialect import MAX_TABLE_DIGITS, Sqlite, b64

TYPES = ["Compound", "Street", "Unit", "AgendaItem", "OwnersCommittee", "X", "Ab"]  # prefixes of every length mod 3


def _encoded(type_name: str, ids: list[int | None]) -> list[tuple[str | None, str | None]]:
    connection = sqlite3.connect(":memory:")
    connection.create_function("tx_b64", 1, b64, deterministic=True)
    connection.execute("CREATE TABLE v (n INTEGER, id INTEGER)")
    connection.executemany("INSERT INTO v VALUES (?, ?)", list(enumerate(ids)))
    d = Sqlite()
    sql = f"SELECT {d.global_id(type_name, 'v.id')}, {d.cursor('v.id')} FROM v ORDER BY n"
    return connection.execute(sql, d.values).fetchall()


@given(st.sampled_from(TYPES), st.lists(st.integers(min_value=0, max_value=10**18), min_size=1, max_size=50))
def test_sqlite_writes_the_ids_python_writes(type_name, ids):
    for pk, (global_id, cursor) in zip(ids, _encoded(type_name, ids), strict=True):
        assert global_id == base64.b64encode(f"{type_name}:{pk}".encode()).decode()
        assert cursor == base64.b64encode(f"cursor:{pk}".encode()).decode()


def test_every_length_up_to_the_table_limit_and_past_it():
    ids = [int("7" * n) for n in range(1, MAX_TABLE_DIGITS + 4)] + [1, 10, 100, 999_999_999, 1_000_000_000]
    for type_name in TYPES:
        assert [g for g, _ in _encoded(type_name, ids)] == [
            base64.b64encode(f"{type_name}:{pk}".encode()).decode() for pk in ids]


def test_a_missing_id_stays_null():
    assert _encoded("Compound", [None]) == [(None, None)]
