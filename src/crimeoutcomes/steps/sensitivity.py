"""sensitivity: the headline rate for England and Wales and every force under each other choice of method ->
reports/<edition>/sensitivity/."""

from __future__ import annotations

from ..analysis import sensitivity
from ..publish.pages import sensitivity_files


def run(ctx, target) -> dict:
    result = sensitivity.run(ctx.dataset)
    sensitivity_files.write(result, ctx.dataset, target.folder)
    return {"summary": f"{len(result.national)} scenario rows"}
