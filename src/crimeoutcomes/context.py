"""The run context: what one command works on, resolved once at the command line's edge and passed down.

The edition (from the sources manifest, loaded once, with its files listed), the options, the forces a user named
(resolved once to `Force` objects), and the edition's processed data, loaded lazily the first time a step asks
for it and released between steps that do not share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths, procs
from .data import manifest as manifest_mod
from .data.forces import Force, resolve
from .errors import UserError

if TYPE_CHECKING:
    from .analysis.measures import Dataset


@dataclass
class RunContext:
    manifest: manifest_mod.Manifest
    edition: manifest_mod.Edition
    mirror: Path | None = None
    offline: bool = False
    jobs: int | None = None  # workers at once (resolved: capped by the cores and the free memory)
    keep_notebooks: bool = False
    rebuild: bool = False  # build even when current (`build --rebuild`)
    registries: tuple[Path, ...] = ()  # a user's own claims registries (else the table's, dag.REGISTRIES)
    out: Path | None = None  # the folder of a user's own run of one step (a claims audit, stories)
    out_step: str = ""  # the step that writes to `out` ("": the one step whose inputs the user replaced)
    specs: tuple[Path, ...] = ()  # a user's own story specs (else the table's, dag.SPECS)
    forces: tuple[Force, ...] = ()  # only these forces' reports (else every force in the edition)
    article: Path | None = None  # read: the article's text
    published: str = ""  # read: its publication date, YYYY-MM-DD
    url: str = ""  # read: its address
    title: str = ""  # read: its title
    log: Callable[..., None] = print
    _loaded: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.edition.name

    @property
    def manifest_paths(self) -> tuple[Path, ...]:
        """The sources manifest this run reads (the project's, or the one --manifest named)."""
        return (self.manifest.path,)

    @cached_property
    def build_record(self) -> dict:
        from .data import tables

        return tables.load_record(self.name)

    @property
    def dataset(self) -> Dataset:
        """The edition's processed tables (loaded on first use)."""
        if "dataset" not in self._loaded:
            from .analysis.measures import Dataset

            self._loaded["dataset"] = Dataset.load(self.name, build=self.build_record)
        return self._loaded["dataset"]

    def release(self) -> None:
        """Forget the loaded data (after a step that may have read the tidy table, or after a build)."""
        self._loaded.clear()
        self.__dict__.pop("build_record", None)


def create(
    edition: str | None = None,
    *,
    manifest_path: Path | str | None = None,
    generate: Callable | None = None,
    mirror: Path | str | None = None,
    forces: list[str] | tuple[str, ...] = (),
    registries: list[Path | str] | tuple = (),
    specs: list[Path | str] | tuple = (),
    out: Path | str | None = None,
    article: Path | str | None = None,
    jobs: int | None = None,
    log: Callable[..., None] = print,
    **options,
) -> RunContext:
    """Resolve everything a command needs once. `generate(edition, manifest, log)` lists (and, the first time,
    makes) the files of an edition that is generated on this machine; without it, they must have been made."""
    if article and not Path(article).is_file():
        raise UserError(f"the article {paths.printable(str(article))} is not a file: give the path of its text (.txt)")
    if options.get("published"):
        try:
            options["published"] = dt.date.fromisoformat(options["published"]).isoformat()
        except ValueError:
            raise UserError(
                f"--published {options['published']!r} is not a date: write the article's publication date as "
                "YYYY-MM-DD"
            ) from None
    manifest = manifest_mod.load(manifest_path)
    ed = manifest.edition(edition)
    if ed.generate:
        ed = generate(ed, manifest, log) if generate else manifest_mod.generated_files(ed, manifest)
    return RunContext(
        manifest=manifest,
        edition=ed,
        mirror=Path(mirror) if mirror else paths.default_mirror(),
        forces=tuple(dict.fromkeys(resolve(f, police_only=True) for f in forces)),
        registries=tuple(Path(r) for r in registries),
        specs=tuple(Path(p) for p in specs),
        out=Path(out) if out else None,
        article=Path(article) if article else None,
        jobs=procs.workers(jobs, log),
        log=log,
        **options,
    )
