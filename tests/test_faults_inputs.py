"""The fault suite, part 2: what a user or a hostile file brings (issue 20). An output folder the user names is never
emptied; registries are read within bounds and typed; links are only http(s) or relative; CSV cells a spreadsheet
would run are neutralised; a user's file in data/raw/ is never lost; hostile workbooks are refused in one line."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from crimeoutcomes import cli, csvfile, dag, paths, yamlfile
from crimeoutcomes.analysis import claims
from crimeoutcomes.data import fetch, read
from crimeoutcomes.errors import DataError
from crimeoutcomes.publish.pages import html
from tests.test_faults import one_error_line
from tests.test_fetch import BODY as fetch_body
from tests.test_fetch import source

GOOD_CLAIM = "{id: c1, article: a, quote: q, claimed: '5', area: Kent, period: calendar 2018, numerator: all}"
GOOD = f"articles: {{a: {{title: t}}}}\nclaims:\n  - {GOOD_CLAIM}\n"


def cli_line(capsys, *args) -> str:
    """Run the command line in this process; its one error line (asserting exit 2, one line, no traceback)."""
    assert cli.main(list(args)) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


# ---------------------------------------------------------------------------------- 1. --out is never emptied
@pytest.mark.parametrize(
    "target,says",
    [
        ("/", "is the root folder, which is never emptied"),
        ("{home}", "is your home folder, which is never emptied"),
        ("{root}", "holds the project's own folders"),
        ("{checkout}", "holds the project's own folders"),
        ("{root}/reports", "holds the project's own folders"),
        ("{root}/reports/sample", "is the folder of the pages and site steps; name a new folder"),
        ("{root}/reports/sample/claims", "is the folder of the claims step; name a new folder"),
        ("{root}/reports/sample/claims/mine", "is inside reports/sample/claims/, which the claims step replaces"),
        ("{root}/reports/current/claims/mine", "is inside reports/current/claims/, which the claims step"),
        ("{root}/reports/sample/sensitivity", "is the folder of the sensitivity step; name a new folder"),
        ("{root}/reports/sample/forces/mine", "is inside reports/sample/forces/, which the reports step replaces"),
        ("{root}/data/processed/sample", "is the folder of the build step; name a new folder"),
        ("{root}/data/processed/sample/x", "is inside data/processed/sample/, which the build step replaces"),
        ("{root}/data/raw/mine", "is inside the project's code, configuration or data"),
        ("{checkout}/src/mine", "is inside the project's code, configuration or data"),
        ("{tmp}/thesis", "already holds files that are not a claims audit (e.g. thesis.docx); it is never emptied"),
        ("{tmp}/thesis/thesis.docx", "is a file, not a folder"),
    ],
)
def test_an_out_folder_that_is_not_new_empty_or_an_earlier_audit_is_refused_before_anything_is_made(
    target, says, project_root, tmp_path, monkeypatch, capsys
):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "thesis.docx").write_text("three years of work")
    out = target.format(home=home, root=project_root, checkout=paths.CHECKOUT, tmp=tmp_path)
    watched = [Path("/"), home, project_root, project_root / "reports", tmp_path, tmp_path / "thesis"]
    before = {w: entries(w) for w in watched}
    # an empty root, offline, with no mirror: had any step run first, it would have failed otherwise
    line = cli_line(capsys, "claims", "--offline", "--mirror", str(tmp_path / "none"), "--out", out)
    assert says in line and f"--out {out} " in line
    assert "e.g. reports/sample/claims-mine" in line  # what to do
    assert {w: entries(w) for w in watched} == before  # no lock, no temporary folder, nothing emptied
    assert (tmp_path / "thesis" / "thesis.docx").read_text() == "three years of work"


def test_out_is_for_the_claims_or_the_stories_step_alone(project_root, tmp_path, capsys):
    line = cli_line(capsys, "run", "all", "--offline", "--out", str(tmp_path / "mine"))
    assert (
        "--out names the folder of your own run of one step: use it with the claims or the stories or the read step "
        "alone"
    ) in line


def test_an_earlier_audit_is_redone_in_place_but_a_file_added_to_it_is_never_lost(sample_root, tmp_path, capsys):
    out = tmp_path / "my audit"
    registry = tmp_path / "mine.yaml"
    registry.write_text(GOOD)
    assert cli.main(["claims", "--offline", "--registry", str(registry), "--out", str(out)]) == 0
    first = (out / dag.file("claims", "audit_csv")).read_text()
    assert "c1" in first
    registry.write_text(GOOD.replace("c1", "c2"))
    assert cli.main(["claims", "--offline", "--registry", str(registry), "--out", str(out)]) == 0  # an audit: redone
    assert "c2" in (out / dag.file("claims", "audit_csv")).read_text()
    assert not list(tmp_path.glob(".*.lock")) and not list(tmp_path.glob(".my audit*"))  # nothing left beside it
    (out / "notes.txt").write_text("mine")
    capsys.readouterr()
    line = cli_line(capsys, "claims", "--offline", "--registry", str(registry), "--out", str(out))
    assert "already holds files that are not a claims audit (e.g. notes.txt)" in line
    assert (out / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------------------------- 2. registries within bounds
BOMB = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
articles: {a: {title: t}}
claims:
  - {id: c1, article: a, quote: *g, claimed: "5", area: Kent, period: calendar 2018, numerator: all}
"""
REGISTRIES = {  # the alias bomb is tried under a memory cap, in a child process (below)
    "recursive-alias": ("articles: {a: {title: t}}\nx: &x [1, *x]\nclaims: *x\n", "refers to a value that contains it"),
    "deep-nesting": ("claims: " + "[" * 5000 + "]" * 5000 + "\n", "refused: line 1, column 72: nested more than 64"),
    "article-as-text": (GOOD.replace("{a: {title: t}}", "{a: 'The title'}"), "articles.a: 'The title' is not of type"),
    "articles-as-a-list": (GOOD.replace("{a: {title: t}}", "[a, b]"), "articles: ['a', 'b'] is not of type 'object'"),
    "article-named-by-a-number": (GOOD.replace("{a: {title: t}}", "{1: {title: t}}"), "the name 1 is not text"),
    "claim-as-a-list": ("articles: {a: {title: t}}\nclaims:\n  - [1, 2]\n", "claim 1: [1, 2] is not of type 'object'"),
    "id-of-300-characters": (GOOD.replace("id: c1", "id: " + "x" * 300), "field 'id': has more than 100 characters"),
    "id-yes": (
        GOOD.replace("id: c1", "id: yes"),
        "claim 1, field 'id': True is not of type 'string': YAML reads an unquoted yes, no, on, off, true or false "
        "as True; put the text in quotes (e.g. 'yes')",
    ),
    "article-number": (GOOD.replace("article: a", "article: 2021"), "2021 is not of type 'string': put it in quotes"),
    "empty-quote": (GOOD.replace("quote: q", "quote:"), "field 'quote': has no value"),
    "python-tag": ("articles: !!python/object/apply:os.system ['echo hi']\nclaims: []\n", "could not determine a"),
    "too-large": ("# " + "x" * (5 * 2**20) + "\n" + GOOD, "is larger than 5 MB"),
}


