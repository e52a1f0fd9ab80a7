"""Discovering new vintages on GOV.UK. No internet: the content API and the workbooks are served by a local HTTP
server on 127.0.0.1; downloads go to pytest's temporary folders, never to the user's data/."""

from __future__ import annotations

import copy
import hashlib
import http.server
import json
import socket
import textwrap
import threading
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from crimeoutcomes.data import fetch
from crimeoutcomes.data.manifest import load
from crimeoutcomes.errors import SourceError
from crimeoutcomes.tools import discover

MANIFEST = Path(__file__).resolve().parents[1] / "config" / "sources.yaml"  # the real one (/work/main/config/…)
API_PATH = "/api/content/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables"
ASSETS = "https://assets.publishing.service.gov.uk/media"
UPLOADS = "https://www.gov.uk/government/uploads/system/uploads/attachment_data/file"

REISSUED = "prc-outcomes-open-data-mar2019-tables-250727.xlsx"  # 2018/19, new suffix: a new vintage
NEW = "prc-outcomes-open-data-mar2027-tables-230727.xlsx"  # 2026/27: no manifest entry
RENAMED_URL = f"{ASSETS}/6b0000000000000000000001/prc-outcomes-open-data-mar2026-tables-230726.xlsx"


def fake_workbook(seed: str, size: int) -> bytes:
    """Deterministic stand-in bytes (a ZIP signature, then hash-derived filler): SYNTHETIC, not a real workbook."""
    out = bytearray(b"PK\x03\x04")
    block = seed.encode()
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return bytes(out[:size])


REISSUED_BYTES = fake_workbook("reissued 2018/19", 1_300_000)  # more than one 1 MiB read
NEW_BYTES = fake_workbook("new 2026/27", 70_001)


def attachment(
    aid: int, title: str, url: str, content_type: str, size: int | None, filename: str | None = None, kind: str = "file"
) -> dict:
    """One item of details.attachments, with the fields Whitehall sends for a file on a statistical data set."""
    item = {"attachment_type": kind, "id": str(aid), "locale": "en", "title": title, "url": url}
    if kind == "file":
        item.update(
            {
                "accessible": False,
                "alternative_format_contact_email": "crimeandpolicestats@homeoffice.gov.uk",
                "content_type": content_type,
                "file_size": size,
                "filename": filename or url.rsplit("/", 1)[-1],
                "number_of_pages": None,
                "assets": [{"asset_manager_id": url.split("/")[-2], "filename": filename or url.rsplit("/", 1)[-1]}],
                "command_paper_number": "",
                "hoc_paper_number": "",
                "isbn": "",
                "unique_reference": "",
                "unnumbered_command_paper": False,
                "unnumbered_hoc_paper": False,
                "parliamentary_session": None,
            }
        )
    return item


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def govspeak_block(aid: int, url: str, title: str) -> str:
    """An attachment block as Whitehall renders it into details.body (thumbnail link + title link)."""
    return (
        f'<section class="attachment embedded" id="attachment_{aid}"><div class="attachment-thumb">'
        f'<a aria-hidden="true" class="thumbnail" tabindex="-1" href="{url}"><img alt="" '
        f'src="https://assets.publishing.service.gov.uk/government/assets/pub-cover-spreadsheet.png"></a></div>'
        f'<div class="attachment-details"><h3 class="title"><a href="{url}">{title}</a></h3>'
        f'<p class="metadata"><span class="type">MS Excel Spreadsheet</span></p></div></section>'
    )


