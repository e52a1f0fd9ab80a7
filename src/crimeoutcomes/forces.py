"""Canonical police force names.

43 territorial forces of England and Wales plus British Transport Police. Central fraud reporting bodies
(Action Fraud, Cifas, UK Finance / Financial Fraud Action UK) appear as "force names" in some vintages but are
not police forces: they are kept with kind FRAUD_BODY and never counted as a force.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .errors import DataError

TERRITORIAL = "territorial"
BTP = "british transport police"
FRAUD_BODY = "fraud reporting body"


@dataclass(frozen=True)
class Force:
    name: str
    kind: str
    country: str  # England / Wales / England and Wales (BTP, fraud bodies)
    aliases: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def is_police_force(self) -> bool:
        return self.kind in (TERRITORIAL, BTP)


_ENGLAND = [
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria", "Derbyshire",
    "Devon and Cornwall", "Dorset", "Durham", "Essex", "Gloucestershire", "Greater Manchester", "Hampshire",
    "Hertfordshire", "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Merseyside",
    "Metropolitan Police", "Norfolk", "North Yorkshire", "Northamptonshire", "Northumbria", "Nottinghamshire",
    "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire",
    "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
]
_WALES = ["Dyfed-Powys", "Gwent", "North Wales", "South Wales"]

FORCES: tuple[Force, ...] = tuple(
    [Force(n, TERRITORIAL, "England") for n in _ENGLAND]
    + [Force("City of London", TERRITORIAL, "England", ("London, City of", "City of London Police"))]
    + [Force(n, TERRITORIAL, "Wales") for n in _WALES]
    + [Force("British Transport Police", BTP, "England and Wales", ("BTP",))]
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
    for suffix in _SUFFIXES:
        if k.endswith(" " + suffix) and k != "british transport police":
            k = k[: -len(suffix)].strip()
            break
    return k


_LOOKUP: dict[str, Force] = {}
for _f in FORCES:
    for _alias in (_f.name, *_f.aliases):
        _LOOKUP[_key(_alias)] = _f
_LOOKUP[_key("Metropolitan Police Service")] = _LOOKUP[_key("Metropolitan Police")]
_LOOKUP["metropolitan"] = _LOOKUP[_key("Metropolitan Police")]
_LOOKUP["met"] = _LOOKUP[_key("Metropolitan Police")]
_LOOKUP["gmp"] = _LOOKUP[_key("Greater Manchester")]
_LOOKUP["london city of"] = _LOOKUP[_key("City of London")]

BY_NAME: dict[str, Force] = {f.name: f for f in FORCES}


def lookup(name: str) -> Force | None:
    """The force a raw or user-typed name refers to, or None."""
    return _LOOKUP.get(_key(str(name)))


def resolve(name: str) -> Force:
    """Resolve any spelling a user would type ("cheshire", "Cheshire Constabulary"); unknown → clear error."""
    force = lookup(name)
    if force is not None:
        return force
    names = [f.name for f in FORCES]
    close = difflib.get_close_matches(str(name), names, n=5, cutoff=0.5)
    close += [n for n in names if _key(name) and _key(name) in n.lower() and n not in close]
    hint = f" Close matches: {', '.join(close)}." if close else " Known forces: " + ", ".join(names) + "."
    raise DataError(f"Unknown police force {name!r}.{hint}")


def slug(name: str) -> str:
    return resolve(name).slug