@pytest.mark.parametrize("name", list(REGISTRIES))
def test_a_hostile_or_mistyped_registry_is_one_short_line(name, tmp_path):
    text, says = REGISTRIES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        claims.load(path)
    message = str(err.value)
    assert says in message, message
    assert "\n" not in message and len(message) < 400, message


@pytest.mark.parametrize("kind", ["device", "fifo", "folder", "missing"])
def test_a_registry_that_is_not_a_regular_file_is_refused_without_reading_it(kind, tmp_path):
    path = {"device": Path("/dev/zero"), "fifo": tmp_path / "pipe.yaml", "folder": tmp_path, "missing": tmp_path / "x"}
    if kind == "fifo":
        os.mkfifo(path[kind])
        # a reader that opened the pipe would wait for a writer for ever: this one writes nothing and goes
        threading.Thread(target=lambda: open(path[kind], "wb").close(), daemon=True).start()
    try:
        with pytest.raises(DataError) as err:
            claims.load(path[kind])
    finally:
        if kind == "fifo":  # lets the writer go when nothing opened the pipe (as it should be)
            os.close(os.open(path[kind], os.O_RDONLY | os.O_NONBLOCK))
    says = {
        "device": "is not a regular file (a device or a pipe?)",
        "fifo": "is not a regular file",
        "folder": "is a folder, not a YAML file",
        "missing": "claims registry not found",
    }
    assert says[kind] in str(err.value)


