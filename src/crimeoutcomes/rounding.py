"""Half-up rounding, the one rule every printed figure follows (publish/words/numbers.py formats with it) and the rule
analysis uses where a statement is judged at the printed precision ("the same as the national rate", "joint ninth":
two figures that print alike are alike to a reader)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def half_up(x: float, decimals: int) -> Decimal:
    """x rounded as a reader rounds (43.05 -> 43.1, 2.5 -> 3), on its shortest decimal form (so 0.285 is 0.29)."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
