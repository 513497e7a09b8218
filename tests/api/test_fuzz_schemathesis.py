"""A bounded schemathesis run in GraphQL mode (issue 15 item 7): documents generated from the schema for every
root field, sent anonymously and as a centre administrator; none may produce a 5xx or a masked fault.

Schemathesis generates the documents (hypothesis, generate phase only, no example database); they are sent
through the ASGI app on the test's database, so the run covers both backends. Two examples per operation and
role keep it to a few hundred requests.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from domain.accounts.rules import Role
from schema.root import schema as app_schema
from tests.conftest import make_token
from tests.contract.scenario import build_scenario

EXAMPLES_PER_OPERATION = 2
MASKED = "Unexpected error."
SKIPPED = {"Mutation.logout"}  # would revoke the token the rest of the run uses

schemathesis.graphql.scalar("Period", st.sampled_from(
    ["2026-Q3", "2026-H1", "2026", "2026-Q5", "9999", "0000", "26-Q1", ""]).map(nodes.String))
# A file travels as a multipart part, never inline in a document: an inline value can only be null (or junk).
schemathesis.graphql.scalar("Upload", st.sampled_from([nodes.Null, nodes.String("not a file")]))
schemathesis.graphql.scalar("Decimal", st.sampled_from(
    ["89.50", "-1", "1e400", "NaN", "abc", "0.000000001"]).map(nodes.String))


def _documents() -> list[tuple[str, str]]:
    loaded = schemathesis.graphql.from_file(app_schema.as_str())
    documents: list[tuple[str, str]] = []
    for result in loaded.get_all_operations():
        operation = result.ok()
        if operation.label in SKIPPED:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, database=None, deadline=None, phases=[Phase.generate],
                  derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def collect(case: Any) -> None:
            documents.append((operation.label, case.body))

        collect()
    return documents


DOCUMENTS = _documents()


async def test_no_generated_document_gives_a_server_error_or_a_masked_fault(client, db):
    await build_scenario()
    tokens = {"anonymous": None, "centre admin": await make_token(Role.CENTRE_ADMIN, username="fuzz-admin")}
    faults: list[str] = []

    for label, document in DOCUMENTS:
        for who, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post("/graphql", json={"query": document}, headers=headers)
            body = response.json() if response.headers.get("content-type", "").startswith("application/") else {}
            messages = [e.get("message") for e in body.get("errors", [])] if isinstance(body, dict) else []
            if response.status_code >= 500 or MASKED in messages:
                faults.append(f"{label} as {who}: {response.status_code} {messages[:1]}\n{document}")

    assert len(DOCUMENTS) >= 150
    assert faults == [], f"{len(faults)} faults, first ones:\n" + "\n\n".join(faults[:5])
