"""Reads the client contract: every operation of every .graphql file, by name.

The project owns its copy of the client operations (tests/contract/operations/, the same tree as the
workspace's ../shared/contract), so the tests pass in any clone; test_contract_copy.py fails when the two differ.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from graphql import DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, parse, print_ast

REPO = Path(__file__).resolve().parents[2]
CONTRACT_DIR = Path(os.environ.get("TONGXIN_CONTRACT_DIR", Path(__file__).resolve().parent / "operations"))
# The workspace's shared contract, when this checkout sits beside it: the in-repo copy must equal it byte for byte.
SHARED_CONTRACT_DIR = REPO.parent / "shared" / "contract"


@dataclass(frozen=True)
class Operation:
    name: str
    kind: str  # query | mutation | subscription
    file: str
    document: str  # the operation with the fragments it uses, as written


def _fragments_used(node: OperationDefinitionNode | FragmentDefinitionNode, fragments: dict[str, FragmentDefinitionNode]) -> set[str]:
    used: set[str] = set()
    text = print_ast(node)
    for name in fragments:
        if f"...{name}" in text and name not in used:
            used.add(name)
            used |= _fragments_used(fragments[name], fragments)
    return used


def contract_operations() -> list[Operation]:
    operations: list[Operation] = []
    for path in sorted(CONTRACT_DIR.rglob("*.graphql")):
        document: DocumentNode = parse(path.read_text(encoding="utf-8"))
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
                parts = [print_ast(definition)] + [
                    print_ast(fragments[f]) for f in sorted(_fragments_used(definition, fragments))
                ]
                operations.append(Operation(
                    name=definition.name.value, kind=definition.operation.value,
                    file=str(path.relative_to(CONTRACT_DIR)), document="\n\n".join(parts),
                ))
    return operations
