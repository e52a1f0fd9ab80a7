"""Runs the steps of the step table (dag.py): decides which are stale, runs them in order, records their stamps.

A step's stamp is a fingerprint of everything its outputs depend on, as the table declares it: the stamps of its
upstream steps, its input files, the code it runs (its module and every package module that module or the
notebooks it runs import), the lock file, and its options. A step is *current* when its recorded stamp equals the
one computed now and every file it declares and every file it recorded writing exists; a current step is skipped.
Stamps depend only on inputs, so the whole plan is known before anything runs, and a step re-run only because a
file of it was deleted leaves the steps after it current.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import importlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import dag, paths, stamps
from .atomic import clean_stale, lock, recover_dir, recover_tree, replace_dir
from .context import RunContext
from .errors import BusyError, UserError


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
    `final` (where its files end up) and `stamp` (what will be recorded); and what it reads: `input(key)` and
    `inputs(key)`, the files the step table declares (or the user's own in their place), exactly those stamped."""

    folder: Path
    final: Path
    stamp: str
    files: dict = field(default_factory=dict)  # input key -> the files it stands for (resolved, sorted)

    def inputs(self, key: str) -> list[Path]:
        """The files of a declared input (a glob's matches, or the user's own files that replace it)."""
        if key not in self.files:
            raise KeyError(f"the step declares no input {key!r} (declare it in dag.py)")
        return list(self.files[key])

    def input(self, key: str) -> Path:
        """The one file of a declared input."""
        (only,) = self.inputs(key)
        return only


# ------------------------------------------------------------------------------------------- what a step reads
def folder(step: dag.Step, ctx: RunContext) -> Path:
    if _user_out(step, ctx):
        return ctx.out
    return paths.project_root() / step.folder_for(ctx.name)


def own_files(inp: dag.Input, ctx: RunContext | None) -> tuple[Path, ...]:
    """The user's own files that replace a declared input in this run (none: the table's own)."""
    if ctx is None or not inp.own:
        return ()
    given = getattr(ctx, inp.own, ()) or ()
    return (given,) if isinstance(given, Path) else tuple(given)


def resolve(inp: dag.Input, ctx: RunContext | None = None) -> list[Path]:
    """The files a declared input stands for now: the user's own in its place, or the table's (a glob expanded and
    sorted; a single file listed even when absent)."""
    if inp.path == dag.EDITION_FILES:
        return []
    own = own_files(inp, ctx)
    if own or inp.positional:  # a file the user must give has no default
        return list(own)
    pattern = str(paths.project_root() / inp.path)
    return sorted(Path(p) for p in glob.glob(pattern)) if inp.several else [Path(pattern)]


def inputs(step: dag.Step, ctx: RunContext | None = None) -> dict[str, list[Path]]:
    """Every declared input of the step, by key, resolved for this run."""
    return {i.key: resolve(i, ctx) for i in step.inputs}


def input_files(step: dag.Step, ctx: RunContext | None = None) -> list[Path]:
    """The step's input files as they are now (what its stamp hashes: the user's own files by their bytes)."""
    return [p for files in inputs(step, ctx).values() for p in files]


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
        "keep_notebooks": ctx.keep_notebooks,
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
    if any(i.path == dag.EDITION_FILES for i in step.inputs):
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
    else:
        missing, replaced = stamps.check_files(where, record, declared)
        said = [
            f"{len(names)} of its files {how} ({', '.join(names[:3])}{' ...' if len(names) > 3 else ''})"
            for names, how in ((missing, "missing"), (replaced, "replaced since it wrote them"))
            if names
        ]
        reason = "; ".join(said)
    asked = [o.flag for o in step.flags if o.reruns and getattr(ctx, o.name, False)]
    if asked:
        reason = reason or f"asked to run again ({asked[0]})"
    return Decision(step, where, stamp, parts, reason)


def context_for(name: str, ctx: RunContext, names: list[str] | None) -> RunContext:
    """The context a step runs in: the forces a user named (and KEEP_NOTEBOOKS) are for the steps they asked for; a
    step run first because one of those needs it (the stories before `make report FORCE=Kent`) runs as the project's
    own, for every force."""
    if names is None or name in names or not (ctx.forces or ctx.keep_notebooks):
        return ctx
    return dataclasses.replace(ctx, forces=(), keep_notebooks=False)


