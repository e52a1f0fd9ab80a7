"""Outcome types of the Home Office counting rules (outcomes framework from April 2014)."""

from __future__ import annotations

# code -> short description (Home Office counting rules)
OUTCOME_TYPES: dict[str, str] = {
    "0": "Not yet assigned an outcome",
    "1": "Charge/summons",
    "1a": "Charge/summons: alternative offence (of which)",
    "2": "Caution: youth",
    "2a": "Caution, youth: alternative offence (of which)",
    "3": "Caution: adult",
    "3a": "Caution, adult: alternative offence (of which)",
    "4": "Taken into consideration",
    "5": "Offender died",
    "6": "Penalty notice for disorder",
    "7": "Cannabis/khat warning",
    "8": "Community resolution",
    "9": "Not in public interest (CPS)",
    "10": "Not in public interest (police)",
    "11": "Prosecution prevented: suspect under age",
    "12": "Prosecution prevented: suspect too ill",
    "13": "Prosecution prevented: victim or key witness dead or too ill",
    "14": "Evidential difficulties: suspect not identified; victim does not support further action",
    "15": "Evidential difficulties: suspect identified; victim supports action",
    "16": "Evidential difficulties: suspect identified; victim does not support further action",
    "17": "Prosecution time limit expired",
    "18": "Investigation complete: no suspect identified",
    "19": "National Fraud Intelligence Bureau filed",
    "20": "Further investigation by another body",
    "21": "Further investigation not in the public interest (police decision)",
    "22": "Diversionary, educational or intervention activity",
}

NOT_YET_ASSIGNED = "0"
OF_WHICH = ("1a", "2a", "3a")
#: Types that never enter a total: 0 is not an outcome; 1a/2a/3a are "of which" rows of 1/2/3.
EXCLUDED_FROM_TOTALS = (NOT_YET_ASSIGNED, *OF_WHICH)
#: Outcome types counted in "offences closed" (every outcome type except the excluded ones).
OUTCOME_CODES = tuple(c for c in OUTCOME_TYPES if c not in EXCLUDED_FROM_TOTALS)

VICTIM_DID_NOT_SUPPORT = ("14", "16")
SUSPECT_IDENTIFIED_VICTIM_DID_NOT_SUPPORT = ("16",)


_POSITION = {code: i for i, code in enumerate(OUTCOME_TYPES)}


def sort_key(code: str) -> int:
    """Position in the Home Office order (0, 1, 1a, 2, 2a, …, 22); unknown codes last."""
    return _POSITION.get(str(code), len(_POSITION))


def normalise_code(value: str) -> str | None:
    """'14', '14.0', ' 1A ' -> '14', '14', '1a'; anything that is not a known outcome type -> None."""
    v = str(value).strip().lower()
    if v.endswith(".0") and v[:-2].isdigit():
        v = v[:-2]
    if v.isdigit():
        v = str(int(v))
    return v if v in OUTCOME_TYPES else None