def realistic_page(base: str) -> dict:
    """A content item of the shape https://www.gov.uk/api/content/<path> returns for this statistical data set
    (schema `statistical_data_set` of alphagov/publishing-api). Values are made up; known files are the
    manifest's own entries, the reissued and new ones live on the local server."""
    m = load(MANIFEST).files
    known = [m["ho-2016-17-current"], m["ho-2017-18-current"], m["ho-2024-25-current"]]
    attachments = [
        attachment(
            8000001,
            "Police recorded crime and outcomes open data tables user guide",
            "/government/statistics/police-recorded-crime-open-data-tables/"
            "police-recorded-crime-and-outcomes-open-data-tables-user-guide",
            "",
            None,
            kind="html",
        ),
        attachment(
            8000002,
            "Police force area data tables: year ending March 2013 onwards",
            f"{ASSETS}/6b0000000000000000000002/prc-pfa-mar2013-onwards-tables-230727.ods",
            ODS,
            9_816_201,
        ),
        attachment(
            8000003,
            "Alternate charges and cautions open data: year ending March 2026",
            f"{ASSETS}/6b0000000000000000000003/prc-outcomes-alternate-open-data-mar2026-tables-230727.xlsx",
            XLSX,
            1_204_511,
        ),
        attachment(
            8000004,
            "Outcomes open data (alternate offences): year ending March 2026",
            f"{ASSETS}/6b0000000000000000000004/prc-outcomes-open-data-mar2026-tables-230727-alternate.xlsx",
            XLSX,
            998_310,
        ),
        attachment(
            8000005,
            "Knife and sharp instrument offences open data",
            f"{ASSETS}/6b0000000000000000000005/prc-knife-open-data-mar2027-tables-230727.xlsx",
            XLSX,
            410_002,
        ),
        attachment(
            8000006,
            "Outcomes open data: year ending March 2027",
            f"{base}/media/6b0000000000000000000006/{NEW}",
            XLSX,
            len(NEW_BYTES),
        ),
        attachment(
            8000007,
            "Outcomes open data: year ending March 2019",
            f"{base}/media/6b0000000000000000000007/{REISSUED}",
            XLSX,
            len(REISSUED_BYTES),
        ),
        # known by file name only: same name as ho-2025-26-current, re-uploaded under a new asset id
        attachment(8000008, "Outcomes open data: year ending March 2026", RENAMED_URL, XLSX, 39_879_514),
        attachment(
            8000009,
            "Home Office statistics: external archive",
            "https://webarchive.nationalarchives.gov.uk/ukgwa/20160105160709/https://www.gov.uk/government/statistics",
            "",
            None,
            kind="external",
        ),
    ]
    for i, src in enumerate(known):
        start = int(src.financial_year[:4])
        attachments.append(
            attachment(8000100 + i, f"Outcomes open data: year ending March {start + 1}", src.url, XLSX, src.bytes)
        )
    body = (
        '<div class="govspeak"><p>These open data tables contain police recorded crime and outcomes data for '
        'England and Wales.</p><h2 id="outcomes">Crime outcomes</h2>'
        + "".join(govspeak_block(a["id"], a["url"], a["title"]) for a in attachments[5:8])
        + '<h2 id="pfa">Police force area</h2>'
        + govspeak_block("8000002", attachments[1]["url"], attachments[1]["title"])
        + '<p>See the <a href="/government/statistics/police-recorded-crime-open-data-tables/police-recorded-'
        'crime-and-outcomes-open-data-tables-user-guide">user guide</a> and '
        '<a href="mailto:crimeandpolicestats@homeoffice.gov.uk">contact us</a>.</p></div>'
    )
    return {
        "analytics_identifier": None,
        "base_path": "/government/statistical-data-sets/police-recorded-crime-and-outcomes-open-data-tables",
        "content_id": "5d1f9a3e-7631-11e4-a3cb-005056011aef",
        "document_type": "statistical_data_set",
        "first_published_at": "2016-01-21T09:30:00.000+00:00",
        "locale": "en",
        "phase": "live",
        "public_updated_at": "2027-07-23T09:30:00.000+01:00",
        "publishing_app": "whitehall",
        "rendering_app": "frontend",
        "schema_name": "statistical_data_set",
        "title": "Police recorded crime and outcomes open data tables",
        "description": "Police recorded crime and outcomes open data tables.",
        "updated_at": "2027-07-23T09:31:12.345+01:00",
        "details": {
            "body": body,
            "attachments": attachments,
            "change_history": [
                {"public_timestamp": "2016-01-21T09:30:00.000+00:00", "note": "First published."},
                {"public_timestamp": "2026-07-23T09:30:00.000+01:00", "note": "Data for year ending March 2026 added."},
                {
                    "public_timestamp": "2027-07-23T09:30:00.000+01:00",
                    "note": "Data for year ending March 2027 added; year ending March 2019 revised.",
                },
            ],
            "emphasised_organisations": ["6667cce2-e809-4e21-ae09-cb0bdc1ddda3"],
            "first_public_at": "2016-01-21T09:30:00.000+00:00",
            "government": {"current": True, "slug": "2024-labour-government", "title": "2024 Labour government"},
            "political": False,
        },
        "links": {
            "organisations": [
                {
                    "api_path": "/api/content/government/organisations/home-office",
                    "base_path": "/government/organisations/home-office",
                    "content_id": "6667cce2-e809-4e21-ae09-cb0bdc1ddda3",
                    "locale": "en",
                    "title": "Home Office",
                    "document_type": "organisation",
                }
            ]
        },
    }


