"""Command line: `python -m crimeoutcomes COMMAND`. The edge of the package: arguments are resolved here, once, into
a run context (context.py) that every step receives.

Steps (the step table, dag.py): `run [STEP ...]` runs the named steps (all by default) and whatever they need first,
skipping every step that is current; `build`, `claims`, `sensitivity`, `reports`, `stories`, `pages`, `site` run one
step (and what it needs); `stories` takes --spec, --force and --out; `read ARTICLE --published YYYY-MM-DD` (run only
when asked) reads an article's every figure into claims and audits them. `steps` shows what would run and why. Tools:
`editions`, `fetch`, `check-pages`, `discover`, `notebooks`, `install-kernel`, `lab`, `bench`.

Expected failures print one line (what, where, what to do) and exit non-zero; --debug shows the traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

from . import dag, paths
from .errors import UserError

EXIT_ERROR, EXIT_INTERRUPTED = 2, 130


def context(args, **extra):
    from . import context as context_mod
    from .tools.synthetic import ensure_generated

    options = {
        "mirror": getattr(args, "mirror", None),
        "offline": bool(getattr(args, "offline", False)),
        "jobs": getattr(args, "jobs", None) or None,
        "keep_notebooks": bool(getattr(args, "keep_notebooks", False)),
        "out": getattr(args, "out", None),
    }
    for s in dag.STEPS:  # the step table's options: a user's own files, and switches such as --rebuild
        options |= {i.own: getattr(args, i.own, None) or () for i in s.own_inputs}
        options |= {o.name: bool(getattr(args, o.name, False)) for o in s.flags if not o.several}
    options.update(extra)
    return context_mod.create(
        getattr(args, "edition", None), manifest_path=args.manifest, generate=ensure_generated, **options
    )


def _run(args, names: list[str] | None, **extra) -> int:
    from . import pipeline

    ctx = context(args, **extra)
    for step in dag.STEPS:  # a user's own files replace an input of one step: that step alone runs on them
        for inp in step.own_inputs:
            if pipeline.own_files(inp, ctx) and names != [step.name]:
                raise UserError(
                    f"{inp.yours} ({inp.option}, {inp.make}=) is for the {step.name} step alone: "
                    f"make {step.make} {inp.make}=path/to/yours.yaml"
                )
    for name in names or ():  # a step that runs only when asked needs what it asks for
        step = dag.BY_NAME.get(name)
        missing = [i for i in step.inputs if i.positional and not pipeline.own_files(i, ctx)] if step else []
        if missing:
            usage = " ".join(f"{v}=..." for v in step.asks)
            raise UserError(
                f"the {step.name} step runs only when asked, with {missing[0].yours}: make {step.make} {usage}"
            )
    alone = dag.BY_NAME[names[0]] if names and len(names) == 1 else None
    if ctx.out is not None and (alone is None or alone.out is None):
        raise UserError(pipeline._out_usage())
    if alone is not None and alone.out is not None:
        ctx.out_step = alone.name
        # a run of one's own (own files, or some forces) goes to a folder of its own, never over the project's run
        ctx.out = ctx.out if ctx.out is not None else pipeline.default_out(alone, ctx)
    pipeline.run(ctx, names)
    return 0


def cmd_run(args) -> int:
    names = [n for n in args.steps if n != "all"] or None
    unknown = [n for n in names or [] if n not in dag.BY_NAME and n not in dag.BY_TARGET]
    if unknown:
        raise UserError(f"no step named {', '.join(map(repr, unknown))}; steps: {', '.join(dag.BY_NAME)} (or all)")
    asked = [dag.BY_TARGET[n] if n in dag.BY_TARGET else dag.BY_NAME[n] for n in names or []]
    for s in (s for s in asked if s.asks):
        raise UserError(
            f"the {s.name} step needs {' and '.join(s.asks)}: run it with its own command, "
            f"make {s.make} {' '.join(f'{v}=...' for v in s.asks)}"
        )
    return _run(args, [dag.BY_TARGET[n].name if n in dag.BY_TARGET else n for n in names] if names else None)


def cmd_step(args) -> int:
    step = dag.BY_NAME[args.command]
    extra = {o.name: getattr(args, o.name) for o in step.flags if getattr(args, o.name, None)}
    return _run(args, [step.name], **extra)


def cmd_steps(args) -> int:
    if args.write or args.check:
        stale = []
        for path, text in _generated().items():
            current = path.read_text() if path.is_file() else ""
            if current != text:
                stale.append(paths.relative(path))
                if args.write:
                    from .atomic import write_text

                    write_text(path, text)
                    print(f"wrote {paths.relative(path)}")
        if args.check and stale:
            print(f"out of date: {', '.join(stale)}; run python -m crimeoutcomes steps --write", file=sys.stderr)
            return 1
        return 0
    from . import pipeline

    ctx = context(args)
    for d in pipeline.plan(ctx):
        print(f"{d.step.name:<12} {'runs: ' + d.reason if d.stale else 'current'}")
    return 0


def _generated() -> dict[Path, str]:
    docs = paths.CHECKOUT / dag.DOCS_FILE
    return {
        paths.CHECKOUT / dag.MAKE_FILE: dag.makefile(),
        docs: dag.with_docs_table(docs.read_text()),
    }


def cmd_editions(args) -> int:
    from .data import manifest

    mf = manifest.load(args.manifest)
    for name, e in mf.editions.items():
        files = f"{len(e.files)} files" if e.files else f"generated (a SYNTHETIC stand-in for {e.generate})"
        default = " (default)" if name == mf.default_edition else ""
        print(f"{name}{default}: {files}, financial years {', '.join(e.financial_years)}\n    {e.description}")
    return 0


def cmd_measures(args) -> int:
    """What a story can measure: every offence group, subgroup and code and every outcome type, with counts."""
    from .analysis import catalogue
    from .analysis.measures import Dataset
    from .publish.words import numbers, wording

    ds = Dataset.load(context(args).name)
    cat = catalogue.catalogue(ds)
    when = wording.period_name(cat.period) if cat.period is not None else "every quarter"
    print(f"England and Wales, {when}: offences recorded, outcomes assigned; write the name as shown in a story spec")
    for kind in catalogue.KINDS:
        print(f"\noffence {kind}s:")
        for r in cat.offences[cat.offences["kind"] == kind].itertuples(index=False):
            about = f" ({r.description})" if kind == "code" else ""
            print(
                f"  {{{kind}: {r.name}}}{about}: {numbers.count(r.recorded)} recorded, {numbers.count(r.closed)} closed"
            )
    print("\noutcome types:")
    for r in cat.outcomes.itertuples(index=False):
        print(f"  {r.type}: {r.description} ({numbers.count(r.closed)} assigned)")
    return 0


def cmd_fetch(args) -> int:
    from .data import fetch

    ctx = context(args)
    for src, path in fetch.obtain_all(ctx.edition, ctx.mirror, allow_download=not ctx.offline):
        print(f"ok  {src.financial_year}  {paths.relative(path)}  sha256 {src.sha256[:16]}…")
    return 0


def cmd_check_pages(args) -> int:
    from .data import manifest
    from .tools import check_pages

    edition = manifest.load(args.manifest).edition(args.edition).name
    return check_pages.main(edition, args.pages or None, Path(args.out) if args.out else None)


def cmd_discover(args) -> int:
    from .tools import discover

    return discover.run(
        manifest_path=args.manifest,
        api_url=args.api_url or discover.DEFAULT_API_URL,
        download=args.download,
        raw_dir=Path(args.raw_dir) if args.raw_dir else None,
        timeout=args.timeout,
    )


def cmd_notebooks(args) -> int:
    from .tools import testing

    return testing.regenerate_committed(args.names or None)


def cmd_install_kernel(args) -> int:
    from .publish.execute import notebooks

    print(f"kernel {notebooks.KERNEL!r} registered in {paths.relative(notebooks.install_kernel())}")
    return 0


def cmd_lab(args) -> int:
    from .data import manifest
    from .tools import lab

    edition = manifest.load(args.manifest).edition(args.edition).name
    return lab.main(
        edition,
        fresh=args.fresh,
        lab_args=args.lab_args or "",
        where=Path(args.folder) if args.folder else None,
        start=not args.prepare_only,
    )


def cmd_bench(args) -> int:
    from .tools import bench

    return bench.main(args)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line too: what is wrong, and where the help is."""

    def error(self, message: str):
        self.exit(EXIT_ERROR, f"error: {message}; see python -m {self.prog} --help\n")


