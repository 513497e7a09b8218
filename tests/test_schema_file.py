"""schema.graphql in the repository is what the code serves: clients generate code from it."""

from pathlib import Path

from schema.root import schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_exported_schema_is_current():
    assert SCHEMA_FILE.exists(), "run: python -m api export-schema"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema.graphql is stale: run `python -m api export-schema`"
    )