def only_known_page(base: str) -> dict:
    page = realistic_page(base)
    page["details"]["attachments"] = [
        a for a in page["details"]["attachments"] if not a["url"].startswith(base) and a["url"] != RENAMED_URL
    ]
    page["details"]["body"] = '<div class="govspeak"><p>No links.</p></div>'
    return page


# --------------------------------------------------------------------------------------------------------------
# a local HTTP server (this module's own, so it needs nothing from conftest)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        body, content_type, behaviour = route
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "interrupt":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def server():
    handler = type("Handler", (_Handler,), {"routes": {}})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    srv.base_url = f"http://127.0.0.1:{srv.server_address[1]}"
    srv.api_url = srv.base_url + API_PATH
    srv.routes = handler.routes
    yield srv
    srv.shutdown()
    srv.server_close()


def serve_page(srv, page: dict) -> None:
    srv.routes[API_PATH] = (json.dumps(page).encode(), "application/json; charset=utf-8", "ok")


@pytest.fixture
def govuk(server):
    """The realistic page plus the bytes of its reissued and new workbooks."""
    serve_page(server, realistic_page(server.base_url))
    server.routes[f"/media/6b0000000000000000000007/{REISSUED}"] = (REISSUED_BYTES, XLSX, "ok")
    server.routes[f"/media/6b0000000000000000000006/{NEW}"] = (NEW_BYTES, XLSX, "ok")
    return server


@pytest.fixture(autouse=True)
def temporary_root(tmp_path, monkeypatch):
    """Outputs under a temporary project root, so a default raw_dir never means the user's data/raw."""
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(root))
    return root


class Lines(list):
    def __call__(self, line: str) -> None:
        self.extend(str(line).splitlines() or [""])

    @property
    def text(self) -> str:
        return "\n".join(self)


def entries_from(lines: list[str]) -> list[dict]:
    """The YAML block printed after the '# Manifest entries' comment."""
    start = next(i for i, line in enumerate(lines) if line.startswith("# Manifest entries"))
    block = "\n".join(line for line in lines[start:] if not line.startswith("#"))
    return yaml.safe_load(textwrap.dedent(block))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.exists() else []


# --------------------------------------------------------------------------------------------------------------
# what counts as an outcomes workbook


@pytest.mark.parametrize(
    "name, year",
    [
        ("prc-outcomes-open-data-mar2019-tables-240724.xlsx", "2018/19"),
        ("prc-outcomes-open-data-mar2015-tables-241024.xlsx", "2014/15"),
        ("PRC-Outcomes-Open-Data-Mar2027-Tables-230727.XLSX", "2026/27"),
        ("prc-outcomes-open-data-mar2019-tables.ods", "2018/19"),
        ("prc-outcomes-open-data-mar2000-tables-010100.xlsx", "1999/00"),
    ],
)
def test_outcomes_workbook_names(name, year):
    m = discover.OUTCOMES_FILE.match(name)
    assert m and discover.financial_year(int(m.group("year"))) == year


