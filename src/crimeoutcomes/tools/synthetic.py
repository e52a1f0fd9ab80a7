"""SYNTHETIC raw outcome files in every published layout, for tests, benchmarks and the synthetic-current edition.

Nothing here is Home Office data. Every file written carries a label: workbooks have a Cover_sheet saying
SYNTHETIC, CSV layouts a first line saying so, file names start with 'synthetic-', offence descriptions read
'Synthetic offence ...'. Editions built from these files are marked synthetic in their build record, and every page,
chart and notebook rendered from them shows a SYNTHETIC DATA banner.

`current_year` makes one financial year in the shape of the current Home Office release, as public code that read
all twelve real workbooks describes it: sheets Cover_sheet, Notes, Pivot and one data sheet named with that year's
spelling; headers on row 1, with the closed-basis header in each of its five known spellings across the years;
44 forces; 2,261 rows per force and quarter in 2014/15 and about 3,980 after; outcome type 19 absent, type 22 with
recorded counts from 2015/16 and closed counts from 2019/20 Q2; count tokens NA (2014/15), N/A (type 0, closed),
'N/A - Offence code expired' / 'N/A - offence code expired' with the expiry flag 'x', 'N/A - data not provided' on
the 45,220 rows of 2014/15 where eight forces supplied only part of their data, and negative counts.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..atomic import atomic_path, write_text
from ..data import forces as forces_mod
from ..data import outcomes

LABEL = "SYNTHETIC DATA made by crimeoutcomes.tools.synthetic for tests and benchmarks - not Home Office statistics"
SEED = 2026

_CURRENT_BASE = {
    "financial_year": "Financial Year",
    "financial_quarter": "Financial Quarter",
    "force_name": "Force Name",
    "offence_code": "Offence Code",
    "offence_description": "Offence Description",
    "offence_group": "Offence Group",
    "offence_subgroup": "Offence Subgroup",
    "offence_code_expired": "Offence code expired",
    "outcome_type": "Outcome Type",
    "outcome_description": "Outcome Description",
    "outcome_group": "Outcome Group",
    "recorded": "Outcomes for offences that were recorded in the quarter",
    "closed": "Outcomes for investigations closed in the quarter",
}
#: canonical column -> header as written, per layout
LAYOUT_HEADERS: dict[str, dict[str, str]] = {
    "xlsx-current": _CURRENT_BASE,
    # 2018/2019 ODS vintages (and the verbatim CSV conversion of the 2019 one)
    "ods-2019": {
        "financial_year": "Financial Year",
        "financial_quarter": "Financial Quarter",
        "force_name": "Force Name",
        "offence_description": "Offence Description",
        "offence_group": "Offence Group",
        "offence_subgroup": "Offence Subgroup",
        "offence_code": "Offence Code",
        "offence_code_expired": "Offence code expired",
        "outcome_description": "Outcome Description",
        "outcome_group": "Outcome Group",
        "outcome_type": "Outcome Type",
        "recorded": "Force outcomes for offences recorded in quarter",
        "closed": "Force outcomes recorded in quarter",
    },
    # third-party snake_case CSV conversion of the 2018 vintage
    "csv-2018": {
        "financial_year": "financial_year",
        "financial_quarter": "financial_quarter",
        "force_name": "force_name",
        "offence_description": "offence_description",
        "offence_group": "offence_group",
        "offence_subgroup": "offence_subgroup",
        "offence_code": "offence_code",
        "offence_code_expired": "offence_code_expired",
        "outcome_description": "outcome_description",
        "outcome_group": "outcome_group",
        "outcome_type": "outcome_type",
        "recorded": "offences",
        "closed": "force_outcomes_recorded_in_quarter",
    },
}
LAYOUT_HEADERS["csv-2019"] = LAYOUT_HEADERS["ods-2019"]
LAYOUTS = tuple(LAYOUT_HEADERS)
FILE_LAYOUT = {"xlsx-current": "xlsx", "ods-2019": "ods", "csv-2019": "csv.gz", "csv-2018": "csv.gz"}

#: the five spellings of the closed-basis header known in the current release (which year uses which is unknown)
CLOSED_HEADERS = (
    "Outcomes for investigations closed in the quarter",
    "Outcomes for investigations that were closed in the quarter",
    "Number of outcomes for investigations that were closed in the quarter",
    "Outcomes closed in the quarter",
    "Number of outcomes closed in quarter",
)
RECORDED_HEADERS = (
    "Outcomes for offences that were recorded in the quarter",
    "Outcomes for offences that were recorded in the Quarter",
)
CURRENT_YEARS = tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(2014, 2026))
DATA_SHEETS = {
    "2014/15": "Outcomes_open_data_2014-15",
    "2015/16": "Outcomes_open_data_2015-16",
    "2016/17": "Outcomes_open_data_2016-17",
    "2017/18": "Outcomes_open_data_2017-18",
    "2018/19": "Outcomes_open_data_2018-19",
    "2019/20": "Outcomes_open_data_2019_20",
    "2020/21": "Outcomes_open_data_2020_21",
    "2021/22": "Outcomes open data 2021_22",
    "2022/23": "Outcomes_open_data_2022_23",
    "2023/24": "Outcomes_open_data_2023_24",
    "2024/25": "Outcomes open data 2024_25",
    "2025/26": "Outcomes open data 2025_26",
}
#: 2014/15 force-quarters whose counts were only partly supplied ("N/A - data not provided" on all their rows)
NOT_PROVIDED_2014 = {
    "Bedfordshire": (1,),
    "British Transport Police": (1, 2, 3, 4),
    "Cumbria": (1, 2, 3, 4),
    "Dyfed-Powys": (1, 2),
    "Hertfordshire": (1,),
    "Leicestershire": (1, 2, 3, 4),
    "Metropolitan Police": (1, 2, 3),
    "South Yorkshire": (1,),
}
NOT_PROVIDED = "N/A - data not provided"
POSITIVE_OUTCOMES = ("1", "2", "3", "4", "5", "6", "7", "8")

OFFENCE_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Theft offences",
    "Criminal damage and arson",
    "Public order offences",
    "Drug offences",
    "Robbery",
    "Possession of weapons offences",
    "Miscellaneous crimes against society",
)


def offences(n: int) -> pd.DataFrame:
    """n synthetic offence codes with groups (labelled synthetic)."""
    return pd.DataFrame(
        {
            "offence_code": [f"S{i:03d}" for i in range(1, n + 1)],
            "offence_description": [f"Synthetic offence {i:03d}" for i in range(1, n + 1)],
            "offence_group": [OFFENCE_GROUPS[i % len(OFFENCE_GROUPS)] for i in range(n)],
            "offence_subgroup": [f"Synthetic subgroup {i % 5}" for i in range(n)],
        }
    )


def grid(
    financial_year: str,
    *,
    force_names=None,
    n_offences: int = 3,
    outcome_types=None,
    quarters=(1, 2, 3, 4),
    seed: int = 0,
    max_count: int = 40,
) -> pd.DataFrame:
    """Every force x quarter x offence x outcome type of one financial year, with random counts (type 0 rows have no
    closed count, as published)."""
    force_names = list(force_names or [f.name for f in forces_mod.POLICE_FORCES])
    outcome_types = list(
        outcome_types or [c for c in outcomes.OUTCOME_TYPES if c not in outcomes.OF_WHICH and c not in ("19", "22")]
    )
    off = offences(n_offences)
    idx = pd.MultiIndex.from_product(
        [force_names, quarters, range(len(off)), outcome_types],
        names=["force_name", "financial_quarter", "_off", "outcome_type"],
    ).to_frame(index=False)
    frame = idx.join(off, on="_off").drop(columns="_off")
    frame.insert(0, "financial_year", financial_year)
    frame["offence_code_expired"] = ""
    frame["outcome_description"] = frame["outcome_type"].map(outcomes.OUTCOME_TYPES)
    frame["outcome_group"] = frame["outcome_type"].map(
        lambda c: "Not yet assigned an outcome" if c == "0" else "Synthetic group"
    )
    rng = np.random.default_rng(seed)
    frame["recorded"] = rng.integers(0, max_count, len(frame)).astype(object)
    frame["closed"] = rng.integers(0, max_count, len(frame)).astype(object)
    frame.loc[frame["outcome_type"].eq("0"), "closed"] = None
    return frame


# ------------------------------------------------------------------------------------- the current release's shape
_OUTCOME_SHARE = {
    "1": 0.075,
    "2": 0.004,
    "3": 0.012,
    "4": 0.004,
    "5": 0.001,
    "6": 0.003,
    "7": 0.01,
    "8": 0.03,
    "9": 0.001,
    "10": 0.003,
    "11": 0.002,
    "12": 0.001,
    "13": 0.002,
    "14": 0.08,
    "15": 0.1,
    "16": 0.13,
    "17": 0.004,
    "18": 0.41,
    "20": 0.02,
    "21": 0.06,
    "22": 0.01,
}


def _current_offences(n: int, rng: np.random.Generator) -> pd.DataFrame:
    codes = []
    number = 1
    while len(codes) < n:
        codes.append(str(number))
        for letter in "ABCDEL"[: int(rng.integers(0, 3))]:
            if len(codes) < n:
                codes.append(f"{number}{letter}")
        number += 1
    frame = offences(n)
    frame["offence_code"] = codes
    frame["offence_description"] = [f"Synthetic offence {c}" for c in codes]
    frame["weight"] = rng.pareto(1.2, n) + 0.05
    frame["weight"] /= frame["weight"].sum()
    frame["expired"] = rng.random(n) < 0.2
    return frame


def current_year(financial_year: str, seed: int = SEED) -> pd.DataFrame:
    """One financial year in the shape of the current release (canonical column names; counts are ints or the
    tokens the release uses, None for an empty cell). About 700,000 rows (398,000 in 2014/15)."""
    year = int(financial_year[:4])
    rng = np.random.default_rng(seed + year)
    first = year == 2014
    types = [str(t) for t in range(19)] + ([] if first else ["20", "21", "22"])
    off = _current_offences(119 if first else 181, np.random.default_rng(seed))  # same codes every year
    force_names = [f.name for f in forces_mod.POLICE_FORCES]
    city = "London, City of" if year in (2014, 2020) else "City of London"
    idx = pd.MultiIndex.from_product(
        [range(len(force_names)), (1, 2, 3, 4), range(len(off)), range(len(types))], names=["f", "q", "o", "t"]
    ).to_frame(index=False)
    f, q, o, t = (idx[c].to_numpy() for c in ("f", "q", "o", "t"))
    n = len(idx)
    type_codes = np.array(types, dtype=object)[t]
    force_scale = np.where(
        np.array(force_names)[f] == "Metropolitan Police",
        120_000.0,
        np.exp(rng.normal(np.log(14_000), 0.45, len(force_names)))[f],
    )
    share = np.array([_OUTCOME_SHARE.get(c, 0.0) for c in types])[t]
    mean = force_scale * off["weight"].to_numpy()[o] * share * (1 + 0.02 * (year - 2014))
    closed = rng.poisson(mean).astype(object)
    recorded = rng.poisson(mean * 0.85).astype(object)
    type0 = type_codes == "0"
    recorded[type0] = rng.poisson(force_scale[type0] * off["weight"].to_numpy()[o][type0] * 0.12)
    closed[type0] = "NA" if first else ("N/A" if year == 2025 else None)
    t22 = type_codes == "22"
    closed[t22 & ((year < 2019) | ((year == 2019) & (q < 2)))] = 0
    expired = off["expired"].to_numpy()[o]
    recorded[expired] = "N/A - Offence code expired" if year < 2022 else "N/A - offence code expired"
    # reclassification adjustments: a few negative counts, most in type 0
    pick = rng.choice(np.flatnonzero(~type0 & ~expired), 70, replace=False)
    closed[pick] = -rng.integers(1, 40, len(pick))
    pick = rng.choice(np.flatnonzero(type0 & ~expired), 330, replace=False)
    recorded[pick] = -rng.integers(1, 120, len(pick))
    if first:  # partial supply
        names = np.array(force_names)[f]
        for force, quarters in NOT_PROVIDED_2014.items():
            rows = (names == force) & np.isin(q, quarters)
            recorded[rows] = NOT_PROVIDED
            closed[rows & ~np.isin(type_codes, POSITIVE_OUTCOMES) & ~type0] = 0
    frame = pd.DataFrame(
        {
            "financial_year": financial_year,
            "financial_quarter": q,
            "force_name": pd.Categorical(
                np.where(np.array(force_names)[f] == "City of London", city, np.array(force_names)[f])
            ),
            "offence_code": pd.Categorical(off["offence_code"].to_numpy()[o]),
            "offence_description": pd.Categorical(off["offence_description"].to_numpy()[o]),
            "offence_group": pd.Categorical(off["offence_group"].to_numpy()[o]),
            "offence_subgroup": pd.Categorical(off["offence_subgroup"].to_numpy()[o]),
            "offence_code_expired": pd.Categorical(np.where(expired, "x", "")),
            "outcome_type": pd.Categorical(type_codes),
            "outcome_description": pd.Categorical(
                np.array([outcomes.OUTCOME_TYPES[c] for c in types], dtype=object)[t]
            ),
            "outcome_group": pd.Categorical(np.where(type0, "Not yet assigned an outcome", "Synthetic outcome group")),
            "recorded": recorded,
            "closed": closed,
        }
    )
    assert len(frame) == n
    return frame


def current_headers(financial_year: str) -> dict[str, str]:
    """The headers of one year's workbook: the closed-basis header cycles through its five known spellings."""
    i = CURRENT_YEARS.index(financial_year) if financial_year in CURRENT_YEARS else 0
    return {
        **_CURRENT_BASE,
        "closed": CLOSED_HEADERS[i % len(CLOSED_HEADERS)],
        "recorded": RECORDED_HEADERS[i % len(RECORDED_HEADERS)],
    }


