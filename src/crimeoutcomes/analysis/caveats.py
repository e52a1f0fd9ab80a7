"""Caveats (config/caveats.yaml): the one place every caveat and its source is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..data import forces
from ..errors import DataError
from ..yamlfile import read_yaml, validate

SCHEMA = {
    "type": "object",
    "required": ["caveats"],
    "additionalProperties": False,
    "properties": {
        "caveats": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "scope",
                    "financial_years",
                    "label",
                    "text",
                    "source_url",
                    "source_citation",
                    "source_url_verified",
                ],
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                    "scope": {
                        "oneOf": [{"const": "national"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]
                    },
                    "financial_years": {
                        "oneOf": [
                            {"const": "all"},
                            {"type": "array", "items": {"type": "string", "pattern": r"^\d{4}/\d{2}$"}},
                        ]
                    },
                    "label": {"type": "string"},
                    "text": {"type": "string"},
                    "source_url": {"type": "string"},
                    "source_citation": {"type": "string"},
                    "source_url_verified": {"type": "boolean"},
                },
            },
        }
    },
}


@dataclass(frozen=True)
class Caveat:
    id: str
    scope: tuple[str, ...]  # () = national
    financial_years: tuple[str, ...]  # () = all
    label: str
    text: str
    source_url: str
    source_citation: str
    source_url_verified: bool

    @property
    def national(self) -> bool:
        return not self.scope

    def applies(self, financial_years: list[str], force: str | None = None) -> bool:
        """To a page about `force` (None: a national page) built on these financial years."""
        in_years = not self.financial_years or bool(set(self.financial_years) & set(financial_years))
        return in_years and (self.national or (force is not None and force in self.scope))


def load(path: Path | None = None) -> list[Caveat]:

    path = path or paths.input_file("caveats")
    doc = read_yaml(path, "caveats file", DataError)
    validate(doc, SCHEMA, paths.relative(path), DataError)
    out = []
    for _i, c in enumerate(doc["caveats"], start=1):
        scope = () if c["scope"] == "national" else tuple(forces.resolve(s).name for s in c["scope"])
        years = () if c["financial_years"] == "all" else tuple(c["financial_years"])
        out.append(
            Caveat(
                c["id"],
                scope,
                years,
                c["label"].strip(),
                " ".join(c["text"].split()),
                c["source_url"],
                c["source_citation"],
                c["source_url_verified"],
            )
        )
    ids = [c.id for c in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise DataError(f"{paths.relative(path)}: duplicate caveat id(s) {', '.join(dup)}")
    return out


def applying(caveats: list[Caveat], financial_years: list[str], force: str | None = None) -> list[Caveat]:
    """Force-specific caveats first, then national ones."""
    hits = [c for c in caveats if c.applies(financial_years, force)]
    return sorted(hits, key=lambda c: c.national)