def _capped(*args: str, root: Path) -> subprocess.CompletedProcess:
    """The command line in a child process whose memory is capped at 2 GB (an alias bomb must never reach it)."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    env = {**os.environ, "CRIMEOUTCOMES_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "crimeoutcomes", *args], capture_output=True, text=True, env=env, preexec_fn=cap
    )


@pytest.mark.parametrize("registry", ["bomb", "/dev/zero"])
def test_a_hostile_registry_is_one_line_under_a_memory_cap_before_any_step_runs(registry, project_root, tmp_path):
    if registry == "bomb":
        registry = tmp_path / "bomb.yaml"
        registry.write_text(BOMB)
    # an empty root, offline, with no mirror: had the build run first, it would have failed otherwise
    done = _capped("claims", "--offline", "--mirror", str(tmp_path), "--registry", str(registry), root=project_root)
    line = one_error_line(done)
    assert len(line) < 300, line
    assert line.endswith(
        "bomb.yaml: refused: line 6, column 8: aliases (*name) repeat more than 10,000 values; write the values out "
        "instead"
        if str(registry).endswith("bomb.yaml")
        else "claims registry /dev/zero is not a regular file (a device or a pipe?); name a YAML file"
    ), line
    assert entries(project_root / "reports") == set()


def test_the_sources_manifest_and_caveats_keep_their_small_aliases():
    doc = yamlfile.read_yaml(paths.CHECKOUT / "config" / "sources.yaml", "sources manifest", DataError)
    assert doc["licence_default"] == "Open Government Licence v3.0"


def test_a_registry_whose_file_name_is_not_utf8_is_audited_and_named_printably(sample_root, tmp_path, capsys):
    name = os.fsdecode(b"caf\xe9.yaml")  # a Latin-1 name
    registry = tmp_path / name
    registry.write_text(GOOD)
    out = tmp_path / "audit"
    assert cli.main(["claims", "--offline", "--registry", str(registry), "--out", str(out)]) == 0
    audit = pd.read_csv(out / dag.file("claims", "audit_csv"))
    assert audit["registry"].tolist() == ["caf\\xe9.yaml"]
    assert "caf\\xe9.yaml</code>" in (out / dag.file("claims", "page")).read_text()
    bad = registry.with_name(os.fsdecode(b"caf\xe9-2.yaml"))
    bad.write_text(GOOD.replace("id: c1", "id: yes"))
    line = cli_line(capsys, "claims", "--offline", "--registry", str(bad), "--out", str(tmp_path / "audit2"))
    assert "caf\\xe9-2.yaml: claim 1, field 'id'" in line


# ---------------------------------------------------------------------------------- 3. and 4. links and CSV cells
@pytest.mark.parametrize(
    "url,href",
    [
        ("https://www.bbc.co.uk/news/uk-57462495", "https://www.bbc.co.uk/news/uk-57462495"),
        (" http://example.org/a?b=1#c ", "http://example.org/a?b=1#c"),
        ("rows/c1.csv", "rows/c1.csv"),
        ("#article-a", "#article-a"),
        ("javascript:alert(1)", None),
        ("  JavaScript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java&#x09;script:alert(1)", None),
        ("&#106;avascript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("DATA:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),
        ("https:evil", None),
        ("", None),
        (None, None),
        (2021, None),
    ],
)
def test_only_http_and_relative_urls_become_links(url, href):
    assert html.safe_href(url) == href


@pytest.mark.parametrize(
    "cell,written",
    [
        ("=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0"),
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),
        ("-0.07", "-0.07"),
        ("+5%", "+5%"),
        ("-1,234", "-1,234"),
        ("Kent", "Kent"),
        ("a=b", "a=b"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not(cell, written):
    assert csvfile.safe_cell(cell) == written


def test_the_projects_readers_get_every_cell_back_as_it_was(tmp_path):
    cells = ["=1+1", "'=1+1", "''=x", "'quoted", "'", "-At the time", "-3", "Kent", "@x", "+"]
    csvfile.to_csv(pd.DataFrame({"text": cells}), tmp_path / "t.csv")
    written = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)["text"].tolist()
    assert not [c for c in written if csvfile.runs_as_formula(c)]
    assert written[:5] == ["'=1+1", "''=1+1", "'''=x", "'quoted", "'"]
    assert csvfile.read_csv(tmp_path / "t.csv", keep_default_na=False)["text"].tolist() == cells


def test_a_gzipped_csv_is_the_same_bytes_every_time_and_names_the_file_it_holds(tmp_path):
    """The claims' large rows files: the archive used to name the temporary file it was written to (so the same rows
    gave different bytes on every run, and `gunzip -N` gave that name back)."""
    frame = pd.DataFrame({"force": ["Kent", "=cmd"], "count": [1, 2]})
    written = []
    for run in ("a", "b"):
        target = tmp_path / run / "kent-rows.csv.gz"
        csvfile.to_csv(frame, target, gzip_level=1)
        written.append(target.read_bytes())
    assert written[0] == written[1]
    header = written[0][10:].split(b"\0", 1)[0]  # FNAME, after the 10-byte gzip header (the FNAME flag is set)
    assert written[0][3] & 0x08 and header == b"kent-rows.csv"
    assert csvfile.read_csv(tmp_path / "a" / "kent-rows.csv.gz").to_dict("list") == frame.to_dict("list")


def test_csv_files_keep_numeric_columns_numeric(tmp_path):
    df = pd.DataFrame({"id": ["=1+1", "b"], "difference": [-3, -0.07], "mixed": [-18092, "=x"], "n": [1, 2]})
    csvfile.to_csv(df, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["id"].tolist() == ["'=1+1", "b"]
    assert back["difference"].tolist() == [-3, -0.07] and back["n"].dtype.kind == "i"
    assert back["mixed"].tolist() == ["-18092", "'=x"]
    assert df["id"].tolist() == ["=1+1", "b"]  # the caller's frame is left as it was


HOSTILE = """
articles:
  js: {title: Script link, url: "  JavaScript:alert(document.cookie)"}
  data: {title: Data link, url: "data:text/html,<script>alert(1)</script>"}
  ok: {title: A real article, url: "https://www.example.org/news/1"}
