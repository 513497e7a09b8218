"""docs/rule-packs.md is generated from the packs; every key of a current pack has a source note and is read by code."""

import re
from pathlib import Path

import pytest

from api.rulepack_table import current_files, key_sources, pack_rows, render

ROOT = Path(__file__).resolve().parents[1]
# Where rules read pack values. The loader and the model only declare them, and the pack display (schema
# rulePacks) only shows them: neither counts as enforcing a key.
NOT_READERS = ("domain/rulepacks/", "schema/rulepacks/", "api/rulepack_table.py")


def _code() -> str:
    files = [p for d in ("domain", "schema", "api") for p in (ROOT / d).rglob("*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files
                     if not str(p.relative_to(ROOT)).startswith(NOT_READERS))


def test_the_rule_pack_table_is_up_to_date():
    shown = (ROOT / "docs" / "rule-packs.md").read_text(encoding="utf-8")

    assert shown == render(), "docs/rule-packs.md is stale: run `python -m api rule-pack-table`"


def test_the_readme_links_the_rule_pack_table():
    assert "docs/rule-packs.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", current_files(), ids=lambda p: f"{p.parent.name}@{p.stem}")
def test_every_key_of_a_current_pack_names_its_source(path):
    missing = [key for key, _, note in pack_rows(path) if not note]

    assert missing == [], f"{path.parent.name}: keys without a source note: {missing}"


@pytest.mark.parametrize("path", current_files(), ids=lambda p: f"{p.parent.name}@{p.stem}")
def test_every_key_of_a_current_pack_is_read_by_a_rule(path):
    code = _code()
    unread = [key for key, _, _ in pack_rows(path) if not re.search(rf"\.{key.split('.', 1)[1]}\b", code)]

    assert unread == [], f"{path.parent.name}: keys no rule reads: {unread}"


def test_a_key_without_a_comment_has_no_source():
    notes = key_sources('name = "x"\n[meetings]\n# 物业管理条例 art. 14\nassembly_notice_days = 15\nother = 3\n')

    assert notes == {"meetings.assembly_notice_days": "物业管理条例 art. 14", "meetings.other": ""}