@pytest.mark.parametrize(
    "name",
    [
        "prc-pfa-mar2013-onwards-tables-230727.ods",
        "prc-outcomes-alternate-open-data-mar2026-tables-230727.xlsx",
        "prc-outcomes-open-data-mar2026-tables-230727-alternate.xlsx",
        "prc-outcomes-open-data-alternate-mar2026-tables-230727.xlsx",
        "prc-knife-open-data-mar2027-tables-230727.xlsx",
        "prc-outcomes-open-data-mar2026-tables-230727.csv",
        "prc-outcomes-open-data-mar2026-tables-23072.xlsx",
        "prc-outcomes-open-data-dec2026-tables-230727.xlsx",
        "../prc-outcomes-open-data-mar2026-tables-230727.xlsx",
        "prc-outcomes-open-data-mar2026-tables-230727.xlsx.zip",
    ],
)
def test_other_names_are_not_outcomes_workbooks(name):
    assert discover.OUTCOMES_FILE.match(name) is None


def test_suffix_is_read_as_ddmmyy_and_dates_are_iso():
    assert discover.suffix_date("prc-outcomes-open-data-mar2019-tables-240724.xlsx").isoformat() == "2024-07-24"
    assert discover.suffix_date("prc-outcomes-open-data-mar2021-tables-240425.xlsx").isoformat() == "2025-04-24"
    assert discover.suffix_date("prc-outcomes-open-data-mar2019-tables-311324.xlsx") is None  # month 13
    assert discover.suffix_date("prc-outcomes-open-data-mar2019-tables.ods") is None
    assert discover.iso_date("2027-07-23T09:30:00.000+01:00") == "2027-07-23"
    assert discover.iso_date("2016-11-16T15:39:49.732Z") == "2016-11-16"
    assert discover.iso_date(None) is None and discover.iso_date("yesterday") is None


# --------------------------------------------------------------------------------------------------------------
# reading the page and classifying


def test_page_lists_only_the_outcomes_workbooks():
    page = realistic_page("http://127.0.0.1:1")
    found, ignored = discover.scan(page, base="http://127.0.0.1:1")
    assert [(f.financial_year, f.file) for f in found] == [
        ("2016/17", "prc-outcomes-open-data-mar2017-tables-240724.xlsx"),
        ("2017/18", "prc-outcomes-open-data-mar2018-tables-240724.xlsx"),
        ("2018/19", REISSUED),
        ("2024/25", "prc-outcomes-open-data-mar2025-tables-230726.xlsx"),
        ("2025/26", "prc-outcomes-open-data-mar2026-tables-230726.xlsx"),
        ("2026/27", NEW),
    ]
    # the HTML user guide, the external link, the guide's link in the body and the mailto link are not files
    assert sorted(ignored) == sorted(
        [
            "prc-pfa-mar2013-onwards-tables-230727.ods",
            "prc-outcomes-alternate-open-data-mar2026-tables-230727.xlsx",
            "prc-outcomes-open-data-mar2026-tables-230727-alternate.xlsx",
            "prc-knife-open-data-mar2027-tables-230727.xlsx",
        ]
    )
    assert all(f.status == "unclassified" for f in found)
    # structured attachments win over the body's links to the same files: their size is kept, no duplicates
    assert all(f.source == "attachment" and f.size is not None for f in found)
    by_file = {f.file: f for f in found}
    assert by_file[NEW].url == f"http://127.0.0.1:1/media/6b0000000000000000000006/{NEW}"
    assert by_file[NEW].title == "Outcomes open data: year ending March 2027"
    assert by_file[NEW].updated == "2027-07-23"  # the page's date (attachments carry none)
    assert discover.outcomes_files(page, base="http://127.0.0.1:1") == found


