from decimal import Decimal
from fractions import Fraction

import pytest

from domain.evaluation.overview import share


@pytest.mark.parametrize(
    ("_case", "part", "whole", "expected"),
    [
        ("the seeds' committee formation rate", 46, 100, Decimal("0.4600")),
        ("a repeating share is rounded half up", 2, 3, Decimal("0.6667")),
        ("a fraction from the committees area", Fraction(1, 2), None, Decimal("0.5000")),
        ("nothing to divide by", 0, 0, None),
        ("no figure at all", None, None, None),
    ],
)
def test_a_share_has_four_decimals_and_is_null_without_a_denominator(_case, part, whole, expected):
    assert share(part, whole) == expected
