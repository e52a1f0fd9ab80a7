"""Canonical police force names (reference data used when cleaning and by every later stage).

43 territorial forces of England and Wales plus British Transport Police. Central fraud reporting bodies
(Action Fraud, Cifas, UK Finance / Financial Fraud Action UK) appear as "force names" in some vintages but are
not police forces: they are kept with kind FRAUD_BODY and never counted as a force.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..errors import DataError

TERRITORIAL = "territorial"
BTP = "british transport police"
FRAUD_BODY = "fraud reporting body"


@dataclass(frozen=True)
class Force:
    name: str
    kind: str
    country: str  # England / Wales / England and Wales (BTP, fraud bodies)
    aliases: tuple[str, ...] = ()
    official: str = ""  # the force's own name as prose uses it: "Cheshire Constabulary", "the Metropolitan Police"

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def is_police_force(self) -> bool:
        return self.kind in (TERRITORIAL, BTP)

    @property
    def prose(self) -> str:
        """The name as a sentence uses it, article included: "closed by {prose}"."""
        return self.official or self.name


#: canonical name -> the force's own name as prose uses it (constabularies keep their title; the Metropolitan
#: Police takes "the"). Hampshire's force became Hampshire and Isle of Wight Constabulary in 2022.
_ENGLAND = {
    "Avon and Somerset": "Avon and Somerset Constabulary",
    "Bedfordshire": "Bedfordshire Police",
    "Cambridgeshire": "Cambridgeshire Constabulary",
    "Cheshire": "Cheshire Constabulary",
    "Cleveland": "Cleveland Police",
    "Cumbria": "Cumbria Constabulary",
    "Derbyshire": "Derbyshire Constabulary",
    "Devon and Cornwall": "Devon and Cornwall Police",
    "Dorset": "Dorset Police",
    "Durham": "Durham Constabulary",
    "Essex": "Essex Police",
    "Gloucestershire": "Gloucestershire Constabulary",
    "Greater Manchester": "Greater Manchester Police",
    "Hampshire": "Hampshire Constabulary",
    "Hertfordshire": "Hertfordshire Constabulary",
    "Humberside": "Humberside Police",
    "Kent": "Kent Police",
    "Lancashire": "Lancashire Constabulary",
    "Leicestershire": "Leicestershire Police",
    "Lincolnshire": "Lincolnshire Police",
    "Merseyside": "Merseyside Police",
    "Metropolitan Police": "the Metropolitan Police",
    "Norfolk": "Norfolk Constabulary",
    "North Yorkshire": "North Yorkshire Police",
    "Northamptonshire": "Northamptonshire Police",
    "Northumbria": "Northumbria Police",
    "Nottinghamshire": "Nottinghamshire Police",
    "South Yorkshire": "South Yorkshire Police",
    "Staffordshire": "Staffordshire Police",
    "Suffolk": "Suffolk Constabulary",
    "Surrey": "Surrey Police",
    "Sussex": "Sussex Police",
    "Thames Valley": "Thames Valley Police",
    "Warwickshire": "Warwickshire Police",
    "West Mercia": "West Mercia Police",
    "West Midlands": "West Midlands Police",
    "West Yorkshire": "West Yorkshire Police",
    "Wiltshire": "Wiltshire Police",
}
_WALES = {
    "Dyfed-Powys": "Dyfed-Powys Police",
    "Gwent": "Gwent Police",
    "North Wales": "North Wales Police",
    "South Wales": "South Wales Police",
}

FORCES: tuple[Force, ...] = tuple(
    [Force(n, TERRITORIAL, "England", official=o) for n, o in _ENGLAND.items()]
    + [
        Force(
            "City of London",
            TERRITORIAL,
            "England",
            ("London, City of", "City of London Police"),
            official="City of London Police",
        )
    ]
    + [Force(n, TERRITORIAL, "Wales", official=o) for n, o in _WALES.items()]
    + [Force("British Transport Police", BTP, "England and Wales", ("BTP",), official="British Transport Police")]
    + [
        Force("Action Fraud", FRAUD_BODY, "England and Wales", ("National Fraud Intelligence Bureau",)),
        Force("Cifas", FRAUD_BODY, "England and Wales"),
        Force("UK Finance", FRAUD_BODY, "England and Wales", ("Financial Fraud Action UK", "FFA UK")),
    ]
)
FORCES = tuple(sorted(FORCES, key=lambda f: (f.kind != TERRITORIAL, f.name)))

POLICE_FORCES: tuple[Force, ...] = tuple(f for f in FORCES if f.is_police_force)
assert len(POLICE_FORCES) == 44 and sum(f.kind == TERRITORIAL for f in FORCES) == 43

_SUFFIXES = ("police service", "police force", "constabulary", "police")


def _key(name: str) -> str:
    k = name.lower().replace("&", " and ")
    k = re.sub(r"[^a-z0-9]+", " ", k).strip()
    k = k.removeprefix("the ")  # "the Met", "the Metropolitan Police"
    for suffix in _SUFFIXES:
        if k.endswith(" " + suffix) and k != "british transport police":
            k = k[: -len(suffix)].strip()
            break
    return k


_LOOKUP: dict[str, Force] = {}
for _f in FORCES:
    for _alias in (_f.name, *_f.aliases, _f.official):
        if _alias:
            _LOOKUP[_key(_alias)] = _f
for _alias, _name in (
    ("Metropolitan Police Service", "Metropolitan Police"),
    ("metropolitan", "Metropolitan Police"),
    ("met", "Metropolitan Police"),
    ("gmp", "Greater Manchester"),
    ("Hampshire and Isle of Wight", "Hampshire"),
    ("london city of", "City of London"),
):
    _LOOKUP[_key(_alias)] = next(f for f in FORCES if f.name == _name)

BY_NAME: dict[str, Force] = {f.name: f for f in FORCES}


def lookup(name: str) -> Force | None:
    """The force a raw or user-typed name refers to, or None."""
    return _LOOKUP.get(_key(str(name)))


def close_matches(name: str) -> str:
    """' Close matches: A, B.' (or every force's name when nothing is close), for error messages."""
    names = [f.name for f in POLICE_FORCES]
    key = _key(str(name))
    keys = {_key(n): n for n in names}
    close = [keys[c] for c in difflib.get_close_matches(key, list(keys), n=5, cutoff=0.6)]
    close += [n for n in names if key and key in _key(n) and n not in close]
    return f" Close matches: {', '.join(close)}." if close else " Known forces: " + ", ".join(names) + "."


def resolve(name: str, *, police_only: bool = False) -> Force:
    """Resolve any spelling a user would type ("cheshire", "Cheshire Constabulary"); unknown -> a clear error
    with close matches. police_only: a central fraud body (Action Fraud, ...) is an error too."""
    force = lookup(name)
    if force is None:
        raise DataError(f"unknown police force {str(name)!r}.{close_matches(name)}")
    if police_only and not force.is_police_force:
        raise DataError(
            f"{force.name!r} is a central fraud reporting body, not a police force, so it has no report; "
            "choose one of the 44 police forces (they are listed on the index page)"
        )
    return force


def slug(name: str) -> str:
    return resolve(name).slug
