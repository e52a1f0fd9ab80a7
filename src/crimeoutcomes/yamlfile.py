"""Reading the committed YAML configuration files and checking them against a JSON schema, with one-line
messages that name the file, the entry and the field."""

from __future__ import annotations

import difflib
import functools
import json
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
    """['files', 3, 'bytes'] -> "files, entry 4 (id 'x'), 'bytes'"."""
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


@functools.cache
def _compiled(schema_json: str):
    import fastjsonschema

    return fastjsonschema.compile(json.loads(schema_json))


def _problem(exc) -> str:
    """A schema violation in words, with the offending value."""
    rule, d, value = exc.rule, exc.rule_definition, exc.value
    if rule == "type":
        kinds = d if isinstance(d, list) else [d]
        return f"{value!r} is not of type {' or '.join(repr(k) for k in kinds)}"
    if rule == "pattern":
        return f"{value!r} does not match {d!r}"
    if rule == "enum":
        return f"{value!r} is not one of {', '.join(map(repr, d))}"
    if rule == "const":
        return f"{value!r} must be {d!r}"
    if rule == "additionalProperties":
        allowed = list(exc.definition.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        hints = {k: difflib.get_close_matches(str(k), allowed, n=1) for k in extra}
        named = [f"{k!r}" + (f" (did you mean {h[0]!r}?)" if h else "") for k, h in hints.items()]
        return f"unknown field(s) {', '.join(named)}; allowed: {', '.join(allowed)}"
    if rule in ("minItems", "minProperties", "minLength"):
        return "must not be empty"
    if rule in ("minimum", "exclusiveMinimum"):
        return f"{value!r} is less than {'or equal to ' if rule == 'exclusiveMinimum' else ''}the minimum of {d!r}"
    if rule in ("maxItems", "maxProperties", "maxLength"):
        what = {"maxItems": "item(s)", "maxProperties": "field(s)", "maxLength": "characters"}[rule]
        return f"has more than {d} {what}"
    return exc.message.removeprefix(exc.name).strip()


def _explained(exc) -> str:
    """The problem, and the schema's own hint (its `description`) where it gives one."""
    hint = exc.definition.get("description") if isinstance(exc.definition, dict) else None
    return _problem(exc) + (f"; {hint}" if hint else "")


def validate(doc: dict, schema: dict, path: Path | str, error: type[Exception], id_key: str = "id", where=None) -> None:
    """Raise `error` for the first schema violation, naming file, entry and field (fastjsonschema: compiled once,
    and quick to import, so that deciding whether a step must run stays well under a second). `where(doc,
    location)` words the place, when a file has its own way of naming its entries."""
    import fastjsonschema

    try:
        _compiled(json.dumps(schema, sort_keys=True))(doc)
    except fastjsonschema.JsonSchemaValueException as exc:
        location = [int(p) if p.isdigit() else p for p in exc.path[1:]]
        problem = _explained(exc)
        if exc.rule == "required":  # name the missing field where it belongs
            missing = [k for k in exc.rule_definition if not isinstance(exc.value, dict) or k not in exc.value]
            location, problem = [*location, missing[0]], "missing (required)"
        place = where(doc, location) if where else _where(doc, location, id_key)
        raise error(f"{path}: {place}: {problem}") from None