def test_each_file_is_classified_against_the_real_manifest():
    manifest = load(MANIFEST)
    found = discover.compare(discover.outcomes_files(realistic_page("http://127.0.0.1:1")), manifest)
    got = {f.file: (f.status, f.manifest_id, f.replaces) for f in found}
    assert got == {
        "prc-outcomes-open-data-mar2017-tables-240724.xlsx": ("known", "ho-2016-17-current", None),
        "prc-outcomes-open-data-mar2018-tables-240724.xlsx": ("known", "ho-2017-18-current", None),
        "prc-outcomes-open-data-mar2025-tables-230726.xlsx": ("known", "ho-2024-25-current", None),
        # same file name at another URL: still the pinned file (fetch verifies its sha256)
        "prc-outcomes-open-data-mar2026-tables-230726.xlsx": ("known", "ho-2025-26-current", None),
        # 2018/19 has a Home Office workbook and a CSV conversion: the workbook is the one replaced
        REISSUED: ("reissued", None, "ho-2018-19-current"),
        NEW: ("new", None, None),
    }


def test_known_by_url_even_under_another_name():
    manifest = load(MANIFEST)
    src = manifest.files["ho-2019-20-current"]
    f = discover.Found("2019/20", "prc-outcomes-open-data-mar2020-tables-010124.xlsx", src.url, "t", None)
    [got] = discover.compare([f], manifest)
    assert (got.status, got.manifest_id) == ("known", "ho-2019-20-current")


def test_legacy_page_with_links_only_in_the_body():
    """Older data-set pages have no details.attachments: files are site-relative links in the body HTML."""
    body = (
        '<div class="govspeak"><h2>Outcomes</h2>'
        '<p><span class="attachment-inline"><a href="/government/uploads/system/uploads/attachment_data/file/'
        '552946/prc-outcomes-open-data-mar2016-tables.ods">Crime outcomes open data: year ending March 2016</a>'
        ' (<span class="type">ODS</span>, <span class="file-size">20MB</span>)</span></p>'
        + govspeak_block(
            1,
            "/government/uploads/system/uploads/attachment_data/file/552947/prc-outcomes-open-data-mar2017-tables.ods",
            "Crime outcomes &amp; more: 2016/17",
        )
        + '<p><a href="/government/uploads/system/uploads/attachment_data/file/552948/'
        'prc-pfa-mar2013-onwards-tables.ods">Police force area tables</a></p></div>'
    )
    page = {"title": "t", "public_updated_at": "2017-07-20T09:30:00.000+01:00", "details": {"body": body}}
    found, ignored = discover.scan(page, base="https://www.gov.uk")
    assert [(f.financial_year, f.url, f.title, f.source, f.size) for f in found] == [
        (
            "2015/16",
            f"{UPLOADS}/552946/prc-outcomes-open-data-mar2016-tables.ods",
            "Crime outcomes open data: year ending March 2016",
            "body",
            None,
        ),
        (
            "2016/17",
            f"{UPLOADS}/552947/prc-outcomes-open-data-mar2017-tables.ods",
            "Crime outcomes & more: 2016/17",
            "body",
            None,
        ),
    ]
    assert ignored == ["prc-pfa-mar2013-onwards-tables.ods"]
    manifest = load(MANIFEST)
    assert [f.status for f in discover.compare(found, manifest)] == ["reissued", "reissued"]


def test_a_body_link_adds_a_file_the_attachments_do_not_list():
    page = realistic_page("http://127.0.0.1:1")
    page["details"]["body"] += (
        '<p><a href="https://assets.publishing.service.gov.uk/media/6c01/'
        'prc-outcomes-open-data-mar2020-tables-240724.xlsx">2019/20</a></p>'
    )
    found = {f.file: f for f in discover.outcomes_files(page)}
    extra = found["prc-outcomes-open-data-mar2020-tables-240724.xlsx"]
    assert (extra.source, extra.financial_year, extra.size) == ("body", "2019/20", None)
    [known] = discover.compare([extra], load(MANIFEST))
    assert (known.status, known.manifest_id) == ("known", "ho-2019-20-current")  # same file name


# --------------------------------------------------------------------------------------------------------------
# the command


