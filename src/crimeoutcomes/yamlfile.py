"""Reading the YAML configuration files (committed, or a registry a user brings) and checking them against a JSON
schema, with one-line messages that name the file, the entry and the field.

A YAML file may come from anyone, so it is read within bounds: a regular file of at most `MAX_BYTES`, nested at
most `MAX_DEPTH` deep, at most `MAX_NODES` values, and aliases (`*name`) that repeat at most `MAX_ALIASED` values in
all (an alias bomb of a few hundred bytes would otherwise expand to gigabytes). Only plain data is built (safe
loading: no tags that run code)."""

from __future__ import annotations

import difflib
import functools
import json
import os
import reprlib
import stat
from pathlib import Path

import yaml

from . import paths

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000
MAX_ALIASED = 10_000


class _Refused(yaml.YAMLError):
    """A YAML file beyond the bounds; `mark` says where."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


#: libyaml's parser and loader when PyYAML was built with it (it is, from PyPI's wheels): ten times faster. The two
#: readers differ on a few corners of the grammar: a document libyaml refuses (an empty value before a comma in a flow
#: mapping, `{quote:, ...}`) is read again by PyYAML's own parser, so its reading and messages stand; one libyaml reads
#: and PyYAML would refuse (a tab after a colon, `a:<tab>1`) is read as libyaml reads it, as other YAML tools do. The
#: bounds below are checked on the events of the parser that then builds the document.
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str, loader) -> object:
    _check_bounds(text, loader)
    return yaml.load(text, Loader=loader)


def _check_bounds(text: str, loader) -> None:
    """Refuse a document beyond the bounds, from its parse events alone (before anything is built): nesting depth,
    values, and the values aliases repeat (an alias repeats every value its anchor's node holds, itself included)."""
    depth_open: list[list] = []  # the collections open: [anchor, values so far, start mark]
    sizes: dict[str, int] = {}  # anchor -> values its node holds (once closed)
    nodes = aliased = 0

    def add(counted: int, size: int, mark) -> None:
        """`counted` values composed (an alias: every value it repeats), `size` values held by the parent."""
        nonlocal nodes
        nodes += counted
        if nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values; split the file", mark)
        if depth_open:
            depth_open[-1][1] += size

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor)
            if size is None:
                if any(o[0] == event.anchor for o in depth_open):
                    raise _Refused(f"the alias *{event.anchor} refers to a value that contains it", event.start_mark)
                raise yaml.composer.ComposerError(
                    None, None, f"found undefined alias {event.anchor!r}", event.start_mark
                )
            aliased += size
            if aliased > MAX_ALIASED:
                raise _Refused(
                    f"aliases (*name) repeat more than {MAX_ALIASED:,} values; write the values out instead",
                    event.start_mark,
                )
            add(size, size, event.start_mark)
        elif isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(depth_open) + 1 > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1, 1, event.start_mark)
            else:
                depth_open.append([event.anchor, 1, event.start_mark])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size, mark = depth_open.pop()
            if anchor:
                sizes[anchor] = size
            add(1, size, mark)


def dump(doc, width: int = 120) -> str:
    """A document as YAML text (libyaml's emitter when PyYAML has it: keys in their order, Unicode as it is)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=width)


def _text(path: Path, what: str, error: type[Exception]) -> str:
    """The file's text: a regular file of at most MAX_BYTES, in UTF-8 (never a device, a pipe or a folder)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{what} not found: {paths.relative(path)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{what} {paths.relative(path)} is a folder, not a YAML file")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{what} {paths.relative(path)} is not a regular file (a device or a pipe?); name a YAML file")
    too_big = f"{what} {paths.relative(path)} is larger than {MAX_BYTES // 2**20} MB; is it the right file?"
    if st.st_size > MAX_BYTES:
        raise error(too_big)
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # it grew, or it is a special file that says it is empty
        raise error(too_big)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{paths.relative(path)}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_yaml(path: Path | str, what: str, error: type[Exception]) -> dict:
    """The YAML document at `path`, read within the bounds above; a missing, special, large, invalid or hostile file
    raises `error` naming the file and line."""
    path = Path(path)
    text = _text(path, what, error)
    try:
        try:
            doc = _load(text, _FAST)
        except _Refused:
            raise
        except yaml.YAMLError:
            if _FAST is yaml.SafeLoader:
                raise
            doc = _load(text, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        kind = "refused" if isinstance(exc, _Refused) else "not valid YAML"
        raise error(f"{paths.relative(path)}: {kind}: {where}{problem}") from None
    if not isinstance(doc, dict):
        raise error(
            f"{paths.relative(path)}: expected a YAML mapping (key: value lines) at the top level, found "
            f"{type(doc).__name__ if doc is not None else 'an empty file'}"
        )
    return doc


_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 4, 4, 2


def short(value) -> str:
    """A value as messages show it: its repr, cut short (a message is one line, whatever a file holds)."""
    return _SHORT.repr(value)


def _where(doc: dict, location: list, id_key: str) -> str:
    """['files', 3, 'bytes'] -> "files, entry 4 (id 'x'), 'bytes'"."""
    parts, node = [], doc
    for i, step in enumerate(location):
        if isinstance(step, int):
            label = f"entry {step + 1}"
            try:
                node = node[step]
                if isinstance(node, dict) and node.get(id_key) is not None:
                    label += f" ({id_key} {short(node[id_key])})"
            except (IndexError, KeyError, TypeError):
                node = None
            parts.append(label)
        else:
            parts.append(short(step) if i else str(step))
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
        if value is None:
            return "has no value; write one after the colon, or remove the field"
        said = f"{short(value)} is not of type {' or '.join(repr(k) for k in kinds)}"
        if "string" in kinds and isinstance(value, bool):
            return said + (
                f": YAML reads an unquoted yes, no, on, off, true or false as {value}; put the text in quotes "
                "(e.g. 'yes')"
            )
        if "string" in kinds and isinstance(value, (int, float)):
            return said + f": put it in quotes ('{value}') to make it text"
        return said
    if rule == "pattern":
        return f"{short(value)} does not match {d!r}"
    if rule == "enum":
        return f"{short(value)} is not one of {', '.join(map(repr, d))}"
    if rule == "const":
        return f"{short(value)} must be {d!r}"
    if rule == "additionalProperties":
        allowed = list(exc.definition.get("properties", {}))
        extra = sorted(set(value) - set(allowed), key=str) if isinstance(value, dict) else []
        hints = {k: difflib.get_close_matches(str(k), allowed, n=1) for k in extra}
        named = [short(k) + (f" (did you mean {h[0]!r}?)" if h else "") for k, h in list(hints.items())[:5]]
        return f"unknown field(s) {', '.join(named)}; allowed: {', '.join(allowed)}"
    if rule == "propertyNames":
        names = list(value) if isinstance(value, dict) else []
        odd = [k for k in names if not isinstance(k, str)]
        if odd:
            return f"the name {short(odd[0])} is not text: put it in quotes"
        return f"the names must be text of at most {d.get('maxLength', 'a few')} characters"
    if rule in ("minItems", "minProperties", "minLength"):
        return "must not be empty"
    if rule in ("minimum", "exclusiveMinimum"):
        return f"{short(value)} is less than {'or equal to ' if rule == 'exclusiveMinimum' else ''}the minimum of {d!r}"
    if rule in ("maxItems", "maxProperties", "maxLength"):
        what = {"maxItems": "item(s)", "maxProperties": "field(s)", "maxLength": "characters"}[rule]
        return f"has more than {d} {what}"
    text = exc.message.removeprefix(exc.name).strip()
    return text if len(text) <= 200 else text[:200] + "…"


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
