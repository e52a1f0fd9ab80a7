"""Runs the steps of the step table (dag.py): decides which are stale, runs them in order, records their stamps.

A step's stamp is a fingerprint of everything its outputs depend on, as the table declares it: the stamps of its
upstream steps, its input files, the code it runs (its module and every package module that module or the
notebooks it runs import), the lock file, and its options. A step is *current* when its recorded stamp equals the
one computed now and every file it declares and every file it recorded writing exists; a current step is skipped.
Stamps depend only on inputs, so the whole plan is known before anything runs, and a step re-run only because a
file of it was deleted leaves the steps after it current.
"""

from __future__ import annotations

import glob
import hashlib
import importlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import dag, paths, stamps
from .atomic import clean_stale, lock, recover_dir, replace_dir
from .context import RunContext
from .errors import UserError

#: steps whose output folder a user may name (--out): a user's own claims audit or stories
USER_OUT = ("claims", "stories", "read")


@dataclass
class Decision:
    step: dag.Step
    folder: Path
    stamp: str
    parts: dict
    reason: str = ""  # why it runs ("" = current)

    @property
    def stale(self) -> bool:
        return bool(self.reason)


@dataclass
class Ran:
    step: str
    ran: bool
    seconds: float
    reason: str = ""
    info: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """Where a step's body writes: `folder` (a fresh folder beside the final one when the step is swapped in whole),
    `final` (where its files end up) and `stamp` (what will be recorded)."""

    folder: Path
    final: Path
    stamp: str


# ------------------------------------------------------------------------------------------- what a step reads
def folder(step: dag.Step, ctx: RunContext) -> Path:
    if _user_out(step, ctx):
        return ctx.out
    return paths.project_root() / step.folder_for(ctx.name)


def input_files(step: dag.Step, ctx: RunContext | None = None) -> list[Path]:
    """The step's declared input files as they are now (globs expanded, sorted; an absent file is listed too)."""
    root = paths.project_root()
    out: list[Path] = []
    for pattern in step.inputs:
        if pattern == dag.EDITION_FILES:
            continue
        if pattern == dag.ARTICLE:
            if ctx is not None and ctx.article is not None:
                out.append(ctx.article)  # the article's bytes
            continue
        if pattern == dag.MANIFEST and ctx is not None:
            out.append(ctx.manifest.path)
            continue
        if pattern == dag.REGISTRIES and ctx is not None and ctx.registries:
            out += list(ctx.registries)  # a user's own registries: their bytes, not only their names
            continue
        if glob.has_magic(pattern):
            out += sorted(Path(p) for p in glob.glob(str(root / pattern)))
        else:
            out.append(root / pattern)
    return out


def code_modules(step: dag.Step) -> list[str]:
    """The step's module, the package modules it imports (followed), and those the notebooks it runs import."""
    entries = {step.code}
    for nb in step.notebooks:
        path = paths.project_root() / nb
        if path.is_file():
            entries |= stamps.notebook_imports(path)
    return stamps.closure(entries)


def _options(step: dag.Step, ctx: RunContext) -> dict:
    values = {
        "force": False,  # a forced build writes what an unforced one would
        "keep_notebooks": ctx.keep_notebooks,
        "registries": [str(p.resolve()) for p in ctx.registries],
        "specs": [str(p.resolve()) for p in ctx.specs],
        "out": str(ctx.out.resolve()) if ctx.out else "",
        "forces": [f.name for f in ctx.forces],
        "article": str(ctx.article.resolve()) if ctx.article else "",
        "published": ctx.published,
        "url": ctx.url,
        "title": ctx.title,
    }
    return {o: values[o] for o in step.options}


def stamp_parts(step: dag.Step, ctx: RunContext, upstream: dict[str, str]) -> dict:
    root = paths.project_root()
    parts = {
        "step": step.name,
        "edition": ctx.name,
        "upstream": {u: upstream[u] for u in step.after},
        "inputs": {paths.relative(p, root): stamps.file_digest(p) for p in input_files(step, ctx)},
        "code": {m: stamps.file_digest(stamps.modules()[m]) for m in code_modules(step)},
        "lock": stamps.file_digest(paths.CHECKOUT / dag.LOCK_FILE),
        "options": _options(step, ctx),
    }
    if dag.EDITION_FILES in step.inputs:
        ed = ctx.edition
        parts["edition_files"] = {
            "files": [f.pin() for f in ed.files],
            "synthetic": ed.synthetic,
            "description": ed.description,
            "release": ed.release,
        }
    return parts


_CHANGED = {"upstream": "the {} step", "inputs": "{}", "code": "code: {}", "options": "options: {}"}