def test_exit_0_when_every_file_is_known(server, tmp_path):
    serve_page(server, only_known_page(server.base_url))
    out, err = Lines(), Lines()
    code = discover.run(manifest_path=MANIFEST, api_url=server.api_url, raw_dir=tmp_path / "raw", out=out, err=err)
    assert code == 0, err.text
    assert "summary: 3 known, 0 reissued, 0 new" in out.text
    assert "nothing new" in out.text
    assert err == [] and not (tmp_path / "raw").exists()


def test_exit_1_lists_new_and_reissued_without_downloading(govuk, tmp_path, temporary_root):
    out, err = Lines(), Lines()
    code = discover.run(manifest_path=MANIFEST, api_url=govuk.api_url, out=out, err=err)
    assert code == 1, err.text
    rows = {line.split()[2]: line.split() for line in out if line.split()[:1] in (["known"], ["reissued"], ["new"])}
    assert rows[REISSUED][:2] == ["reissued", "2018/19"] and "ho-2018-19-current" in rows[REISSUED]
    assert rows[NEW][:2] == ["new", "2026/27"]
    assert rows["prc-outcomes-open-data-mar2017-tables-240724.xlsx"][:4] == [
        "known",
        "2016/17",
        "prc-outcomes-open-data-mar2017-tables-240724.xlsx",
        "ho-2016-17-current",
    ]
    assert len(rows) == 6
    assert "summary: 4 known, 1 reissued, 1 new" in out.text
    assert "ignored 4 other file(s)" in out.text and "prc-pfa-mar2013-onwards-tables-230727.ods" in out.text
    assert "note: prc-outcomes-open-data-mar2026-tables-230726.xlsx is known as ho-2025-26-current" in out.text
    assert "--download" in out.text
    assert not (temporary_root / "data").exists()  # nothing downloaded anywhere


def test_download_writes_files_atomically_and_prints_pasteable_entries(govuk, tmp_path):
    raw = tmp_path / "raw"
    out, err = Lines(), Lines()
    code = discover.run(manifest_path=MANIFEST, api_url=govuk.api_url, download=True, raw_dir=raw, out=out, err=err)
    assert code == 1, err.text
    assert err == []
    assert sorted(p.name for p in raw.iterdir()) == sorted([REISSUED, NEW])  # no temporary leftovers
    assert (raw / REISSUED).read_bytes() == REISSUED_BYTES and (raw / NEW).read_bytes() == NEW_BYTES

    entries = {e["file"]: e for e in entries_from(out)}
    assert set(entries) == {REISSUED, NEW}
    for name, body in ((REISSUED, REISSUED_BYTES), (NEW, NEW_BYTES)):
        e = entries[name]
        assert e["sha256"] == hashlib.sha256(body).hexdigest() and e["bytes"] == len(body)
        assert list(e) == [
            "id",
            "financial_year",
            "file",
            "bytes",
            "sha256",
            "url",
            "publisher",
            "vintage",
            "licence",
            "layout",
            "mirror_path",
            "description",
        ]
        assert (e["publisher"], e["licence"], e["layout"], e["mirror_path"]) == (
            "Home Office",
            "Open Government Licence v3.0",
            "xlsx",
            name,
        )
        assert e["url"].startswith(govuk.base_url + "/media/")
        assert "page updated 2027-07-23" in e["vintage"] and "unverified" in e["vintage"]
    re_, new = entries[REISSUED], entries[NEW]
    assert (re_["id"], re_["financial_year"]) == ("ho-2018-19-250727", "2018/19")
    assert "read as a DDMMYY date: 2027-07-25; unverified" in re_["vintage"]
    assert "ho-2018-19-current" in re_["description"]
    assert (new["id"], new["financial_year"]) == ("ho-2026-27-230727", "2026/27")
    assert "April 2026 to March 2027" in new["description"]

    # ready to paste: the printed block, appended under files: of a copy of the real manifest, loads and validates
    text = MANIFEST.read_text(encoding="utf-8")
    start = next(i for i, line in enumerate(out) if line.startswith("# Manifest entries"))
    block = "\n".join(out[start:])
    pasted = text.replace("\n# Named editions", "\n" + block + "\n\n# Named editions", 1)
    assert pasted != text
    copy_path = tmp_path / "sources.yaml"
    copy_path.write_text(pasted, encoding="utf-8")
    merged = load(copy_path)
    assert merged.files["ho-2018-19-250727"].sha256 == hashlib.sha256(REISSUED_BYTES).hexdigest()
    assert merged.files["ho-2026-27-230727"].bytes == len(NEW_BYTES)
    # ... and with them the page holds nothing new any more
    out2 = Lines()
    assert discover.run(manifest_path=copy_path, api_url=govuk.api_url, out=out2, err=Lines()) == 0
    assert MANIFEST.read_text(encoding="utf-8") == text  # never edited