claims:
  - {id: c1, article: js, quote: "=cmd|'/C calc'!A0", claimed: "5", area: Kent, period: financial year 2018/19,
     numerator: [14, 16]}
  - {id: c2, article: data, quote: "@SUM(1+1)*cmd", claimed: "=1+1", source: other,
     source_name: "=HYPERLINK(\\"http://evil.example\\")"}
  - {id: c3, article: ok, quote: "+1 in 24", claimed: "5", area: Kent, period: financial year 2018/19, numerator: all}
"""


@pytest.fixture
def hostile_audit(sample_root, tmp_path) -> Path:
    registry = tmp_path / "hostile.yaml"
    registry.write_text(HOSTILE)
    out = tmp_path / "audit"
    assert cli.main(["claims", "--offline", "--registry", str(registry), "--out", str(out)]) == 0
    return out


def test_registry_urls_that_are_not_http_never_become_links_and_cells_never_run(hostile_audit):
    page = (hostile_audit / dag.file("claims", "page")).read_text()
    assert "javascript:" not in page.lower() and "data:text/html" not in page
    assert ">Script link</span></h2>" in page and ">Data link</span></h2>" in page  # the titles, as text
    assert '<a href="https://www.example.org/news/1"><span data-numbers="cited">A real article</span></a>' in page
    audit = pd.read_csv(hostile_audit / dag.file("claims", "audit_csv"), keep_default_na=False)
    rows = audit.set_index("id")
    assert rows.loc["c1", "quote"] == "'=cmd|'/C calc'!A0"
    assert rows.loc["c2", "quote"] == "'@SUM(1+1)*cmd" and rows.loc["c2", "claimed"] == "'=1+1"
    assert rows.loc["c3", "quote"] == "'+1 in 24"
    texts = [c for c in audit.astype(str).to_numpy().ravel() if c]
    assert not [c for c in texts if csvfile.runs_as_formula(c)]
    # numbers stay numbers: Kent's count minus the claimed 5 is a plain negative or positive number
    assert float(rows.loc["c3", "difference"]) == float(rows.loc["c3", "computed"]) - 5
    back = csvfile.read_csv(hostile_audit / dag.file("claims", "audit_csv"), keep_default_na=False).set_index("id")
    assert back.loc["c1", "quote"] == "=cmd|'/C calc'!A0" and back.loc["c2", "claimed"] == "=1+1"  # as registered


# ---------------------------------------------------------------------------------- 5. a user's file in data/raw/
def test_a_users_file_with_a_pinned_name_is_moved_aside_never_overwritten(tmp_path):
    import hashlib

    src = source("http://127.0.0.1:9/x")
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    mirror.mkdir()
    raw.mkdir()
    (mirror / src.file).write_bytes(fetch_body)
    mine = b"my own edited copy\n"
    sha8 = hashlib.sha256(mine).hexdigest()[:8]
    for attempt in (1, 2):  # the user puts their copy back; it is kept again, once
        (raw / src.file).write_bytes(mine)
        said = []
        path = fetch.obtain(src, raw, mirror=mirror, allow_download=False, log=said.append)
        assert path.read_bytes() == fetch_body
        assert (raw / f"{src.file}.differs-{sha8}").read_bytes() == mine
        shown = paths.relative(raw / src.file)
        assert said == [
            f"  {shown} is not the pinned file t (sha256 {hashlib.sha256(mine).hexdigest()[:16]}…, not "
            f"{src.sha256[:16]}…): kept as {shown}.differs-{sha8}; the pinned file is put in its place"
        ], attempt
    assert sorted(p.name for p in raw.iterdir()) == [src.file, f"{src.file}.differs-{sha8}"]


# ---------------------------------------------------------------------------------- 8. workbooks
HEADERS = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Outcome Description",
    "Outcome Group",
    "Outcome Type",
    "Force outcomes for offences recorded in quarter",
    "Force outcomes recorded in quarter",
]


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADERS)
        for i, row in enumerate(rows, start=1):
            ws.write_row(i, 0, row)
    wb.close()
    return path


def _row(quarter: int, count) -> list:
    return ["2018/19", quarter, "Kent", "Murder", "Homicide", "Homicide", "1", "Charged", "Charged", 1, count, count]


def test_a_data_sheet_and_an_empty_data_sheet_read_as_the_one_with_rows(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"Q1": [_row(1, n) for n in range(1, 20)], "Q2": []})
    table = read.read_raw(path)
    assert table.rows == 19 and table.sheet == "Q1"
    assert table.sheets_skipped == ["Q2 (headers only, no rows)"]


def test_data_sheets_read_as_numbers_in_one_and_text_in_another_are_stacked(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"Q1": [_row(1, 3), _row(1, 4)], "Q2": [_row(2, "N/A"), _row(2, "5")]})
    table = read.read_raw(path)
    assert table.rows == 4 and table.sheet == "Q1+Q2"
    assert table.cells.column("closed").to_pylist() == ["3", "4", "N/A", "5"]


def _declared_bomb(path: Path, declared: int) -> Path:
    """A small workbook whose zip directory says one member expands to `declared` bytes (as a zip bomb's does)."""
    _workbook(path, {"Data": [_row(1, 1)]})
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")  # the central directory entries: signature, ..., size at 24, name at 46
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
        assert at != -1
    data[at + 24 : at + 28] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def test_a_zip_bomb_workbook_is_refused_before_the_reader_sees_it(tmp_path, monkeypatch):
    import fastexcel

    def never(*a, **k):
        raise AssertionError("fastexcel was given the zip bomb")

    monkeypatch.setattr(fastexcel, "read_excel", never)
    path = _declared_bomb(tmp_path / "bomb.xlsx", 4_000_000_000)
    with pytest.raises(DataError) as err:
        read.read_raw(path)
    message = str(err.value)
    assert message.startswith("bomb.xlsx: refused: its archive would expand to 3.7 GB, ")
    assert "times its size, far more than a workbook holds" in message and "\n" not in message


def test_a_workbook_that_is_not_a_zip_archive_is_one_line(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(DataError, match=r"broken.xlsx: cannot be read as a workbook \(it is not a valid zip"):
        read.read_raw(path)
