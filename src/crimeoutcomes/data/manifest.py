"""The sources manifest (config/sources.yaml): known raw files pinned by size and sha256, and named editions.

The document is checked against SCHEMA before use; a malformed entry is an error naming the file, the entry and
the field. An edition is either a list of pinned files or `generate: <edition>`, a SYNTHETIC stand-in for that edition
generated on the user's machine by a tool (`crimeoutcomes.tools.synthetic`), which pins the files it makes in
data/raw/<edition>/generated.json.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path

from .. import paths
from ..errors import SourceError
from ..yamlfile import read_yaml, validate

LAYOUTS = ("xlsx", "ods", "csv", "csv.gz")
_FY = r"^\d{4}/\d{2}$"
_FILE_NAME = r"^(?!\.)[^/\\\x00]+$"  # a plain file name: no folders, no '..', not hidden
_EDITION_NAME = r"^[a-z0-9][a-z0-9_-]*$"


def _pinned(schema: dict, doc: str = ""):
    return field(metadata={"schema": schema, "doc": doc})


@dataclass(frozen=True)
class SourceFile:
    """One raw file, pinned: the record the manifest holds, build.json repeats, and every tool writes. Each field's
    JSON schema is declared here, once; the manifest's schema is made from it."""

    id: str = _pinned({"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"}, "unique")
    financial_year: str = _pinned({"type": "string", "pattern": _FY}, "e.g. 2018/19")
    file: str = _pinned({"type": "string", "pattern": _FILE_NAME}, "name on disk in data/raw/")
    bytes: int = _pinned({"type": "integer", "minimum": 1})
    sha256: str = _pinned({"type": "string", "pattern": r"^[0-9a-f]{64}$"})
    url: str = _pinned({"type": "string", "pattern": r"^https?://"})
    publisher: str = _pinned({"type": "string"})
    vintage: str = _pinned({"type": "string"}, "where the file comes from, in detail")
    licence: str = _pinned({"type": "string"})
    layout: str = _pinned({"enum": list(LAYOUTS)})
    release: str = field(default="", metadata={"schema": {"type": "string"}, "doc": "the release's short name"})
    mirror_path: str | None = field(
        default=None, metadata={"schema": {"type": "string", "pattern": r"^(?!/)(?!.*(^|/)\.\.(/|$)).+$"}}
    )
    description: str = field(default="", metadata={"schema": {"type": "string"}})
    synthetic: bool = field(default=False, metadata={"schema": {"type": "boolean"}})

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def json_schema(cls) -> dict:
        return {
            "type": "object",
            "required": [f.name for f in fields(cls) if f.default is MISSING],
            "additionalProperties": False,
            "properties": {f.name: f.metadata["schema"] for f in fields(cls)},
        }

    @classmethod
    def for_file(cls, path: Path | str, **record) -> SourceFile:
        """The record of a file on disk: its name, size and sha256 measured, the rest given."""
        path = Path(path)
        data = path.read_bytes()
        return cls(file=path.name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), **record)

    def to_manifest(self) -> dict:
        """The entry as config/sources.yaml writes it (optional fields only when they are set)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != f.default}

    def pin(self) -> dict:
        """What identifies the file's content and how it is read (part of the build stamp)."""
        return {k: getattr(self, k) for k in ("id", "financial_year", "file", "bytes", "sha256", "layout")}


SCHEMA = {
    "type": "object",
    "properties": {
        "licence_default": {"type": "string"},
        "default_edition": {"type": "string"},
        "files": {"type": "array", "items": SourceFile.json_schema()},
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
                    "generate": {"type": "string"},
                    "release": {"type": "string"},
                },
                "oneOf": [{"required": ["files"]}, {"required": ["generate"]}],
            },
        },
    },
    "required": ["files", "editions"],
}


@dataclass(frozen=True)
class Edition:
    name: str
    description: str
    files: tuple[SourceFile, ...]
    synthetic: bool = False
    generate: str | None = None  # the edition a SYNTHETIC stand-in is generated for, on the user's machine
    release: str = ""  # how charts name the release, e.g. "current release (July 2024 and July 2025 files)"
    years: tuple[str, ...] = ()  # a generated edition's financial years (those of the edition it stands in for)

    @property
    def financial_years(self) -> list[str]:
        if self.generate and not self.files:
            return sorted(self.years)
        return sorted(f.financial_year for f in self.files)

    @property
    def raw_dir(self) -> Path:
        """Where its raw files are kept: data/raw/, or data/raw/<edition>/ for a generated edition."""
        return paths.raw_dir() / self.name if self.generate else paths.raw_dir()


@dataclass
class Manifest:
    path: Path
    files: dict[str, SourceFile]
    editions: dict[str, Edition]
    default_edition: str

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


GENERATED_RECORD = "generated.json"  # data/raw/<edition>/generated.json: the pins of a generated edition's files


def generated_files(ed: Edition, manifest: Manifest | None = None) -> Edition:
    """A generated edition with the files its generator recorded (data/raw/<edition>/generated.json)."""
    record_path = ed.raw_dir / GENERATED_RECORD
    try:
        record = json.loads(record_path.read_text())
        files = {e["financial_year"]: SourceFile(**e) for e in record["files"]}
        return replace(ed, files=tuple(files[fy] for fy in ed.financial_years))
    except (OSError, ValueError, KeyError, TypeError):
        raise SourceError(
            f"the SYNTHETIC files of edition {ed.name!r} have not been generated yet ({paths.relative(record_path)} "
            f"is missing or incomplete): run make fetch EDITION={ed.name}"
        ) from None


def load(path: Path | str | None = None) -> Manifest:
    path = Path(path) if path else paths.input_file("manifest")
    doc = read_yaml(path, "sources manifest", SourceError)
    validate(doc, SCHEMA, paths.relative(path), SourceError)
    where = paths.relative(path)
    files: dict[str, SourceFile] = {}
    for i, entry in enumerate(doc["files"], start=1):
        if entry["id"] in files:
            raise SourceError(f"{where}: files entry {i}: duplicate id {entry['id']!r}")
        start = int(entry["financial_year"][:4])
        if (start + 1) % 100 != int(entry["financial_year"][5:]):
            raise SourceError(
                f"{where}: files entry {i} (id {entry['id']!r}), field 'financial_year': "
                f"{entry['financial_year']!r} is not a financial year (write e.g. 2018/19)"
            )
        files[entry["id"]] = SourceFile(**entry)
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
    for name, ed in list(editions.items()):
        if ed.generate:
            if ed.generate not in editions or editions[ed.generate].generate:
                raise SourceError(
                    f"{where}: editions, {name!r}, 'generate': {ed.generate!r} must name an edition of listed files "
                    "(the one it stands in for)"
                )
            editions[name] = replace(ed, years=tuple(editions[ed.generate].financial_years))
    default = doc.get("default_edition") or next(iter(editions))
    if default not in editions:
        raise SourceError(f"{where}: default_edition {default!r} is not one of the editions ({', '.join(editions)})")
    return Manifest(path=path, files=files, editions=editions, default_edition=default)