def test_default_download_folder_is_the_project_raw_dir(govuk, temporary_root):
    out, err = Lines(), Lines()
    assert discover.run(manifest_path=MANIFEST, api_url=govuk.api_url, download=True, out=out, err=err) == 1, err.text
    assert sorted(p.name for p in (temporary_root / "data" / "raw").iterdir()) == sorted([REISSUED, NEW])


def test_interrupted_download_keeps_nothing(govuk, tmp_path):
    govuk.routes[f"/media/6b0000000000000000000007/{REISSUED}"] = (REISSUED_BYTES, XLSX, "interrupt")
    raw = tmp_path / "raw"
    out, err = Lines(), Lines()
    code = discover.run(manifest_path=MANIFEST, api_url=govuk.api_url, download=True, raw_dir=raw, out=out, err=err)
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: download of ") and REISSUED in err[0]
    assert "interrupted" in err[0] and "nothing was kept" in err[0]
    assert not (raw / REISSUED).exists() and leftovers(raw) == []
    assert "# Manifest entries" not in out.text


def test_missing_workbook_is_an_error_with_its_url(govuk, tmp_path):
    del govuk.routes[f"/media/6b0000000000000000000006/{NEW}"]
    raw = tmp_path / "raw"
    with pytest.raises(SourceError, match=rf"download of http://127\.0\.0\.1:\d+/media/\S+/{NEW} failed: HTTP 404"):
        discover.download(f"{govuk.base_url}/media/6b0000000000000000000006/{NEW}", raw / NEW)
    assert not raw.exists() or list(raw.iterdir()) == []


def test_manifest_entry_hashes_the_file_when_not_given_a_digest(tmp_path):
    path = tmp_path / NEW
    path.write_bytes(NEW_BYTES)
    [found] = [
        f
        for f in discover.compare(discover.outcomes_files(realistic_page("http://x")), load(MANIFEST))
        if f.file == NEW
    ]
    page = realistic_page("http://x")
    entry = discover.manifest_entry(found, path, page)
    assert entry == discover.manifest_entry(found, path, page, digest=(fetch.sha256_of(path), path.stat().st_size))
    assert (entry["bytes"], entry["sha256"]) == (len(NEW_BYTES), hashlib.sha256(NEW_BYTES).hexdigest())
    taken = {"ho-2026-27-230727", "ho-2026-27-230727-2"}
    assert discover.manifest_entry(found, path, page, taken=taken)["id"] == "ho-2026-27-230727-3"
    with pytest.raises(SourceError, match="bytes on disk"):
        discover.manifest_entry(found, path, page, digest=("0" * 64, 5))


# --------------------------------------------------------------------------------------------------------------
# errors: one line naming the URL, never a traceback


def test_404_names_the_url(server):
    url = server.base_url + "/api/content/government/statistical-data-sets/no-such-page"
    with pytest.raises(SourceError) as err:
        discover.fetch_page(url, timeout=5)
    message = str(err.value)
    assert url in message and "HTTP 404" in message and "\n" not in message
    assert server.base_url + "/government/statistical-data-sets/no-such-page" in message  # where to look


