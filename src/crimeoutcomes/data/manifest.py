"""The sources manifest (config/sources.yaml): known raw files pinned by size and sha256, and named editions.

The document is checked against SCHEMA before use; a malformed entry is an error naming the file, the entry and
the field. An edition is either a list of pinned files or `generate: current`, a SYNTHETIC edition made by
`crimeoutcomes.data.synthetic` on the user's machine (its files are pinned when they are generated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import paths
from ..errors import SourceError
from ..yamlfile import read_yaml, validate

LAYOUTS = ("xlsx", "ods", "csv", "csv.gz")
_FY = r"^\d{4}/\d{2}$"
_FILE_NAME = r"^(?!\.)[^/\\\x00]+$"  # a plain file name: no folders, no '..', not hidden
_EDITION_NAME = r"^[a-z0-9][a-z0-9_-]*$"

SCHEMA = {
    "type": "object",
    "properties": {
        "licence_default": {"type": "string"},
        "default_edition": {"type": "string"},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "financial_year",
                    "file",
                    "bytes",
                    "sha256",
                    "url",
                    "publisher",
                    "vintage",
                    "licence",
                    "layout",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"},
                    "financial_year": {"type": "string", "pattern": _FY},
                    "file": {"type": "string", "pattern": _FILE_NAME},
                    "bytes": {"type": "integer", "minimum": 1},
                    "sha256": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
                    "url": {"type": "string", "pattern": r"^https?://"},
                    "publisher": {"type": "string"},
                    "vintage": {"type": "string"},
                    "release": {"type": "string"},
                    "licence": {"type": "string"},
                    "layout": {"enum": list(LAYOUTS)},
                    "mirror_path": {"type": "string", "pattern": r"^(?!/)(?!.*(^|/)\.\.(/|$)).+$"},
                    "description": {"type": "string"},
                    "synthetic": {"type": "boolean"},
                },
            },
        },
        "editions": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _EDITION_NAME},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "description": {"type": "string"},
                    "files": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "synthetic": {"type": "boolean"},
                    "generate": {"enum": ["current"]},
                    "release": {"type": "string"},
                },
                "oneOf": [{"required": ["files"]}, {"required": ["generate"]}],
            },
        },
    },
    "required": ["files", "editions"],
}


@dataclass(frozen=True)
class SourceFile:
    id: str
    financial_year: str
    file: str
    bytes: int
    sha256: str
    url: str
    publisher: str
    vintage: str
    licence: str
    layout: str
    release: str = ""  # the release's short name ("2019 release", "current release")
    mirror_path: str | None = None
    description: str = ""
    synthetic: bool = False

    def pin(self) -> dict:
        """What identifies the file's content and how it is read (part of the build stamp)."""
        return {
            "id": self.id,
            "financial_year": self.financial_year,
            "file": self.file,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "layout": self.layout,
        }


@dataclass(frozen=True)
class Edition:
    name: str
    description: str
    files: tuple[SourceFile, ...]
    synthetic: bool = False
    generate: str | None = None  # "current": files made by crimeoutcomes.data.synthetic
    release: str = ""  # how charts name the release, e.g. "current release (July 2024 and July 2025 files)"

    @property
    def financial_years(self) -> list[str]:
        if self.generate and not self.files:
            return sorted(synthetic_years())
        return sorted(f.financial_year for f in self.files)


@dataclass
class Manifest:
    path: Path
    files: dict[str, SourceFile]
    editions: dict[str, Edition]
    default_edition: str
    extra: dict = field(default_factory=dict)

    def edition(self, name: str | None = None) -> Edition:
        name = name or self.default_edition
        if name not in self.editions:
            raise SourceError(
                f"no edition named {name!r} in {paths.relative(self.path)}; editions: "
                f"{', '.join(sorted(self.editions))} (make editions lists them)"
            )
        return self.editions[name]

    def covering(self, financial_years: set[str]) -> list[str]:
        """Editions (real data first) holding every one of the financial years."""
        hits = [e for e in self.editions.values() if financial_years <= set(e.financial_years)]
        return [e.name for e in sorted(hits, key=lambda e: (e.synthetic, e.name))]


def synthetic_years() -> set[str]:
    from . import synthetic

    return set(synthetic.CURRENT_YEARS)


def load(path: Path | str | None = None) -> Manifest:
    path = Path(path) if path else paths.sources_manifest()
    doc = read_yaml(path, "sources manifest", SourceError)
    validate(doc, SCHEMA, paths.relative(path), SourceError)
    where = paths.relative(path)
    files: dict[str, SourceFile] = {}
    known = {f.name for f in fields(SourceFile)}
    for i, entry in enumerate(doc["files"], start=1):
        if entry["id"] in files:
            raise SourceError(f"{where}: files entry {i}: duplicate id {entry['id']!r}")
        start = int(entry["financial_year"][:4])
        if (start + 1) % 100 != int(entry["financial_year"][5:]):
            raise SourceError(
                f"{where}: files entry {i} (id {entry['id']!r}), field 'financial_year': "
                f"{entry['financial_year']!r} is not a financial year (write e.g. 2018/19)"
            )
        files[entry["id"]] = SourceFile(**{k: v for k, v in entry.items() if k in known})
    editions: dict[str, Edition] = {}
    for name, ed in doc["editions"].items():
        ids = ed.get("files") or []
        unknown_ids = [i for i in ids if i not in files]
        if unknown_ids:
            raise SourceError(
                f"{where}: editions, {name!r}, 'files': unknown file id(s) {', '.join(map(repr, unknown_ids))}; "
                "each must be the id of an entry under files:"
            )
        members = tuple(files[i] for i in ids)
        years = [f.financial_year for f in members]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise SourceError(f"{where}: editions, {name!r}: more than one file for financial year(s) {', '.join(dup)}")
        editions[name] = Edition(
            name=name,
            description=str(ed.get("description", "")),
            files=tuple(sorted(members, key=lambda f: f.financial_year)),
            synthetic=bool(ed.get("synthetic", False)) or any(f.synthetic for f in members) or bool(ed.get("generate")),
            generate=ed.get("generate"),
            release=str(ed.get("release", "")),
        )
    default = doc.get("default_edition") or next(iter(editions))
    if default not in editions:
        raise SourceError(f"{where}: default_edition {default!r} is not one of the editions ({', '.join(editions)})")
    return Manifest(path=path, files=files, editions=editions, default_edition=default)


def write(manifest_doc: dict, path: Path) -> None:
    """Write a manifest document (used for synthetic test editions)."""
    import yaml

    from ..atomic import write_text

    write_text(path, yaml.safe_dump(manifest_doc, sort_keys=False))


def is_edition_name(name: str) -> bool:
    return bool(re.fullmatch(_EDITION_NAME, name))
