"""The pipeline's steps. Each writes one set of outputs, records a stamp of its inputs, and is a no-op when they
have not changed. The command line (`python -m crimeoutcomes STEP`) and the Makefile call these.

    build        raw files -> data/processed/<edition>/              data.build
    claims       registries -> reports/<edition>/claims/             analysis.claims, publish.claims_page
    sensitivity  -> reports/<edition>/sensitivity/                   analysis.sensitivity, publish.charts
    reports      -> reports/<edition>/forces/                        publish.reports
    pages        notebooks -> reports/<edition>/<notebook>.html      publish.notebooks
    site         -> reports/<edition>/index.html                     publish.site

Nothing a later step writes is inside an earlier step's folder, so re-running an earlier step never loses it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from . import paths, stamps
from .analysis import claims as claims_mod
from .analysis import measures as m
from .analysis import sensitivity as sensitivity_mod
from .atomic import clean_stale, lock, replace_dir, write_text
from .data import build as build_mod
from .data import manifest as manifest_mod
from .errors import DataError
from .publish import charts, claims_page, notebooks, style
from .publish import reports as reports_mod
from .publish import site as site_mod

CODE = ("data", "analysis", "publish")


def _edition(name: str | None, manifest_path=None) -> str:
    return manifest_mod.load(manifest_path).edition(name).name


def _build_stamp(edition: str) -> str:
    path = paths.edition_dir(edition) / stamps.STAMP_FILE
    try:
        return json.loads(path.read_text())["stamp"]
    except (OSError, ValueError, KeyError):
        raise DataError(f"the {edition} edition is not built: run make data EDITION={edition} first") from None


def _crumbs(depth: int) -> list[tuple[str, str]]:
    up = "../" * depth
    return [("All forces", f"{up}index.html")]


def _report_root(edition: str) -> Path:
    root = paths.reports_dir(edition)
    root.mkdir(parents=True, exist_ok=True)
    for stale in clean_stale(root):
        print(f"  removed {paths.relative(stale)} (left by a run that was killed)")
    return root


# ----------------------------------------------------------------------------------------------------- build
def build(
    edition: str | None = None,
    *,
    manifest_path=None,
    mirror=None,
    offline: bool = False,
    jobs: int | None = None,
    force: bool = False,
    log=print,
):
    manifest = manifest_mod.load(manifest_path)
    return build_mod.build_edition(
        edition, manifest=manifest, mirror=mirror, allow_download=not offline, jobs=jobs, force=force, log=log
    )


# ----------------------------------------------------------------------------------------------------- claims
def claims(
    edition: str | None = None,
    *,
    registries: list[Path] | None = None,
    out: Path | None = None,
    manifest_path=None,
    log=print,
) -> Path:
    """Audit every claim of the registries (default: config/claims/*.yaml) into `out` (default:
    reports/<edition>/claims/). Every registry is checked before anything is written."""
    edition = _edition(edition, manifest_path)
    registry_paths = [Path(p) for p in registries] if registries else claims_mod.default_registries()
    out = Path(out) if out else paths.reports_dir(edition) / "claims"
    stamp = stamps.fingerprint(
        _build_stamp(edition),
        [str(p.resolve()) for p in registry_paths],
        *registry_paths,
        paths.sources_manifest(),
        stamps.code_fingerprint(*CODE),
        str(out.resolve()),
    )
    if stamps.is_current(out, stamp, [claims_page.AUDIT_CSV, "index.html"]):
        stamps.touch(out / stamps.STAMP_FILE)
        log(f"claims audit up to date: {paths.relative(out)}/")
        return out
    regs = claims_mod.load_all(registry_paths)  # bad registries fail here, before anything is written
    ds = m.Dataset.load(edition)
    # a registry the user brought must fit the edition; the project's own may name offences another edition lacks
    audit = claims_mod.audit(regs, ds, manifest_mod.load(manifest_path), strict=bool(registries))
    out.parent.mkdir(parents=True, exist_ok=True)
    with lock(out.parent, f"claims-{out.name}", f"the claims audit in {paths.relative(out)}"), replace_dir(out) as tmp:
        claims_page.write(audit, tmp, ds.build, _crumbs(1))
        stamps.write_stamp(tmp, stamp)
    counts = ", ".join(f"{n} {v}" for v, n in audit.counts().items() if n)
    log(f"claims audit: {len(audit.table)} claims ({counts}) -> {paths.relative(out)}/")
    return out


# ----------------------------------------------------------------------------------------------------- sensitivity
def sensitivity(edition: str | None = None, *, manifest_path=None, log=print) -> Path:
    edition = _edition(edition, manifest_path)
    out = paths.reports_dir(edition) / "sensitivity"
    stamp = stamps.fingerprint(_build_stamp(edition), stamps.code_fingerprint(*CODE))
    if stamps.is_current(out, stamp, ["national.csv", "forces.csv"]):
        stamps.touch(out / stamps.STAMP_FILE)
        log(f"sensitivity up to date: {paths.relative(out)}/")
        return out
    ds = m.Dataset.load(edition)
    result = sensitivity_mod.run(ds)
    national = result["national"].drop(columns=["Key"])
    _report_root(edition)
    with lock(paths.reports_dir(edition), "sensitivity", "the sensitivity tables"), replace_dir(out) as tmp:
        write_text(tmp / "national.csv", national.to_csv(index=False))
        write_text(tmp / "forces.csv", result["forces"].drop(columns=["Key"]).to_csv(index=False))
        write_text(tmp / "ranks.csv", sensitivity_mod.force_table(result["forces"]).to_csv(index=False))
        write_text(tmp / "conclusions.json", json.dumps(sensitivity_mod.conclusions(result), indent=1) + "\n")
        computable = national[national[sensitivity_mod.RATE].notna()]
        source = style.source_line(ds.build.get("release") or edition, ds.synthetic)
        drawn = charts.sensitivity_national(computable, source, ds.synthetic)
        saved = charts.save_chart(drawn, tmp)
        write_text(tmp / "charts.json", json.dumps([saved.__dict__], indent=1) + "\n")
        stamps.write_stamp(tmp, stamp)
    log(f"sensitivity: {len(national)} scenario rows -> {paths.relative(out)}/")
    return out


# ----------------------------------------------------------------------------------------------------- reports
def reports(
    edition: str | None = None,
    *,
    only: list[str] | None = None,
    jobs: int | None = None,
    keep_notebooks: bool = False,
    manifest_path=None,
    log=print,
) -> Path:
    edition = _edition(edition, manifest_path)
    _build_stamp(edition)
    root = _report_root(edition)
    folder = root / "forces"
    with lock(root, "reports", "the force reports"):
        figures = reports_mod.render_all(edition, only=only, jobs=jobs, keep_notebook=keep_notebooks, log=log)
        if not only:
            stamps.write_stamp(folder, reports_mod.inputs_stamp(edition, keep_notebooks), **figures)
    return folder


# ----------------------------------------------------------------------------------------------------- pages
def pages(
    edition: str | None = None,
    *,
    names: list[str] | None = None,
    keep_notebooks: bool = False,
    manifest_path=None,
    log=print,
) -> list[Path]:
    """The notebooks' pages (00, 01, 02, 04) for an edition: they read the build, the claims audit and the
    sensitivity tables, so those steps run first."""
    edition = _edition(edition, manifest_path)
    root = _report_root(edition)
    chosen = [notebooks.BY_NAME[n] for n in names] if names else list(notebooks.PAGES)
    inputs = [root / "claims" / stamps.STAMP_FILE, root / "sensitivity" / stamps.STAMP_FILE]
    stamp = stamps.fingerprint(
        _build_stamp(edition), *inputs, *[nb.path for nb in chosen], stamps.code_fingerprint(*CODE), keep_notebooks
    )
    marker = root / ".pages"
    if not names and stamps.is_current(marker, stamp) and all((root / nb.page).is_file() for nb in chosen):
        stamps.touch(marker / stamps.STAMP_FILE)
        log("notebook pages up to date")
        return [root / nb.page for nb in chosen]
    build = build_mod.load_build(edition)
    out = []
    with lock(root, "pages", "the notebook pages"):
        for nb in chosen:
            params = {"edition": edition}
            tmp_nb = root / f".{nb.name}.ipynb.{os.getpid()}.0.part.ipynb"  # a kill leaves it to clean_stale
            notebooks.execute(nb.name, tmp_nb, params)
            page = notebooks.to_html(
                tmp_nb, root / nb.page, title=f"{nb.title} ({edition} edition)", build=build, crumbs=_crumbs(0)
            )
            if keep_notebooks:
                (root / "notebooks").mkdir(exist_ok=True)
                tmp_nb.replace(root / "notebooks" / f"{nb.name}.ipynb")
            else:
                tmp_nb.unlink(missing_ok=True)
            log(f"page: {paths.relative(page)}")
            out.append(page)
        if not names:
            marker.mkdir(exist_ok=True)
            stamps.write_stamp(marker, stamp)
    return out


# ----------------------------------------------------------------------------------------------------- site
def site(edition: str | None = None, *, manifest_path=None, log=print) -> Path:
    edition = _edition(edition, manifest_path)
    _build_stamp(edition)
    _report_root(edition)
    with lock(paths.reports_dir(edition), "site", "the index page"):
        page = site_mod.write_index(edition)
    log(f"index: {paths.relative(page)}")
    return page


def editions_table(manifest_path=None) -> pd.DataFrame:
    mf = manifest_mod.load(manifest_path)
    return pd.DataFrame(
        [
            {
                "edition": n + (" (default)" if n == mf.default_edition else ""),
                "financial years": ", ".join(e.financial_years),
                "files": len(e.files) or "generated",
                "description": e.description,
            }
            for n, e in mf.editions.items()
        ]
    )