def test_invalid_json_names_the_url(server):
    server.routes[API_PATH] = (b"<!DOCTYPE html><html><body>GOV.UK</body></html>", "text/html", "ok")
    with pytest.raises(SourceError, match=r"did not return JSON") as err:
        discover.fetch_page(server.api_url, timeout=5)
    assert server.api_url in str(err.value) and "<!DOCTYPE html>" in str(err.value)


@pytest.mark.parametrize(
    "doc, problem",
    [
        ([1, 2], "the JSON is a list"),
        ({"title": "x"}, "no 'details' object"),
        ({"details": {"attachments": {"a": 1}}}, "'details.attachments' is not a list of objects"),
        ({"details": {"body": 3}}, "'details.body' is not a string"),
        ({"details": {"political": False}}, "neither 'details.attachments' nor 'details.body'"),
    ],
)
def test_json_of_the_wrong_shape_names_the_url(server, doc, problem):
    server.routes[API_PATH] = (json.dumps(doc).encode(), "application/json", "ok")
    with pytest.raises(SourceError) as err:
        discover.fetch_page(server.api_url, timeout=5)
    assert server.api_url in str(err.value) and problem in str(err.value)


def test_connection_refused_names_the_url():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}{API_PATH}"
    with pytest.raises(SourceError, match=r"could not reach the GOV\.UK content API") as err:
        discover.fetch_page(url, timeout=5)
    assert url in str(err.value)


def test_run_reports_errors_in_one_line_with_exit_2(server, tmp_path):
    out, err = Lines(), Lines()
    code = discover.run(manifest_path=MANIFEST, api_url=server.base_url + "/api/content/nothing", out=out, err=err)
    assert code == 2 and len(err) == 1 and err[0].startswith("error: GOV.UK content API http://127.0.0.1:")
    assert out == []


def test_a_page_without_outcomes_workbooks_is_an_error_not_nothing_new(server):
    page = realistic_page(server.base_url)
    page["details"]["attachments"] = page["details"]["attachments"][:5]
    page["details"]["body"] = "<p>moved</p>"
    serve_page(server, page)
    out, err = Lines(), Lines()
    assert discover.run(manifest_path=MANIFEST, api_url=server.api_url, out=out, err=err) == 2
    assert "links no outcomes workbook" in err.text and server.api_url in err.text


def test_non_http_addresses_are_refused(tmp_path):
    with pytest.raises(SourceError, match="not an http"):
        discover.fetch_page("file:///etc/passwd")
    with pytest.raises(SourceError, match="not an http"):
        discover.download("file:///etc/passwd", tmp_path / "raw" / "x.xlsx")
    assert not (tmp_path / "raw").exists()


def test_realistic_fixture_is_not_mutated_between_uses():
    a = realistic_page("http://127.0.0.1:1")
    b = copy.deepcopy(a)
    discover.compare(discover.outcomes_files(a), load(MANIFEST))
    assert a == b


def test_an_attachment_date_is_preferred_and_size_changes_are_flagged(server):
    page = realistic_page(server.base_url)
    atts = page["details"]["attachments"]
    new = next(a for a in atts if a["url"].endswith(NEW))
    new["updated_at"] = "2027-07-24T10:00:00.000+01:00"  # not in today's schema; used if GOV.UK adds it
    known = next(a for a in atts if a["url"].endswith("prc-outcomes-open-data-mar2017-tables-240724.xlsx"))
    known["file_size"] += 1
    found = {f.file: f for f in discover.compare(discover.outcomes_files(page, base=server.base_url), load(MANIFEST))}
    assert found[NEW].updated == "2027-07-24" and found[REISSUED].updated == "2027-07-23"
    assert discover.vintage_text(found[NEW], page).startswith("release attachment dated 2027-07-24; listed on")
    serve_page(server, page)
    out = Lines()
    assert discover.run(manifest_path=MANIFEST, api_url=server.api_url, out=out, err=Lines()) == 1
    assert "warning: prc-outcomes-open-data-mar2017-tables-240724.xlsx: GOV.UK announces" in out.text
