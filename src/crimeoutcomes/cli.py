"""Command line used by the Makefile: `python -m crimeoutcomes COMMAND ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import manifest as manifest_mod
from . import paths
from .errors import DataError, SourceError

#: the notebooks `make run` renders for an edition (force reports are rendered by `make reports`)
NOTEBOOKS = ("00_dataset_guide", "01_clean", "02_claims", "04_sensitivity")
TITLES = {"00_dataset_guide": "Dataset guide: the Home Office outcomes table and its traps",
          "01_clean": "Cleaning: raw files to tidy data", "02_claims": "Claims audit notebook",
          "04_sensitivity": "How robust is the headline rate?"}


def _mirror(arg: str | None) -> Path | None:
    if arg:
        return Path(arg)
    return paths.default_mirror()


def cmd_editions(args) -> int:
    m = manifest_mod.load(args.manifest)
    for name, ed in m.editions.items():
        mark = " (default)" if name == m.default_edition else ""
        print(f"{name}{mark}: {len(ed.files)} files, financial years {', '.join(ed.financial_years)}\n    {ed.description}")
    return 0


def cmd_fetch(args) -> int:
    from . import fetch

    m = manifest_mod.load(args.manifest)
    ed = m.edition(args.edition)
    for src in ed.files:
        path = fetch.obtain(src, mirror=_mirror(args.mirror), allow_download=not args.offline)
        print(f"ok  {src.financial_year}  {paths.relative(path)}  sha256 {src.sha256[:16]}…")
    return 0


def cmd_build(args) -> int:
    from . import pipeline

    m = manifest_mod.load(args.manifest)
    ed = m.edition(args.edition)
    print(f"Building edition {ed.name!r} ({len(ed.files)} files)")
    result = pipeline.build_edition(ed.name, manifest=m, mirror=_mirror(args.mirror), allow_download=not args.offline)
    print(f"Wrote {paths.relative(result.out_dir)}/: {result.rows:,} tidy rows in {result.seconds:.1f} s")
    return 0


def cmd_notebook(args) -> int:
    from . import notebooks

    from . import pipeline

    if args.commit:
        for stem in args.names or list(notebooks.COMMITTED):
            path = notebooks.regenerate(stem)
            print(f"regenerated {paths.relative(path)}")
        return 0
    m = manifest_mod.load(args.manifest)
    edition = m.edition(args.edition).name
    out_dir = paths.reports_dir(edition) / "notebooks"
    build = pipeline.load_build(edition)
    for name in args.names or NOTEBOOKS:
        nb = notebooks.execute(name, out_dir / f"{name}.ipynb", {"edition": edition}, strip=False)
        html = notebooks.to_html(nb, paths.reports_dir(edition) / f"{name}.html",
                                 title=f"{TITLES.get(name, name)} ({edition} edition)", build=build, hide_code=False)
        print(f"ran {name} on {edition}: {paths.relative(nb)}, {paths.relative(html)}")
    return 0


def cmd_reports(args) -> int:
    from . import reports

    m = manifest_mod.load(args.manifest)
    edition = m.edition(args.edition).name
    force = None
    if args.force:
        from . import forces

        force = forces.resolve(args.force).name  # unknown names: a clear error listing close matches
    return reports.main_reports(edition, force, args.jobs)


def cmd_bench(args) -> int:
    from . import bench

    return bench.main(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crimeoutcomes", description=__doc__)
    p.add_argument("--manifest", help="sources manifest (default: config/sources.yaml)")
    sub = p.add_subparsers(dest="command", required=True)

    def edition_args(sp):
        sp.add_argument("--edition", help="edition name (default: the manifest's default, sample)")
        sp.add_argument("--mirror", help="local mirror folder (default: $CRIMEOUTCOMES_MIRROR or ../shared/outcomes-data)")
        sp.add_argument("--offline", action="store_true", help="never download; use data/raw and the mirror only")

    sp = sub.add_parser("editions", help="list the editions in the manifest")
    sp.set_defaults(func=cmd_editions)
    sp = sub.add_parser("fetch", help="obtain and verify the raw files of an edition")
    edition_args(sp)
    sp.set_defaults(func=cmd_fetch)
    sp = sub.add_parser("build", help="raw → processed for an edition")
    edition_args(sp)
    sp.set_defaults(func=cmd_build)
    sp = sub.add_parser("notebook", help="run notebooks with papermill")
    sp.add_argument("names", nargs="*", help="notebooks (default: all)")
    sp.add_argument("--edition")
    sp.add_argument("--commit", action="store_true",
                    help="regenerate the committed notebooks in place on the default edition")
    sp.set_defaults(func=cmd_notebook)
    sp = sub.add_parser("reports", help="render per-force HTML reports and the index")
    sp.add_argument("--edition")
    sp.add_argument("--force", help="one force (any common spelling); default: every force in the data")
    sp.add_argument("--jobs", type=int, default=None, help="parallel renders (default: number of cores)")
    sp.set_defaults(func=cmd_reports)
    sp = sub.add_parser("bench", help="print speed and memory figures")
    sp.add_argument("--skip-workbook", action="store_true", help="skip the generated 40 MB workbook")
    sp.add_argument("--skip-reports", action="store_true", help="skip rendering all force reports")
    sp.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