def _changed(old: dict, new: dict) -> str:
    """What differs between two stamps' parts, in words."""
    if not old:
        return "its stamp was recorded by an earlier version of the pipeline"
    said = []
    for key, how in _CHANGED.items():
        a, b = old.get(key) or {}, new.get(key) or {}
        names = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if names:
            shown = ", ".join(n.removeprefix("crimeoutcomes.") for n in names[:3]) + (" ..." if len(names) > 3 else "")
            said.append(how.format(shown))
    if old.get("edition_files") != new.get("edition_files"):
        said.append("the edition's files")
    if old.get("lock") != new.get("lock"):
        said.append(dag.LOCK_FILE)
    return "changed: " + "; ".join(said) if said else "its stamp changed"


def decide(step: dag.Step, ctx: RunContext, upstream: dict[str, str]) -> Decision:
    where = folder(step, ctx)
    parts = stamp_parts(step, ctx, upstream)
    stamp = stamps.fingerprint(parts)
    record = stamps.read(where / step.stamp)
    declared = [o.path for o in step.outputs if not o.per_item]
    if not record:
        reason = "not run yet"
    elif record.get("stamp") != stamp:
        reason = _changed(record.get("parts") or {}, parts)
    elif missing := stamps.missing_files(where, record, declared):
        reason = f"{len(missing)} of its files missing ({', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})"
    else:
        reason = ""
    if step.name == "build" and ctx.rebuild:
        reason = reason or "asked to rebuild (--force)"
    return Decision(step, where, stamp, parts, reason)


def plan(ctx: RunContext, names: list[str] | None = None) -> list[Decision]:
    """Every step the named ones need (all steps when None), in order, each with what would make it run."""
    computed: dict[str, str] = {}
    out = []
    for name in dag.order(names):
        d = decide(dag.BY_NAME[name], ctx, computed)
        computed[name] = d.stamp
        out.append(d)
    return out


# ------------------------------------------------------------------------------------------- running a step
def check_out(ctx: RunContext) -> None:
    """The folder a user names for their own run (--out: a claims audit, or stories) is checked before anything is
    created. It is never emptied: it must be new, empty, or an earlier run of the same step that holds nothing else.
    It is never the project's (its root, its code, its data, a step's folder, or a folder holding one of these), nor
    /, nor the home folder."""
    if ctx.out is None:
        return
    out, root, checkout = ctx.out.resolve(), paths.project_root().resolve(), paths.CHECKOUT.resolve()
    said = f"--out {paths.printable(str(ctx.out))}"
    step = dag.BY_NAME[ctx.out_step]
    what = {"claims": "a claims audit", "stories": "stories", "read": "an article read"}[step.name]
    yours = {"claims": "audit", "stories": "stories", "read": "reading"}[step.name]
    mine = paths.relative(root / step.folder_for(ctx.name)) + "-mine"
    editions = {ctx.name, *ctx.manifest.editions}
    steps_all = [((root / s.folder_for(e)).resolve(), s) for s in dag.STEPS for e in editions]
    steps = {f for f, _ in steps_all}
    if out.exists() and not out.is_dir():
        raise UserError(f"{said} is a file, not a folder; name a new folder for your {yours}, e.g. {mine}")
    if out in (Path(out.anchor), Path.home().resolve()):
        where = "the root folder" if out == Path(out.anchor) else "your home folder"
        raise UserError(f"{said} is {where}, which is never emptied; name a new folder for your {yours}, e.g. {mine}")
    if out in steps:
        names = sorted({s.name for f, s in steps_all if f == out})
        which = f"the {' and '.join(names)} step{'s' if len(names) > 1 else ''}"
        raise UserError(f"{said} is the folder of {which}; name a new folder for your {yours}, e.g. {mine}")
    for f, s in steps_all:  # inside a step's folder: only beside its pages, never in a folder the step writes
        if not out.is_relative_to(f):
            continue
        firsts = {o.path.split("/")[0] for o in s.outputs if "/" in o.path}
        written = [f / d for d in firsts if "{" not in d]
        if s.swap or any("{" in d for d in firsts) or any(out.is_relative_to(w) for w in written):
            where = next((w for w in written if out.is_relative_to(w)), f)
            raise UserError(
                f"{said} is inside {paths.relative(where)}/, which the {s.name} step replaces as a whole; name a new "
                f"folder for your {yours}, e.g. {mine}"
            )
    if any(f.is_relative_to(out) for f in (*steps, root, checkout)):
        raise UserError(f"{said} holds the project's own folders; name a new folder for your {yours}, e.g. {mine}")
    if (out.is_relative_to(root) or out.is_relative_to(checkout)) and not out.is_relative_to(root / "reports"):
        raise UserError(
            f"{said} is inside the project's code, configuration or data; name a folder under reports/ "
            f"(e.g. {mine}) or outside the project"
        )
    other = _not_written_by(out, step) if out.is_dir() else None
    if other:
        raise UserError(
            f"{said} already holds files that are not {what} (e.g. {paths.printable(other)}); it is never "
            f"emptied: name a new or empty folder, e.g. {mine}"
        )


