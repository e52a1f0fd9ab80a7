"""pages: the notebooks (00, 01, 02, 04) run with papermill on the edition and converted to pages ->
reports/<edition>/<notebook>.html. They read the build, the claims audit and the sensitivity tables."""

from __future__ import annotations

from .. import dag, paths
from ..publish.execute import notebooks


def run(ctx, target) -> dict:
    written = []
    kernel = notebooks.ReusableKernel()  # one kernel for the pages, one after the other (nbval runs each alone)
    try:
        for nb in dag.PAGES:
            page = notebooks.render_page(
                nb,
                {"edition": ctx.name},
                target.folder / nb.page,
                ctx.build_record,
                kernel=kernel,
                keep=ctx.keep_notebooks,
            )
            ctx.log(f"  page: {paths.relative(page)}")
            written.append(nb.page)
    finally:
        kernel.shutdown()
    return {"summary": f"{len(written)} pages", "files": written}
