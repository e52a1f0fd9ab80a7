"""Periods as lists of financial quarters.

The raw tables run by financial quarter (Q1 = April-June ... Q4 = January-March). Every period a claim can name is a
run of those quarters:

    calendar 2018                   2017/18 Q4 + 2018/19 Q1-Q3
    financial year 2018/19          2018/19 Q1-Q4          (also "2018/19", "year ending March 2019")
    2018/19 Q1                      one quarter
    2018/19 Q1-Q2, 2017/18 Q3-2018/19 Q2   a run of quarters
    year ending September 2018      the four quarters ending with September 2018 (March, June, September, December)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH_QUARTER = {"march": 4, "june": 1, "september": 2, "december": 3}  # the financial quarter a month ends
QUARTER_END_MONTH = {q: m.capitalize() for m, q in MONTH_QUARTER.items()}
KINDS = ("calendar", "financial", "year ending", "quarters")


def fy_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def _index(fy: str, q: int) -> int:
    """A financial quarter as a running number (consecutive quarters differ by 1)."""
    return int(fy[:4]) * 4 + (q - 1)


def _quarter(index: int) -> tuple[str, int]:
    return fy_label(index // 4), index % 4 + 1


def next_quarter(fy: str, q: int) -> tuple[str, int]:
    """The quarter after ('2018/19', 4) is ('2019/20', 1)."""
    return _quarter(_index(fy, q) + 1)


@dataclass(frozen=True)
class Period:
    kind: str  # calendar | financial | year ending | quarters
    first: int  # running number of the first quarter (see _index)
    length: int  # number of quarters

    # ------------------------------------------------------------------ construction
    @classmethod
    def calendar(cls, year: int) -> Period:
        return cls("calendar", _index(fy_label(year - 1), 4), 4)

    @classmethod
    def financial(cls, start: int) -> Period:
        return cls("financial", _index(fy_label(start), 1), 4)

    @classmethod
    def year_ending(cls, month: str, year: int) -> Period:
        q = MONTH_QUARTER[month.lower()]
        last = _index(fy_label(year - 1 if q == 4 else year), q)
        if q == 4:
            return cls.financial(year - 1)
        return cls("year ending", last - 3, 4)

    @classmethod
    def quarter(cls, fy: str, quarter: int) -> Period:
        """One financial quarter: Period.quarter("2018/19", 1) is April-June 2018."""
        return cls.quarters_run((fy, quarter), (fy, quarter))

    @classmethod
    def quarters_run(cls, first: tuple[str, int], last: tuple[str, int]) -> Period:
        a, b = _index(*first), _index(*last)
        if b < a:
            raise ValueError(f"quarter range {first[0]} Q{first[1]} to {last[0]} Q{last[1]} runs backwards")
        return cls("quarters", a, b - a + 1)

    @classmethod
    def parse(cls, text: str | int) -> Period:
        t = re.sub(r"\s+", " ", str(text).strip().lower()).replace("–", "-").replace("—", "-")
        m = re.fullmatch(r"(?:calendar(?: year)? )?(\d{4})", t)
        if m:
            return cls.calendar(int(m.group(1)))
        m = re.fullmatch(r"(?:financial(?: year)? |fy ?)?(\d{4}) ?[/-] ?(\d{2})", t)
        if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return cls.financial(int(m.group(1)))
        m = re.fullmatch(r"(?:the )?(?:year|12 months) (?:ending|to) (march|june|september|december) (\d{4})", t)
        if m:
            return cls.year_ending(m.group(1), int(m.group(2)))
        m = re.fullmatch(r"(\d{4}/\d{2}) ?q([1-4])(?: ?(?:-|to) ?(?:(\d{4}/\d{2}) ?)?q([1-4]))?", t)
        if m and _valid_fy(m.group(1)) and (m.group(3) is None or _valid_fy(m.group(3))):
            first = (m.group(1), int(m.group(2)))
            last = (m.group(3) or m.group(1), int(m.group(4) or m.group(2)))
            return cls.quarters_run(first, last)
        raise ValueError(
            f"period {text!r} not understood: write e.g. 'calendar 2018', 'financial year 2018/19', "
            "'2018/19 Q1', '2018/19 Q1-Q2' or 'year ending September 2018'"
        )

    # ------------------------------------------------------------------ what it is
    @property
    def quarters(self) -> list[tuple[str, int]]:
        """(financial_year, financial quarter) pairs that make up the period, in order."""
        return [_quarter(i) for i in range(self.first, self.first + self.length)]

    @property
    def financial_years(self) -> list[str]:
        return sorted({fy for fy, _ in self.quarters})

    @property
    def year(self) -> int:
        """The year that names the period: the calendar year, the first year of a financial year, the year in
        'year ending September 2018', or the calendar year of the last quarter of a run."""
        fy, q = self.quarters[-1]
        if self.kind == "financial":
            return int(fy[:4])
        return int(fy[:4]) + (1 if q == 4 else 0)

    @property
    def label(self) -> str:
        if self.kind == "calendar":
            return f"calendar {self.year}"
        if self.kind == "financial":
            return f"financial year {fy_label(self.year)}"
        if self.kind == "year ending":
            return f"year ending {QUARTER_END_MONTH[self.quarters[-1][1]]} {self.year}"
        (fa, qa), (fb, qb) = self.quarters[0], self.quarters[-1]
        if self.length == 1:
            return f"{fa} Q{qa}"
        return f"{fa} Q{qa}-Q{qb}" if fa == fb else f"{fa} Q{qa}-{fb} Q{qb}"

    @property
    def short(self) -> str:
        """For table headings and chart axes: '2018', '2018/19', 'YE Sep 2018', '2018/19 Q1'."""
        if self.kind == "calendar":
            return str(self.year)
        if self.kind == "financial":
            return fy_label(self.year)
        if self.kind == "year ending":
            return f"YE {QUARTER_END_MONTH[self.quarters[-1][1]][:3]} {self.year}"
        return self.label

    @property
    def quarters_text(self) -> str:
        return " + ".join(f"{fy} Q{q}" for fy, q in self.quarters)

    def shifted(self, years: int) -> Period:
        """The same kind of period `years` years later (earlier when negative)."""
        return Period(self.kind, self.first + 4 * years, self.length)

    def __str__(self) -> str:
        return self.label


def _valid_fy(fy: str) -> bool:
    return (int(fy[:4]) + 1) % 100 == int(fy[5:])