def plan(ctx: RunContext, names: list[str] | None = None) -> list[Decision]:
    """Every step the named ones need (all steps when None), in order, each with what would make it run."""
    computed: dict[str, str] = {}
    out = []
    for name in dag.order(names):
        d = decide(dag.BY_NAME[name], context_for(name, ctx, names), computed)
        computed[name] = d.stamp
        out.append(d)
    return out


# ------------------------------------------------------------------------------------------- running a step
def out_step(ctx: RunContext) -> dag.Step | None:
    """The step a user's own folder (--out) is for: the one the command line named, else the one step whose inputs
    the user replaced with their own files (None: no folder of the user's)."""
    if ctx.out is None:
        return None
    if ctx.out_step:
        return dag.BY_NAME[ctx.out_step]
    owners = [s for s in dag.STEPS if s.out and any(own_files(i, ctx) for i in s.own_inputs)]
    if len(owners) != 1:
        raise UserError(_out_usage())
    return owners[0]


def _out_usage() -> str:
    names = " or the ".join(s.name for s in dag.STEPS if s.out)
    return f"--out names the folder of your own run of one step: use it with the {names} step alone"


def default_out(step: dag.Step, ctx: RunContext) -> Path | None:
    """The folder of a user's own run of a step when they name none: their files' name (and the forces chosen), in
    the step's declared place (None: the run is the project's own)."""
    if step.out is None:
        return None
    stems = [p.stem for i in step.own_inputs for p in own_files(i, ctx)][:1]
    slugs = [f.slug for f in ctx.forces] if any(o.name == "forces" for o in step.flags) else []
    if not stems and not slugs:
        return None
    slugs = slugs if len(slugs) <= 2 else [slugs[0], f"and-{len(slugs) - 1}-more"]
    return paths.project_root() / step.out.default.format(edition=ctx.name, name="-".join(stems + slugs))


def _suggest(step: dag.Step, ctx: RunContext, out: Path) -> str:
    """A new folder to name instead of `out`: beside the step's folder, not existing yet."""
    base = paths.project_root() / step.out.default.format(edition=ctx.name, name="mine")
    for n in range(1, 100):
        candidate = base if n == 1 else base.with_name(f"{base.name}-{n}")
        if candidate.resolve() != out and not candidate.exists():
            return paths.relative(candidate)
    return paths.relative(base)


def check_out(ctx: RunContext) -> None:
    """The folder a user names for their own run of a step (--out) is checked before anything is created. It is
    never emptied: it must be new, empty, or an earlier run of the same step that holds nothing else. It is never
    the project's (its root, its code, its data, a step's folder, or a folder holding one of these), nor /, nor the
    home folder. A link to a folder is followed (the folder is what is replaced); a link to nothing is refused."""
    step = out_step(ctx)
    if step is None:
        return
    said = f"--out {paths.printable(str(ctx.out))}"
    if step.out is None:
        raise UserError(_out_usage())
    if ctx.out.is_symlink():
        if not ctx.out.exists():
            raise UserError(
                f"{said} is a link to {paths.printable(os.readlink(ctx.out))}, which does not exist; name a real "
                f"folder (new or empty) for your {step.out.yours}, e.g. {_suggest(step, ctx, ctx.out)}"
            )
        ctx.out = ctx.out.resolve()  # followed deliberately: the folder it points to is replaced, never the link
    out, root, checkout = ctx.out.resolve(), paths.project_root().resolve(), paths.CHECKOUT.resolve()
    what, yours = step.out.what, step.out.yours
    mine = _suggest(step, ctx, out)
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


def _out_record(step: dag.Step, out: Path) -> Path:
    """Where the project keeps its own copy of the stamp of a user's folder (among its reports, beside the lock):
    the folder is recognised as an earlier run even when its stamp was deleted."""
    key = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:12]
    return paths.reports_dir() / ".stamps" / f"{step.name}-out-{key}.json"


