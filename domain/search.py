"""Case-insensitive substring search that costs nothing extra when case cannot matter.

`icontains` is UPPER(column) LIKE UPPER(term). On SQLite UPPER is our Python function (api.sqlite_backend: SQLite's
own knows ASCII only), called for every row the filter looks at, and in a compiled read on a reader thread each
call also has to take the GIL back. Most searches here are Chinese (小区 names, addresses, complaint titles): a
term whose every character is caseless (CJK, digits, spaces, punctuation) matches UPPER(x) exactly where it
matches x, because upper-casing maps those characters to themselves and never produces them from other
characters (checked over all of Unicode in tests/domain/test_search.py). Such a term is matched with plain LIKE.
"""

from __future__ import annotations

import unicodedata
from functools import reduce
from operator import or_

from tortoise.expressions import Q

# Categories whose characters case mappings neither change nor produce: other letters (汉字, kana), decimal digits,
# spaces, punctuation. Letters with case (Lu/Ll/Lt), modifiers (Lm) and combining marks (M*) are left out.
_CASELESS_CATEGORIES = frozenset({"Lo", "Nd", "Zs", "Po", "Pd", "Ps", "Pe"})


def is_caseless(term: str) -> bool:
    return all(unicodedata.category(c) in _CASELESS_CATEGORIES and c.upper() == c == c.lower() for c in term)


def contains_any(fields: tuple[str, ...], term: str) -> Q:
    """Q(field1 contains term, case-insensitively) | Q(field2 ...) | ..."""
    lookup = "contains" if is_caseless(term) else "icontains"
    return reduce(or_, (Q(**{f"{field}__{lookup}": term}) for field in fields))
