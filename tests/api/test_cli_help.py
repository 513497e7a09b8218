"""The CLI for a newcomer: roles listed in --help, global IDs (as the API shows them) accepted for anchors."""

from __future__ import annotations

import argparse
import base64
import sqlite3

import pytest

from api.cli import _id_of
from domain.accounts.rules import Role
from tests.api.test_cli import PASSWORD, alice_on_sqlite, run_cli  # noqa: F401 - the fixture is used by name


def gid(type_name: str, number: int) -> str:
    return base64.b64encode(f"{type_name}:{number}".encode()).decode()


def test_a_global_id_or_a_number_gives_the_database_number():
    street = _id_of("Street")

    assert street(gid("Street", 7)) == 7
    assert street("7") == 7
    for wrong in (gid("Person", 7), "not-an-id", gid("Street", 0)[:-2] + "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            street(wrong)


def test_create_user_help_lists_every_role(alice_on_sqlite):  # noqa: F811
    result = run_cli(alice_on_sqlite, "create-user", "--help")

    assert result.returncode == 0
    for role in Role:
        assert role.value in result.stdout
    assert "global ID" in result.stdout


def test_create_user_takes_the_street_by_its_global_id(alice_on_sqlite):  # noqa: F811
    path = alice_on_sqlite.split("sqlite://", 1)[1]
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO street (name, rule_pack, created_at) VALUES ('东城街道', 'national', '2026-01-01')")
        street_id = conn.execute("SELECT max(id) FROM street").fetchone()[0]

    made = run_cli(alice_on_sqlite, "create-user", "staffer", "--role", "STREET_STAFF",
                   "--street-id", gid("Street", street_id), "--password-stdin", stdin=PASSWORD + "\n")
    wrong_type = run_cli(alice_on_sqlite, "create-user", "other", "--role", "STREET_STAFF",
                         "--street-id", gid("Person", street_id), "--password-stdin", stdin=PASSWORD + "\n")

    assert made.returncode == 0, made.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT street_id FROM account WHERE username='staffer'").fetchone() == (street_id,)
    assert wrong_type.returncode == 2 and "is not the ID of a Street" in wrong_type.stderr
