"""The sources manifest (config/sources.yaml): known raw files pinned by sha256, and named editions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import paths
from .config import read_yaml
from .errors import SourceError

LAYOUTS = ("xlsx", "ods", "csv", "csv.gz")
_REQUIRED = ("id", "financial_year", "file", "bytes", "sha256", "url", "publisher", "vintage", "licence", "layout")


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
    mirror_path: str | None = None
    description: str = ""
    synthetic: bool = False


@dataclass(frozen=True)
class Edition:
    name: str
    description: str
    files: tuple[SourceFile, ...]
    synthetic: bool = False

    @property
    def financial_years(self) -> list[str]:
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
                f"{self.path}: no edition named {name!r}; editions defined: {', '.join(sorted(self.editions))}"
            )
        return self.editions[name]


def load(path: Path | str | None = None) -> Manifest:
    path = Path(path) if path else paths.sources_manifest()
    doc = read_yaml(path, "sources manifest", SourceError)
    files: dict[str, SourceFile] = {}
    for i, entry in enumerate(doc.get("files") or [], start=1):
        missing = [k for k in _REQUIRED if entry.get(k) in (None, "")]
        where = f"{path}: files entry {i} ({entry.get('id', 'no id')})"
        if missing:
            raise SourceError(f"{where}: missing field(s) {', '.join(missing)}")
        if not re.fullmatch(r"[0-9a-f]{64}", str(entry["sha256"])):
            raise SourceError(f"{where}: sha256 must be 64 lower-case hex digits, got {entry['sha256']!r}")
        if not re.fullmatch(r"\d{4}/\d{2}", str(entry["financial_year"])):
            raise SourceError(f"{where}: financial_year must look like 2018/19, got {entry['financial_year']!r}")
        if entry["layout"] not in LAYOUTS:
            raise SourceError(f"{where}: layout must be one of {', '.join(LAYOUTS)}, got {entry['layout']!r}")
        if entry["id"] in files:
            raise SourceError(f"{where}: duplicate id {entry['id']!r}")
        known = {f.name for f in SourceFile.__dataclass_fields__.values()}
        unknown = set(entry) - known
        if unknown:
            raise SourceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        files[entry["id"]] = SourceFile(**{**entry, "bytes": int(entry["bytes"]), "financial_year": str(entry["financial_year"])})
    editions: dict[str, Edition] = {}
    for name, ed in (doc.get("editions") or {}).items():
        ids = ed.get("files") or []
        unknown_ids = [i for i in ids if i not in files]
        if unknown_ids:
            raise SourceError(f"{path}: edition {name!r} lists unknown file id(s) {', '.join(unknown_ids)}")
        members = tuple(files[i] for i in ids)
        years = [f.financial_year for f in members]
        dup = sorted({y for y in years if years.count(y) > 1})
        if dup:
            raise SourceError(f"{path}: edition {name!r} has more than one file for financial year(s) {', '.join(dup)}")
        editions[name] = Edition(
            name=name,
            description=str(ed.get("description", "")),
            files=tuple(sorted(members, key=lambda f: f.financial_year)),
            synthetic=bool(ed.get("synthetic", False)) or any(f.synthetic for f in members),
        )
    default = doc.get("default_edition") or next(iter(editions), None)
    if default not in editions:
        raise SourceError(f"{path}: default_edition {default!r} is not an edition")
    return Manifest(path=path, files=files, editions=editions, default_edition=default)


def write(manifest_doc: dict, path: Path) -> None:
    """Write a manifest document (used for synthetic test editions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(manifest_doc, sort_keys=False), encoding="utf-8")
