"""Masks over pandas columns that test each distinct value once, not each row (a categorical column of the tidy
table holds a few dozen values over millions of rows): shared by the analysis and the CSV writer."""

from __future__ import annotations

import numpy as np
import pandas as pd


def category_mask(series: pd.Series, keep) -> np.ndarray:
    """Rows of a categorical column whose category passes `keep`, tested once per category (a missing value never
    passes: its code, -1, takes the last entry)."""
    wanted = np.array([bool(keep(c)) for c in series.cat.categories] + [False])
    return wanted[series.cat.codes.to_numpy()]