def _not_written_by(folder: Path, step: dag.Step) -> str | None:
    """The first file in the folder that an earlier run of the step did not write (None: it holds only that run's
    files, or nothing). Stops at the first one: the folder may be large."""
    stamp = step.stamp
    record = stamps.read(folder / stamp)
    audit = {stamp, *record.get("files", [])} if record.get("step") == step.name else set()
    for where, dirs, files in os.walk(folder):
        base = Path(where).relative_to(folder)
        links = [d for d in dirs if os.path.islink(os.path.join(where, d))]
        for name in sorted(files) + links:
            if (base / name).as_posix() not in audit:
                return (base / name).as_posix()
    return None


def _user_out(step: dag.Step, ctx: RunContext) -> bool:
    return ctx.out is not None and step.name == ctx.out_step


def preflight(ctx: RunContext) -> None:
    """What a user brought (an --out folder, their own registries) is checked before anything runs or is created."""
    check_out(ctx)
    if ctx.registries:
        from .analysis import claims

        claims.load_all(list(ctx.registries))


def execute(d: Decision, ctx: RunContext) -> dict:
    """Run one step's body and record its stamp; returns what the body reported."""
    step = d.step
    body = importlib.import_module(step.code)
    final = d.folder
    final.parent.mkdir(parents=True, exist_ok=True)
    with _lock(step, final, ctx):
        if step.swap:
            with replace_dir(final) as tmp:
                info = body.run(ctx, Target(tmp, final, d.stamp)) or {}
                files = stamps.written(tmp)
                stamps.write(tmp / step.stamp, d.stamp, files, step=step.name, parts=d.parts)
        else:
            final.mkdir(parents=True, exist_ok=True)
            info = body.run(ctx, Target(final, final, d.stamp)) or {}
            if info.get("partial"):
                return info  # a part of the step (one force): its stamp is not the step's
            stamps.write(final / step.stamp, d.stamp, info.get("files", []), step=step.name, parts=d.parts)
    return info


def _lock(step: dag.Step, final: Path, ctx: RunContext):
    """The lock on a step's folder: beside it, or, for a folder the user named, among the project's reports (never a
    file left in the user's folders)."""
    what = f"the {step.name} step's outputs in {paths.relative(final)}"
    if _user_out(step, ctx):
        key = hashlib.sha256(os.fsencode(final.resolve())).hexdigest()[:12]
        return lock(paths.reports_dir(), f"{step.name}-out-{key}", what)
    return lock(final.parent, f"{step.name}-{final.name}", what)


def recover(ctx: RunContext, names: list[str] | None = None) -> None:
    """Remove what killed runs left (temporary files of dead processes) and finish or undo the folder swaps they
    left half done (a step another run holds is left alone)."""
    scratch = {ctx.edition.raw_dir: True, paths.cache_dir(): True}  # folder -> look inside its folders too
    for name in dag.order(names):
        final = folder(dag.BY_NAME[name], ctx)
        if _user_out(dag.BY_NAME[name], ctx):  # a folder of the user's: only what a swap leaves beside it
            scratch.setdefault(final.parent, False)
            continue
        for where in (final.parent, final):
            scratch[where] = scratch.get(where, False) or where not in (paths.processed_dir(), paths.reports_dir())
    for where, recursive in scratch.items():
        for stale in clean_stale(where, recursive=recursive):
            ctx.log(f"  removed {paths.relative(stale)} (left by a run that was killed)")
    for name in dag.order(names):
        step = dag.BY_NAME[name]
        final = folder(step, ctx)
        if not step.swap or not final.parent.is_dir():
            continue
        try:
            with _lock(step, final, ctx):
                said = recover_dir(final)
        except UserError:
            continue
        if said:
            ctx.log(f"  {said}")


def run(ctx: RunContext, names: list[str] | None = None, *, log_current: bool = True) -> list[Ran]:
    """Run the named steps (all when None) and what they need first, skipping every step that is current."""
    preflight(ctx)
    recover(ctx, names)
    done = []
    for d in plan(ctx, names):
        t = time.perf_counter()
        if not d.stale:  # nothing is written, not even the stamp's time
            if log_current:
                ctx.log(f"{d.step.name}: up to date ({paths.relative(d.folder)}/)")
            done.append(Ran(d.step.name, False, time.perf_counter() - t))
            continue
        ctx.log(f"{d.step.name}: running ({d.reason})")
        info = execute(d, ctx)
        ctx.release()
        seconds = time.perf_counter() - t
        ctx.log(f"{d.step.name}: {info.get('summary', 'done')} -> {paths.relative(d.folder)}/ ({seconds:.1f} s)")
        done.append(Ran(d.step.name, True, seconds, d.reason, info))
    return done
