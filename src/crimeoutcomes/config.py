"""Reading the committed YAML configuration files (config/sources.yaml, config/claims.yaml)."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, what: str, error: type[Exception]) -> dict:
    """The YAML document at `path`; a missing file or invalid YAML raises `error` naming the file."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise error(f"{path}: expected a YAML mapping at the top level")
    return doc
