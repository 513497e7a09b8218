"""domain.search: a caseless term is matched with plain LIKE; it must find exactly what UPPER(x) LIKE UPPER(term)
finds, for every string. The proof is over Unicode: case mappings neither change nor produce caseless characters."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from domain.search import contains_any, is_caseless


def _case_images(ch: str) -> set[str]:
    return {ch.upper(), ch.lower(), ch.casefold(), ch.title()} - {ch}


def test_no_case_mapping_changes_or_produces_a_character_a_caseless_term_may_hold():
    produced = {c for cp in range(sys.maxunicode + 1) for image in _case_images(chr(cp)) for c in image}
    allowed = [chr(cp) for cp in range(sys.maxunicode + 1) if is_caseless(chr(cp))]
    assert len(allowed) > 90_000  # the CJK ideographs are all in
    assert not [c for c in allowed if _case_images(c)]
    assert not [c for c in allowed if c in produced]


def test_chinese_digits_and_punctuation_are_caseless_letters_with_case_are_not():
    assert is_caseless("花园") and is_caseless("3号楼 2单元") and is_caseless("（一期）")
    assert not is_caseless("Garden") and not is_caseless("ß") and not is_caseless("ＡＢＣ") and not is_caseless("ⅰ")


CASELESS = st.text(st.characters(categories=["Lo", "Nd", "Zs", "Po"]), min_size=1, max_size=3).filter(is_caseless)


@given(st.lists(st.one_of(st.text(), CASELESS)).map("".join), CASELESS)
def test_a_caseless_term_matches_a_text_exactly_where_its_upper_case_matches(text, term):
    assert (term in text) == (term.upper() in text.upper())


def test_the_lookup_follows_the_term():
    assert "name__contains" in repr(contains_any(("name",), "花园").filters)
    assert "name__icontains" in repr(contains_any(("name",), "garden").filters)
    both = contains_any(("name", "address"), "花园")
    assert both.join_type == "OR" and len(both.children) == 2
