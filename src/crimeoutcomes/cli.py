"""Command line: `python -m crimeoutcomes COMMAND`. One command per step of the pipeline (the Makefile's targets
call these), plus a few tools. Expected failures print one line (what, where, what to do) and exit non-zero;
--debug shows the traceback."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from . import paths
from .errors import UserError

EXIT_ERROR, EXIT_INTERRUPTED = 2, 130


def _mirror(arg: str | None) -> Path | None:
    return Path(arg) if arg else paths.default_mirror()


def _jobs(arg: int | None) -> int | None:
    return arg or None


def cmd_editions(args) -> int:
    from . import steps

    for row in steps.editions_table(args.manifest).to_dict(orient="records"):
        print(
            f"{row['edition']}: {row['files']} files, financial years {row['financial years']}\n"
            f"    {row['description']}"
        )
    return 0


def cmd_fetch(args) -> int:
    from .data import fetch, manifest

    ed = manifest.load(args.manifest).edition(args.edition)
    if ed.generate:
        print(f"{ed.name} is generated on this machine (make data EDITION={ed.name}); nothing to fetch")
        return 0
    for src in ed.files:
        path = fetch.obtain(src, mirror=_mirror(args.mirror), allow_download=not args.offline)
        print(f"ok  {src.financial_year}  {paths.relative(path)}  sha256 {src.sha256[:16]}…")
    return 0


def cmd_build(args) -> int:
    from . import steps

    result = steps.build(
        args.edition,
        manifest_path=args.manifest,
        mirror=_mirror(args.mirror),
        offline=args.offline,
        jobs=_jobs(args.jobs),
        force=args.force,
    )
    if result.no_op:
        print(
            f"edition {result.edition!r} up to date: {paths.relative(result.out_dir)}/ ({result.rows:,} rows; "
            f"checked in {result.seconds:.2f} s)"
        )
    else:
        print(f"built {paths.relative(result.out_dir)}/: {result.rows:,} tidy rows in {result.seconds:.1f} s")
    return 0


def cmd_claims(args) -> int:
    from . import steps

    steps.claims(
        args.edition,
        registries=args.registry or None,
        out=Path(args.out) if args.out else None,
        manifest_path=args.manifest,
    )
    return 0


def cmd_sensitivity(args) -> int:
    from . import steps

    steps.sensitivity(args.edition, manifest_path=args.manifest)
    return 0


def cmd_reports(args) -> int:
    from . import steps
    from .publish import reports

    steps.reports(
        args.edition,
        only=[args.force] if args.force else None,
        jobs=_jobs(args.jobs),
        keep_notebooks=args.keep_notebooks,
        manifest_path=args.manifest,
    )
    if args.force:
        from .data import manifest

        edition = manifest.load(args.manifest).edition(args.edition).name
        print(f"report: {paths.relative(reports.page_path(edition, args.force))}")
    return 0


def cmd_pages(args) -> int:
    from . import steps

    steps.pages(args.edition, names=args.names or None, keep_notebooks=args.keep_notebooks, manifest_path=args.manifest)
    return 0


def cmd_site(args) -> int:
    from . import steps

    steps.site(args.edition, manifest_path=args.manifest)
    return 0


def cmd_check_pages(args) -> int:
    from .data import manifest
    from .publish import check_pages

    edition = manifest.load(args.manifest).edition(args.edition).name
    return check_pages.main(edition, args.pages or None, Path(args.out) if args.out else None)


def cmd_discover(args) -> int:
    from .data import discover

    return discover.run(
        manifest_path=args.manifest,
        api_url=args.api_url or discover.DEFAULT_API_URL,
        download=args.download,
        raw_dir=Path(args.raw_dir) if args.raw_dir else None,
        timeout=args.timeout,
    )


def cmd_notebooks(args) -> int:
    from . import testing

    return testing.regenerate_committed(args.names or None)


def cmd_install_kernel(args) -> int:
    from .publish import notebooks

    print(f"kernel {notebooks.KERNEL!r} registered in {paths.relative(notebooks.install_kernel())}")
    return 0


def cmd_bench(args) -> int:
    from . import bench

    return bench.main(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="crimeoutcomes", description=__doc__)
    p.add_argument("--manifest", help="sources manifest (default: config/sources.yaml)")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name, func, help_text):
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(func=func)
        return sp

    def edition(sp):
        sp.add_argument("--edition", help="edition name (default: the manifest's default, sample)")

    def sources(sp):
        edition(sp)
        sp.add_argument(
            "--mirror", help="local mirror folder (default: $CRIMEOUTCOMES_MIRROR or ../shared/outcomes-data)"
        )
        sp.add_argument("--offline", action="store_true", help="never download; use data/raw and the mirror only")

    add("editions", cmd_editions, "list the editions in the manifest")
    sources(add("fetch", cmd_fetch, "obtain and sha256-verify the raw files of an edition"))
    sp = add("build", cmd_build, "raw files -> data/processed/EDITION/ (a no-op when nothing changed)")
    sources(sp)
    sp.add_argument("--jobs", type=int, help="raw files read at once (default: the number of cores)")
    sp.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    sp = add("claims", cmd_claims, "audit claims registries -> reports/EDITION/claims/")
    edition(sp)
    sp.add_argument(
        "--registry", action="append", help="a registry YAML file (repeatable; default: config/claims/*.yaml)"
    )
    sp.add_argument("--out", help="output folder (default: reports/EDITION/claims)")
    edition(
        add("sensitivity", cmd_sensitivity, "the headline rate under other choices -> reports/EDITION/sensitivity/")
    )
    sp = add("reports", cmd_reports, "per-force reports -> reports/EDITION/forces/ (unchanged forces are skipped)")
    edition(sp)
    sp.add_argument("--force", help="one force (any common spelling); default: every force in the data")
    sp.add_argument("--jobs", type=int, help="reports rendered at once (default: the number of cores)")
    sp.add_argument("--keep-notebooks", action="store_true", help="keep each executed report notebook")
    sp = add("pages", cmd_pages, "run the notebooks on EDITION into pages -> reports/EDITION/*.html")
    edition(sp)
    sp.add_argument("names", nargs="*", help="notebooks (default: all with a page)")
    sp.add_argument("--keep-notebooks", action="store_true", help="keep the executed notebooks")
    edition(add("site", cmd_site, "the index page -> reports/EDITION/index.html"))
    sp = add("check-pages", cmd_check_pages, "open the pages in headless Chromium at 390 and 1,280 px and check them")
    edition(sp)
    sp.add_argument("pages", nargs="*", help="pages relative to reports/EDITION (default: index, a force, claims)")
    sp.add_argument("--out", help="screenshot folder (default: reports/EDITION/screenshots)")
    sp = add(
        "discover",
        cmd_discover,
        "compare GOV.UK's list of outcomes workbooks with config/sources.yaml "
        "(exit 1 when something is new or reissued)",
    )
    sp.add_argument("--download", action="store_true", help="fetch new or reissued files and print manifest entries")
    sp.add_argument("--raw-dir", help="download folder (default: data/raw)")
    sp.add_argument("--api-url", help="GOV.UK content API address of the collection page")
    sp.add_argument("--timeout", type=float, default=30.0, help="seconds per network operation")
    sp = add("notebooks", cmd_notebooks, "regenerate the committed notebooks (run in a temporary project root)")
    sp.add_argument("names", nargs="*", help="committed notebook stems (default: all)")
    add("install-kernel", cmd_install_kernel, "register the project's Jupyter kernel in this environment")
    sp = add("bench", cmd_bench, "print speed and memory figures side by side")
    sp.add_argument("--quick", action="store_true", help="skip the full-scale synthetic edition")
    return p


def _os_error(exc: OSError) -> str:
    where = exc.filename or "an output file"
    if exc.errno == errno.ENOSPC:
        return f"the disk is full while writing {where}; free some space and run again (nothing half-written was kept)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: permission denied or read-only; fix the folder's permissions and run again"
    return f"{exc.strerror or exc} ({where})"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: outputs are as they were before this run (partial files were removed)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except UserError as exc:
        if args.debug:
            raise
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        if args.debug or os.environ.get("CRIMEOUTCOMES_DEBUG"):
            raise
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
