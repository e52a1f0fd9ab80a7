"""Reading the committed YAML configuration files and checking them against a JSON schema, with one-line
messages that name the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path | str, what: str, error: type[Exception]) -> dict:
    """The YAML document at `path`; a missing file or invalid YAML raises `error` naming the file and line."""
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise error(f"{what} {path} is a folder, not a YAML file") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{path}: not valid YAML: {where}{problem}") from None
    if not isinstance(doc, dict):
        raise error(
            f"{path}: expected a YAML mapping (key: value lines) at the top level, found "
            f"{type(doc).__name__ if doc is not None else 'an empty file'}"
        )
    return doc


def _where(doc: dict, location: list, id_key: str) -> str:
    """['files', 3, 'bytes'] -> "files entry 4 (id 'x'), field 'bytes'"."""
    parts, node = [], doc
    for i, step in enumerate(location):
        if isinstance(step, int):
            label = f"entry {step + 1}"
            try:
                node = node[step]
                if isinstance(node, dict) and node.get(id_key) is not None:
                    label += f" ({id_key} {node[id_key]!r})"
            except (IndexError, KeyError, TypeError):
                node = None
            parts.append(label)
        else:
            parts.append(f"{step!r}" if i else str(step))
            try:
                node = node[step]
            except (KeyError, TypeError, IndexError):
                node = None
    return ", ".join(parts) if parts else "top level"


def validate(doc: dict, schema: dict, path: Path | str, error: type[Exception], id_key: str = "id") -> None:
    """Raise `error` for the first schema violation, naming file, entry and field."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = sorted(validator.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not problems:
        return
    first = problems[0]
    if first.validator == "additionalProperties":
        extra = sorted(set(first.instance) - set(first.schema.get("properties", {})))
        message = (
            f"unknown field(s) {', '.join(map(repr, extra))}; allowed: {', '.join(first.schema.get('properties', {}))}"
        )
    elif first.validator == "required":
        message = first.message.replace("is a required property", "is missing (required)")
    else:
        message = first.message
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    raise error(f"{path}: {_where(doc, list(first.absolute_path), id_key)}: {message}{more}")
