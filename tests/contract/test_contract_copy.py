"""The project's copy of the client operations (tests/contract/operations/) equals the workspace's shared contract.

The copy lets the suite run in any clone; when ../shared/contract exists beside the checkout (the workspace where
the clients publish it), any difference fails, so the two cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contract.operations import CONTRACT_DIR, SHARED_CONTRACT_DIR


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_project_holds_its_own_copy_of_the_contract():
    files = _tree(CONTRACT_DIR)
    assert any(name.endswith(".graphql") for name in files), f"no operations under {CONTRACT_DIR}"


@pytest.mark.skipif(not SHARED_CONTRACT_DIR.is_dir(), reason=f"{SHARED_CONTRACT_DIR} absent (not in the workspace)")
def test_the_copy_equals_the_shared_contract_byte_for_byte():
    copy, shared = _tree(CONTRACT_DIR), _tree(SHARED_CONTRACT_DIR)
    assert sorted(copy) == sorted(shared), "files differ: copy -> shared/contract with `cp -a ../shared/contract/. tests/contract/operations/`"
    changed = [name for name in shared if copy[name] != shared[name]]
    assert changed == [], f"{changed} differ from {SHARED_CONTRACT_DIR}"
