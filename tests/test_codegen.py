"""codegen.ts (GraphQL Code Generator, client preset) runs against schema.graphql and the contract's operations,
and types the custom scalars as strings, never `unknown`. Node packages go to a scratch folder outside the
repository (pinned versions); without node/npm or the registry the test skips with the reason (outside CI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from graphql import parse, validate

from schema.root import schema
from tests.contract.operations import CONTRACT_DIR, contract_operations

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["@graphql-codegen/cli@7.4.3", "@graphql-codegen/client-preset@6.2.0", "graphql@16.15.0",
            "typescript@5.9.3"]
SCRATCH = Path(tempfile.gettempdir()) / ("tongxin-codegen-" + "-".join(p.rsplit("@", 1)[1] for p in PACKAGES))


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true" and shutil.which("npm"):
        pytest.fail(reason)
    pytest.skip(reason)


def _node_modules() -> Path:
    if not (shutil.which("node") and shutil.which("npm")):
        _skip_or_fail("node/npm not installed")
    modules = SCRATCH / "node_modules"
    if not (modules / ".bin" / "graphql-codegen").exists():
        SCRATCH.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(SCRATCH), *PACKAGES],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            _skip_or_fail(f"npm install failed (registry unreachable?): {done.stderr[-500:]}")
    return modules


def test_codegen_types_every_contract_operation_with_string_scalars(tmp_path):
    modules = _node_modules()
    # The example as shipped, in a copy of the layout it expects; only operations the schema already serves
    # (PENDING ones belong to other branches and would fail the generation).
    shutil.copy(REPO / "codegen.ts", tmp_path / "codegen.ts")
    shutil.copy(REPO / "schema.graphql", tmp_path / "schema.graphql")
    (tmp_path / "node_modules").symlink_to(modules)
    documents = tmp_path / "tests" / "contract" / "operations"
    served = [op for op in contract_operations() if not validate(schema._schema, parse(op.document))]
    for op in served:
        target = documents / op.file
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as out:
            out.write(op.document + "\n\n")
    assert CONTRACT_DIR.is_dir() and len(served) >= 40

    run = subprocess.run([str(modules / ".bin" / "graphql-codegen"), "--config", "codegen.ts"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    generated = (tmp_path / "generated" / "graphql" / "graphql.ts").read_text(encoding="utf-8")
    # The client preset writes only the operations' types: each custom scalar shows as `string` in them.
    for field in ("totalExclusiveArea: string",  # Decimal
                  "termEndsOn: string",  # Date
                  "receivedAt: string",  # DateTime
                  "period: string"):  # Period
        assert field in generated, field
    assert re.findall(r"\w+: unknown", generated) == []
    assert "CompoundListQuery" in generated and "LoginMutation" in generated

    # A front end's use of a Decimal field type-checks as a string, and not as a number.
    (tmp_path / "use.ts").write_text(
        'import type { CompoundListQuery } from "./generated/graphql/graphql";\n'
        "declare const page: CompoundListQuery;\n"
        "const area: string | undefined = page.compounds.edges[0]?.node.totalExclusiveArea;\n"
        "// @ts-expect-error a Decimal is not a number\n"
        "const wrong: number | undefined = page.compounds.edges[0]?.node.totalExclusiveArea;\n"
        "export { area, wrong };\n", encoding="utf-8")
    check = subprocess.run([str(modules / ".bin" / "tsc"), "--noEmit", "--strict", "--skipLibCheck",
                            "--moduleResolution", "bundler", "--module", "esnext", "--target", "es2020", "use.ts"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-3000:]