def _jobs(text: str) -> int:
    """--jobs N: a whole number of workers (0: the default)."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"JOBS (--jobs) must be a whole number of workers, such as 2, not {text!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="crimeoutcomes", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
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

    def step_options(sp):
        sources(sp)
        sp.add_argument("--jobs", type=_jobs, help="workers at once (default and most: the cores, as memory allows)")
        sp.add_argument(
            "--keep-notebooks", action="store_true", help="keep each executed notebook (the reports and pages steps)"
        )

    def own_inputs(sp, steps):  # a user's own files in place of a declared input, and a folder of their own
        for s in steps:
            for i in s.own_inputs:
                where = f"{s.name}: " if len(steps) > 1 else ""
                if i.positional:  # a file the step must be given: its command's argument (that step's alone)
                    if len(steps) == 1:
                        sp.add_argument(i.own, help=f"{i.yours} (make {s.make} {i.make}=...)")
                    continue
                sp.add_argument(
                    i.option, dest=i.own, action="append", help=f"{where}{i.yours} instead of {i.path} (repeatable)"
                )
        outs = [s for s in steps if s.out]
        if outs:
            sp.add_argument(
                "--out",
                help="the folder of your own run of "
                + " or ".join(
                    f"the {s.name} step (default: {s.out.default.replace('{edition}', 'EDITION')})" for s in outs
                ),
            )

    def flag(sp, o):
        if o.value:
            sp.add_argument(o.flag, dest=o.name, metavar=o.value, required=o.required, help=o.help)
        elif o.several:
            sp.add_argument(o.flag, dest=o.name, action="append", help=o.help)
        else:
            sp.add_argument(o.flag, dest=o.name, action="store_true", help=o.help)

    sp = add("run", cmd_run, "run steps (default: all) and what they need first; current steps are skipped")
    sp.add_argument("steps", nargs="*", help=f"steps: {', '.join(dag.BY_NAME)} (or all)")
    step_options(sp)
    own_inputs(sp, dag.STEPS)
    for o in dict.fromkeys(o for s in dag.STEPS for o in s.flags if o.reruns):
        flag(sp, o)
    for s in dag.STEPS:
        sp = add(s.name, cmd_step, f"step {s.name}: {s.summary} -> {s.folder}/")
        step_options(sp)
        for o in s.flags:
            flag(sp, o)
        own_inputs(sp, [s])
    sp = add(
        "steps",
        cmd_steps,
        "what each step would do now (current, or why it runs); --write regenerates steps.mk and the docs table",
    )
    sources(sp)
    sp.add_argument("--write", action="store_true", help="regenerate steps.mk and docs/architecture.md's table")
    sp.add_argument("--check", action="store_true", help="exit 1 when steps.mk or the docs table is out of date")
    add("editions", cmd_editions, "list the editions in the manifest")
    edition(
        add("measures", cmd_measures, "what a story can measure: every offence group, subgroup and code and outcome")
    )
    sources(add("fetch", cmd_fetch, "obtain and sha256-verify the raw files of an edition (or generate them)"))
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
    sp = add(
        "lab",
        cmd_lab,
        "JupyterLab on your own copies of the notebooks (my-notebooks/, made when missing, never overwritten)",
    )
    edition(sp)
    sp.add_argument("--fresh", action="store_true", help="put your copies aside in my-notebooks/old/ and make new ones")
    sp.add_argument("--lab-args", help="options for JupyterLab, as one string (e.g. '--no-browser --port 8899')")
    sp.add_argument("--folder", help="the folder of your copies (default: my-notebooks at the project root)")
    sp.add_argument("--prepare-only", action="store_true", help="make the copies and stop (do not start JupyterLab)")
    sp = add("bench", cmd_bench, "print speed and memory figures side by side")
    sp.add_argument("--quick", action="store_true", help="skip the full-scale synthetic edition")
    return p


def _os_error(exc: OSError) -> str:
    where = paths.relative(os.fsdecode(exc.filename)) if exc.filename else "an output file"
    if exc.filename and os.fsdecode(exc.filename).endswith("/"):
        where = f"a file in {where}/"
    if exc.errno == errno.ENOSPC:
        return f"the disk is full while writing {where}; free some space and run again (nothing half-written was kept)"
    if exc.errno == errno.EFBIG:
        return (
            f"{where} grew larger than this shell lets a program write a file (ulimit -f); raise the limit "
            "(ulimit -f unlimited) and run again (nothing half-written was kept)"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {where}: permission denied or read-only; fix the folder's permissions and run again"
    return f"{exc.strerror or exc} ({where})"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        problem = paths.root_problem()
        if problem:
            raise UserError(problem)
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
    except MemoryError:
        if args.debug:
            raise
        print(
            "error: out of memory: outputs are as they were before this run; close other programs, or run with "
            "fewer workers (JOBS=1), and run again",
            file=sys.stderr,
        )
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