def _not_written_by(folder: Path, step: dag.Step) -> str | None:
    """The first file in the folder that an earlier run of the step did not write (None: it holds only that run's
    files, or nothing). Stops at the first one: the folder may be large."""
    stamp = step.stamp
    audit = {stamp}
    for record in (stamps.read(folder / stamp), stamps.read(_out_record(step, folder))):
        if record.get("step") == step.name:
            audit |= set(stamps.recorded(record))
    for where, dirs, files in os.walk(folder):
        base = Path(where).relative_to(folder)
        links = [d for d in dirs if os.path.islink(os.path.join(where, d))]
        for name in sorted(files) + links:
            if (base / name).as_posix() not in audit:
                return (base / name).as_posix()
    return None


def _user_out(step: dag.Step, ctx: RunContext) -> bool:
    return ctx.out is not None and step is out_step(ctx)


def preflight(ctx: RunContext) -> None:
    """What a user brought (an --out folder, their own registries) is checked before anything runs or is created."""
    check_out(ctx)
    if ctx.registries:
        from .analysis import claims

        claims.load_all(list(ctx.registries))


def _real_folder(step: dag.Step, where: Path) -> None:
    """A folder the step replaces as a whole must be a real folder: a link there would be replaced by a folder (and
    the run after would fail), so it is refused before the step runs."""
    if step.swap and where.is_symlink():
        raise UserError(
            f"{paths.relative(where)} is a link (to {paths.printable(os.readlink(where))}); the {step.name} step "
            f"replaces its folder as a whole, so it must be a real folder: remove the link and run again (to write "
            f"the outputs elsewhere, set CRIMEOUTCOMES_ROOT to another project root)"
        )


def execute(d: Decision, ctx: RunContext) -> dict:
    """Run one step's body and record its stamp; returns what the body reported."""
    step = d.step
    body = importlib.import_module(step.code)
    final = d.folder
    _real_folder(step, final)
    final.parent.mkdir(parents=True, exist_ok=True)
    files = inputs(step, ctx)
    with _lock(step, final, ctx):
        if step.swap:
            with replace_dir(final) as tmp:
                info = body.run(ctx, Target(tmp, final, d.stamp, files)) or {}
                written = stamps.written(tmp)
                stamps.write(tmp / step.stamp, d.stamp, written, base=tmp, step=step.name, parts=d.parts)
            if _user_out(step, ctx):
                stamps.write(
                    _out_record(step, final), d.stamp, stamps.recorded(stamps.read(final / step.stamp)), step=step.name
                )
        else:
            final.mkdir(parents=True, exist_ok=True)
            info = body.run(ctx, Target(final, final, d.stamp, files)) or {}
            if info.get("partial"):
                return info  # a part of the step (one force): its stamp is not the step's
            stamps.write(final / step.stamp, d.stamp, info.get("files", []), base=final, step=step.name, parts=d.parts)
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
        if not final.parent.is_dir() or (step.swap and final.is_symlink()):
            continue  # a link where a folder is replaced whole is refused before the step runs
        try:
            with _lock(step, final, ctx):
                said = [recover_dir(final)] if step.swap else recover_tree(final)
        except BusyError:
            continue
        for line in filter(None, said):
            ctx.log(f"  {line}")


def run(ctx: RunContext, names: list[str] | None = None, *, log_current: bool = True) -> list[Ran]:
    """Run the named steps (all when None) and what they need first, skipping every step that is current."""
    preflight(ctx)
    recover(ctx, names)
    done = []
    decisions = plan(ctx, names)
    for d in decisions:
        if d.stale:
            _real_folder(d.step, d.folder)
    for d in decisions:
        t = time.perf_counter()
        if not d.stale:  # nothing is written, not even the stamp's time
            if log_current:
                ctx.log(f"{d.step.name}: up to date ({paths.relative(d.folder)}/)")
            done.append(Ran(d.step.name, False, time.perf_counter() - t))
            continue
        ctx.log(f"{d.step.name}: running ({d.reason})")
        info = execute(d, context_for(d.step.name, ctx, names))
        ctx.release()
        seconds = time.perf_counter() - t
        ctx.log(f"{d.step.name}: {info.get('summary', 'done')} -> {paths.relative(d.folder)}/ ({seconds:.1f} s)")
        done.append(Ran(d.step.name, True, seconds, d.reason, info))
    return done
