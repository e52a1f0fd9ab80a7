"""One declaration per processed table: its file, columns (name, type, meaning), key and description.

The same declaration is used to write a table (columns checked and cast, key checked, written atomically), to
load it (types restored), and to describe it (the dataset guide's column list, docs/architecture.md). Nothing
else in the project lists these columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .. import csvfile, dag, paths
from ..atomic import atomic_path
from ..errors import DataError

#: column type -> pandas dtype
_PANDAS = {
    "category": "category",
    "text": "string",
    "bool": "bool",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "count": "Int64",
    "date": "datetime64[s]",
    "float": "float64",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of _PANDAS; "count" = nullable whole number
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    check_key: bool = True  # the tidy table's key is checked per raw file while cleaning (cheaper), not here
    also_csv: bool = False  # write a CSV copy beside the Parquet file

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def is_csv(self) -> bool:
        return self.file.endswith(".csv")

    def path(self, edition: str) -> Path:
        return paths.edition_dir(edition) / self.file

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """The frame with exactly the declared columns, in order, cast to the declared types; a missing or extra
        column, or a value that cannot take its type, is an error naming the table and column."""
        missing = [c for c in self.names if c not in df.columns]
        extra = [c for c in df.columns if c not in self.names]
        if missing or extra:
            raise DataError(
                f"table {self.name}: columns do not match its declaration (missing: {missing or 'none'}; "
                f"not declared: {extra or 'none'}); update crimeoutcomes/data/tables.py and the code together"
            )
        out = df[self.names]
        casts = {}
        for c in self.columns:
            target = _PANDAS[c.type]
            if str(out[c.name].dtype) != target:
                try:
                    casts[c.name] = out[c.name].astype(target)
                except (TypeError, ValueError) as exc:
                    raise DataError(
                        f"table {self.name}, column {c.name}: cannot be stored as {c.type} ({exc})"
                    ) from None
        if casts:
            out = out.assign(**casts)
        if self.check_key and out.duplicated(list(self.key)).any():
            dup = out[out.duplicated(list(self.key), keep=False)].head(4)
            raise DataError(
                f"table {self.name}: key {', '.join(self.key)} is not unique, e.g. "
                + "; ".join(str(tuple(r)) for r in dup[list(self.key)].itertuples(index=False))
            )
        return out

    def write(self, df: pd.DataFrame, folder: Path) -> Path:
        df = self.conform(df)
        target = Path(folder) / self.file
        if self.is_csv:
            csvfile.to_csv(df, target)
        else:
            with atomic_path(target, ".parquet") as tmp:
                df.to_parquet(tmp, index=False, compression="zstd")
            if self.also_csv:
                csvfile.to_csv(df, target.with_suffix(".csv"))
        return target

    def read(self, path: Path, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
        if not path.is_file():
            raise DataError(
                f"{paths.relative(path)} not found: build the edition first (make data EDITION={path.parent.name})"
            )
        wanted = columns or self.names
        if self.is_csv:
            types = {c.name: c.type for c in self.columns if c.name in wanted}
            df = csvfile.read_csv(
                path,
                usecols=wanted,
                keep_default_na=False,
                na_values={n: [""] for n, t in types.items() if t not in ("text", "category")},
                dtype={
                    n: ("string" if t in ("text", "category") else _PANDAS[t])
                    for n, t in types.items()
                    if t not in ("date", "bool")
                },
            )
            for n, t in types.items():
                if t == "bool":
                    df[n] = df[n].map({"True": True, "False": False, True: True, False: False}).astype("bool")
                elif t == "date":
                    df[n] = pd.to_datetime(df[n]).astype(_PANDAS["date"])
                elif t == "category":
                    df[n] = df[n].astype("category")
            return df[wanted]
        # arrow's buffers are freed column by column as pandas takes them (about 20% lower peak than read_parquet)
        table = pq.read_table(path, columns=wanted, filters=filters)
        return table.to_pandas(self_destruct=True, split_blocks=True)

    def load(self, edition: str, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
        return self.read(self.path(edition), columns, filters)

    def describe(self) -> pd.DataFrame:
        """Column, type and meaning, for readers (the dataset guide)."""
        return pd.DataFrame(
            {"column": self.names, "type": [c.type for c in self.columns], "meaning": [c.meaning for c in self.columns]}
        )


_PERIOD = (
    Column("financial_year", "category", "financial year, April to March: '2018/19' = April 2018 to March 2019"),
    Column(
        "fin_quarter",
        "int8",
        "financial quarter: 1 = April-June, 2 = July-September, 3 = October-December, 4 = January-March",
    ),
)
_CALENDAR = (
    Column("calendar_year", "int16", "the calendar year of the quarter (financial Q4 of 2018/19 is in 2019)"),
    Column("calendar_quarter", "int8", "the calendar quarter: financial Q1 (April-June) is calendar Q2"),
)
_FORCE = (
    Column("force", "category", "police force, canonical name (the raw files also write 'London, City of')"),
    Column(
        "force_kind",
        "category",
        "territorial (43 forces), british transport police, or fraud reporting body (a central body, not a force)",
    ),
)
_LEFT_OUT = (
    Column(
        "closed_left_out",
        "int32",
        "closed-basis cells not summed that should hold a count: blank, text, "
        "'data not provided', out of range or not a whole number (design blanks excluded)",
    ),
    Column("recorded_left_out", "int32", "the same for the recorded basis"),
)

OUTCOMES = Table(
    name="outcomes",
    file=dag.file("build", "outcomes"),
    check_key=False,
    description="The tidy table: one row per financial year x quarter x force x offence code x outcome type, as "
    "published, with every raw row traceable to its file and row.",
    key=("financial_year", "fin_quarter", "force", "offence_code", "outcome_type"),
    columns=_PERIOD
    + _CALENDAR
    + _FORCE
    + (
        Column("offence_code", "category", "Home Office offence classification code (trimmed, upper case)"),
        Column("offence_description", "category", "the offence's name"),
        Column("offence_group", "category", "offence group, e.g. 'Violence against the person'"),
        Column("offence_subgroup", "category", "offence subgroup, e.g. 'Rape'"),
        Column(
            "offence_code_expired", "bool", "True where the code is no longer in use (its rows may still be listed)"
        ),
        Column(
            "outcome_type",
            "category",
            "Home Office outcome type as text: '0' to '22' ('1a', '2a', '3a' are 'of which' rows)",
        ),
        Column("outcome_description", "category", "what the outcome type means, as the file words it"),
        Column("outcome_group", "category", "the file's outcome group"),
        Column(
            "in_totals",
            "bool",
            "False for outcome type 0, the 1a/2a/3a rows and fraud reporting bodies: they never enter a total",
        ),
        Column(
            "closed",
            "count",
            "closed basis: outcomes assigned in the quarter, whenever the offence was recorded "
            "(empty where the cell is not a count)",
        ),
        Column(
            "closed_issue",
            "category",
            "'' for a plain count, else blank / text / not provided / non-integer / out of range / negative",
        ),
        Column("closed_raw", "category", "the cell as written whenever it is not a plain count (no token is lost)"),
        Column(
            "recorded",
            "count",
            "recorded basis: outcomes so far of offences recorded in that quarter (type 0 = none yet)",
        ),
        Column("recorded_issue", "category", "as closed_issue, for the recorded count"),
        Column("recorded_raw", "category", "as closed_raw, for the recorded count"),
        Column("source_file", "category", "the raw file the row came from"),
        Column("source_sheet", "category", "the workbook sheet ('' for CSV files)"),
        Column("source_row", "int32", "the row in the raw file (1-based, as a spreadsheet or text editor numbers it)"),
    ),
)

AGGREGATE = Table(
    name="aggregate",
    file=dag.file("build", "aggregate"),
    also_csv=True,
    description="Force x financial quarter x outcome type: closed and recorded totals over every offence.",
    key=("force", "financial_year", "fin_quarter", "outcome_type"),
    columns=_FORCE
    + _PERIOD
    + _CALENDAR
    + (
        Column("quarter_start", "date", "the first day of the quarter"),
        Column("outcome_type", "category", "Home Office outcome type"),
        Column("outcome_description", "category", "short description of the outcome type"),
        Column("in_totals", "bool", "whether this outcome type enters totals"),
        Column("closed", "count", "sum of the closed-basis counts (numbers as published, negative ones included)"),
        Column("recorded", "count", "sum of the recorded-basis counts"),
        Column("rows", "int32", "raw rows summed"),
    )
    + _LEFT_OUT,
)

OFFENCE_GROUPS = Table(
    name="offence_groups",
    file=dag.file("build", "offence_groups"),
    description="Force x financial quarter x offence group x outcome type totals.",
    key=("force", "financial_year", "fin_quarter", "offence_group", "outcome_type"),
    columns=_FORCE
    + _PERIOD
    + (
        Column("offence_group", "category", "offence group"),
        Column("outcome_type", "category", "Home Office outcome type"),
        Column("in_totals", "bool", "whether this outcome type enters totals"),
        Column("closed", "count", "sum of the closed-basis counts"),
        Column("recorded", "count", "sum of the recorded-basis counts"),
    )
    + _LEFT_OUT,
)

COVERAGE = Table(
    name="coverage",
    file=dag.file("build", "coverage"),
    description="Every police force x quarter of the edition: is it there, was it supplied in full, is it plausible.",
    key=("force", "financial_year", "fin_quarter"),
    columns=_FORCE
    + _PERIOD
    + (Column("quarter_label", "text", "'2018/19 Q1'"),)
    + _CALENDAR
    + (
        Column(
            "closed_status",
            "category",
            "closed basis: present | cells left out | partly provided (some counts 'N/A - data not provided') | "
            "not provided (none supplied) | no counts | missing (no rows)",
        ),
        Column("recorded_status", "category", "the same for the recorded basis"),
        Column("rows", "int32", "raw rows for the force and quarter"),
        Column("closed_total", "count", "offences closed (outcome types in totals, closed basis)"),
        Column("recorded_total", "count", "outcomes of offences recorded in the quarter (types in totals)"),
        Column("closed_left_out", "int32", "closed-basis cells that should hold a count but do not"),
        Column("recorded_left_out", "int32", "the same for the recorded basis"),
        Column("closed_not_provided", "int32", "closed-basis cells marked 'data not provided'"),
        Column("recorded_not_provided", "int32", "recorded-basis cells marked 'data not provided'"),
        Column("closed_usual", "count", "the force's usual quarter: median closed total of its other present quarters"),
        Column(
            "plausibility",
            "category",
            "'low' when closed_total is under 60% of the usual quarter (a sign of "
            "partial supply), 'ok', or '' when there are too few quarters to judge",
        ),
    ),
)

QUALITY = Table(
    name="quality",
    file=dag.file("build", "quality"),
    description="Every count cell that is not a plain count, grouped by file, force, quarter, column, issue and token.",
    key=("source_file", "force", "financial_year", "fin_quarter", "column", "issue", "token", "expected"),
    columns=(
        Column("source_file", "text", "raw file"),
        Column("force", "text", "police force ('' for rows with no value at all)"),
        Column("financial_year", "text", "financial year"),
        Column("fin_quarter", "int8", "financial quarter (0 for whole-file rows)"),
        Column("column", "text", "closed or recorded"),
        Column("issue", "text", "blank | text | not provided | non-integer | out of range | negative | empty row"),
        Column("token", "text", "the cell as written"),
        Column("expected", "text", "why such a cell is expected (by design), or '' when it is not"),
        Column("cells", "int64", "how many cells"),
        Column("value_sum", "count", "sum of the cells' values where they are numbers"),
        Column("value_min", "count", "smallest value where they are numbers"),
    ),
)

TABLES = (OUTCOMES, AGGREGATE, OFFENCE_GROUPS, COVERAGE, QUALITY)
BUILD_FILE = dag.file("build", "record")  # the build record: files used, hashes, vintages, sheets, header mappings


def release_of(build: dict) -> dict[str, str]:
    """Financial year -> the release its file comes from (build.json's record of the files)."""
    return {f["financial_year"]: f.get("release") or f["file"] for f in build.get("files", [])}


def releases_for(financial_years, release_of: dict[str, str]) -> list[str]:
    """The releases the files of these financial years come from (sorted; years the build does not know left out)."""
    return sorted({release_of.get(fy, "") for fy in financial_years} - {""})


def edition_record(build: dict) -> dict:
    """What a page needs of build.json: the edition, its release, its files (so a page never reads build.json)."""
    keep = ("edition", "description", "release", "synthetic", "financial_years", "files")
    return {k: build.get(k) for k in keep}


def load_record(edition: str) -> dict:
    """build.json of a built edition."""
    path = paths.edition_dir(edition) / BUILD_FILE
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise DataError(
            f"{paths.relative(path)} not found: build the edition first (make data EDITION={edition})"
        ) from None