# ---------------------------------------------------------------------------------------------------- writing
def _cells(frame: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    return frame[[c for c in headers if c in frame.columns]].rename(columns=headers)


def write(
    frame: pd.DataFrame,
    path: Path | str,
    layout: str,
    *,
    label: bool = True,
    headers: dict[str, str] | None = None,
    sheet: str | None = None,
) -> Path:
    """Write a synthetic frame (canonical columns) in `layout`; returns the path. Written atomically.
    headers/sheet override the layout's headers and the workbook's data-sheet name."""
    path = Path(path)
    if layout not in LAYOUT_HEADERS:
        raise ValueError(f"unknown synthetic layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    cells = _cells(frame, headers or LAYOUT_HEADERS[layout])
    if layout == "xlsx-current":
        _write_current_workbook(
            cells, path, sheet or DATA_SHEETS.get(str(frame["financial_year"].iloc[0]), "Outcomes open data"), label
        )
    elif layout == "ods-2019":
        with atomic_path(path, suffix=".ods") as tmp, pd.ExcelWriter(tmp, engine="odf") as writer:
            pd.DataFrame({"Notes": [LABEL]}).to_excel(writer, sheet_name="Notes", index=False)
            cells.to_excel(writer, sheet_name=sheet or "Outcomes_open_data", index=False)
    else:
        na = "NA" if layout == "csv-2018" else ""
        text = cells.to_csv(index=False, na_rep=na, lineterminator="\n")
        if label:
            text = f"# {LABEL}\n" + text
        data = ("\ufeff" + text).encode("utf-8") if layout == "csv-2019" else text.encode("utf-8")
        with atomic_path(path) as tmp:
            tmp.write_bytes(gzip.compress(data, mtime=0) if path.name.endswith(".gz") else data)
    return path


def _cell_value(value):
    """Numbers as numbers (as Excel stores them), text as text, None as an empty cell."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 10:
        return int(value)
    return value


def _write_current_workbook(cells: pd.DataFrame, path: Path, sheet: str, label: bool) -> None:
    """The current release's workbook: Cover_sheet, Notes, a Pivot sheet (pivot-table labels, never data), then
    the data sheet with its headers on row 1. Written row by row in xlsxwriter's constant-memory mode (about 0.7 GB
    at most, where holding a 9-million-cell sheet in memory took 2.5 GB); its text cells are inline strings, which
    makes the file a little larger and slower to read than one saved by Excel, never faster."""
    import xlsxwriter

    with atomic_path(path, suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "constant_memory": True})
        wb.set_properties(
            {
                "title": "SYNTHETIC outcomes open data" if label else "Outcomes open data",
                "created": pd.Timestamp("2024-07-24").to_pydatetime(),
            }
        )
        cover = wb.add_worksheet("Cover_sheet")
        cover.write(0, 0, "Police recorded crime and outcomes open data tables")
        cover.write(2, 0, LABEL if label else "")
        notes = wb.add_worksheet("Notes")
        notes.write_column(
            0,
            0,
            [
                "Notes",
                "1. Outcome type 0 (not yet assigned an outcome) has no closed count.",
                "2. Count cells may hold text (N/A - ...) or negative numbers (adjustments).",
            ],
        )
        pivot = wb.add_worksheet("Pivot")
        pivot.write_row(0, 0, ["Financial Year", "(All)"])
        pivot.write_row(2, 0, ["Sum of " + str(cells.columns[-1]), "Column Labels"])
        pivot.write_row(
            3, 0, ["Row Labels", "Force Name", "Offence Code", "Outcome Type", "Offence Description", "Grand Total"]
        )
        pivot.write_row(4, 0, ["Synthetic", 1, 2, 3, 4, 10])
        data = wb.add_worksheet(sheet)
        data.write_row(0, 0, list(cells.columns))
        columns = [cells[c].to_numpy(dtype=object) for c in cells.columns]
        for r in range(len(cells)):
            data.write_row(r + 1, 0, [_cell_value(col[r]) for col in columns])
        wb.close()


def manifest_entry(path: Path, *, file_id: str, financial_year: str, layout: str) -> dict:
    """A sources-manifest entry for a synthetic file (pinned by its sha256 like any other)."""
    from dataclasses import asdict

    from ..data.manifest import SourceFile

    name = Path(path).name
    return asdict(
        SourceFile.for_file(
            path,
            id=file_id,
            financial_year=financial_year,
            url=f"http://127.0.0.1/synthetic/{name}",
            publisher="crimeoutcomes.tools.synthetic (SYNTHETIC, not Home Office data)",
            vintage="synthetic",
            release="SYNTHETIC data",
            licence="synthetic test data",
            layout=FILE_LAYOUT.get(layout, layout),
            mirror_path=name,
            description=LABEL,
            synthetic=True,
        )
    )


def write_edition(
    frames: dict[str, pd.DataFrame],
    folder: Path,
    *,
    edition: str = "synthetic",
    layout: str = "csv-2019",
    default: bool = True,
) -> Path:
    """Write one synthetic raw file per financial year into `folder` (a mirror) and a manifest naming them as an
    edition; returns the manifest path. `frames` maps financial year -> canonical frame."""
    import yaml

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    ext = {"xlsx": ".xlsx", "ods": ".ods", "csv.gz": ".csv.gz"}[FILE_LAYOUT[layout]]
    for fy, frame in sorted(frames.items()):
        name = f"synthetic-{edition}-{fy.replace('/', '-')}{ext}"
        write(frame, folder / name, layout)
        entries.append(
            manifest_entry(folder / name, file_id=f"{edition}-{fy.replace('/', '-')}", financial_year=fy, layout=layout)
        )
    doc = {
        "files": entries,
        "editions": {
            edition: {
                "description": f"SYNTHETIC edition ({LABEL})",
                "synthetic": True,
                "release": "SYNTHETIC test release",
                "files": [e["id"] for e in entries],
            }
        },
        "default_edition": edition,
    }
    path = folder / "sources.yaml"
    write_text(path, yaml.safe_dump(doc, sort_keys=False))
    return path


def from_calendar_totals(
    targets: dict[tuple[str, int], tuple[int, int, int]],
    financial_years: list[str],
    filler: tuple[int, int, int] = (400, 40, 20),
) -> dict[str, pd.DataFrame]:
    """SYNTHETIC frames (one per financial year, every police force, one offence) whose calendar-year totals are
    exactly `targets`: (force, calendar year) -> (offences closed, outcome types 14+16, outcome type 16).

    Each calendar-year total is spread over its four quarters (financial Q4 of the year before, then Q1-Q3);
    outcome 16 = suspect, 14 = vdns - suspect, 1 (charge) = closed - vdns. Force-quarters outside every target
    year get `filler` totals. Closed and recorded counts are equal."""
    quarter_values: dict[tuple[str, str, int], tuple[int, int, int]] = {}
    for (force, year), totals in targets.items():
        quarters = [(f"{year - 1}/{year % 100:02d}", 4)] + [(f"{year}/{(year + 1) % 100:02d}", q) for q in (1, 2, 3)]
        for i, (fy, q) in enumerate(quarters):
            quarter_values[(force, fy, q)] = tuple(t // 4 + (t % 4 if i == 0 else 0) for t in totals)
    rows = []
    for fy in financial_years:
        for force in [f.name for f in forces_mod.POLICE_FORCES]:
            for q in (1, 2, 3, 4):
                closed, vdns, suspect = quarter_values.get((force, fy, q), filler)
                for code, value in (("0", None), ("1", closed - vdns), ("14", vdns - suspect), ("16", suspect)):
                    rows.append((fy, q, force, code, value, 0 if code == "0" else value))
    frame = pd.DataFrame(
        rows, columns=["financial_year", "financial_quarter", "force_name", "outcome_type", "closed", "recorded"]
    )
    off = offences(1).iloc[0]
    for col in ("offence_code", "offence_description", "offence_group", "offence_subgroup"):
        frame[col] = off[col]
    frame["offence_code_expired"] = ""
    frame["outcome_description"] = frame["outcome_type"].map(outcomes.OUTCOME_TYPES)
    frame["outcome_group"] = "Synthetic group"
    frame["closed"] = pd.Series([None if v is None or pd.isna(v) else int(v) for v in frame["closed"]], dtype=object)
    return {fy: part.reset_index(drop=True) for fy, part in frame.groupby("financial_year")}


# ------------------------------------------------------------------------------ the synthetic-current edition
def generator_stamp() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + str(SEED).encode()).hexdigest()[:16]


def current_file_name(financial_year: str) -> str:
    return f"synthetic-outcomes-open-data-mar{int(financial_year[:4]) + 1}.xlsx"


def ensure_generated(ed, manifest=None, log=print):
    """A generated edition (`generate: current`) with its files: SYNTHETIC workbooks in the current release's shape,
    one per financial year of the edition it stands in for, generated once into data/raw/<edition>/ (about 40 s
    each) and pinned by sha256 in generated.json there (which the build reads)."""
    from dataclasses import replace

    from ..data.manifest import GENERATED_RECORD, SourceFile

    folder = ed.raw_dir
    record_path = folder / GENERATED_RECORD
    stamp = generator_stamp()
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        record = {}
    entries = {e["financial_year"]: e for e in record.get("files", [])} if record.get("generator") == stamp else {}
    years = ed.financial_years
    for i, fy in enumerate(years, start=1):
        path = folder / current_file_name(fy)
        entry = entries.get(fy)
        if entry and path.is_file() and path.stat().st_size == entry["bytes"]:
            continue
        log(f"  generating SYNTHETIC workbook {i}/{len(years)} ({fy}, about 40 s; once)")
        write(current_year(fy), path, "xlsx-current", headers=current_headers(fy))
        entries[fy] = manifest_entry(
            path, file_id=f"{ed.name}-{fy.replace('/', '-')}", financial_year=fy, layout="xlsx-current"
        )
        entries[fy]["vintage"] = f"synthetic (generator {stamp})"
        write_text(record_path, json.dumps({"generator": stamp, "files": list(entries.values())}, indent=1))
    return replace(ed, files=tuple(SourceFile(**entries[fy]) for fy in years))
