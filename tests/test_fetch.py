"""Obtaining raw files (data/raw, then a mirror, then a download, all sha256-verified) and the sources manifest's
checks. Downloads go to 127.0.0.1 only."""

from __future__ import annotations

import hashlib

import pytest

from crimeoutcomes.data import fetch, manifest
from crimeoutcomes.data.manifest import SourceFile
from crimeoutcomes.errors import SourceError

BODY = b"financial year,synthetic test payload\n" * 2000


def source(url: str, body: bytes = BODY, name: str = "synthetic-file.csv") -> SourceFile:
    return SourceFile(
        id="t",
        financial_year="2018/19",
        file=name,
        bytes=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        url=url,
        publisher="test",
        vintage="test",
        licence="test",
        layout="csv",
        synthetic=True,
    )


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_good_download_is_verified_and_kept(tmp_path, http_server):
    http_server.routes["/good.csv"] = (BODY, "ok")
    src = source(http_server.base_url + "/good.csv")
    path = fetch.obtain(src, tmp_path, mirror=None, progress=False)
    assert path.read_bytes() == BODY
    assert leftovers(tmp_path) == []


def test_corrupt_download_keeps_nothing_and_says_expected_vs_found(tmp_path, http_server):
    corrupt = BODY[:-1] + b"X"
    http_server.routes["/corrupt.csv"] = (corrupt, "ok")
    src = source(http_server.base_url + "/corrupt.csv")
    with pytest.raises(SourceError) as err:
        fetch.obtain(src, tmp_path, mirror=None, progress=False)
    message = str(err.value)
    assert f"sha256 {hashlib.sha256(corrupt).hexdigest()}" in message
    assert f"expected sha256 {src.sha256}" in message
    assert "new vintage" in message and "config/sources.yaml" in message
    assert list(tmp_path.iterdir()) == []


def test_interrupted_transfer_keeps_nothing(tmp_path, http_server):
    http_server.routes["/cut.csv"] = (BODY, "interrupt")
    src = source(http_server.base_url + "/cut.csv")
    with pytest.raises(SourceError, match=rf"interrupted: received {len(BODY) // 2:,} of {len(BODY):,} bytes"):
        fetch.obtain(src, tmp_path, mirror=None, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_404_is_reported_with_the_url(tmp_path, http_server):
    src = source(http_server.base_url + "/missing.csv")
    with pytest.raises(SourceError, match=r"missing\.csv failed: HTTP 404"):
        fetch.obtain(src, tmp_path, mirror=None, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_mirror_copy_then_raw_reuse_without_network(tmp_path):
    mirror = tmp_path / "mirror" / "2018-19"
    mirror.mkdir(parents=True)
    (mirror / "synthetic-file.csv").write_bytes(BODY)
    raw = tmp_path / "raw"
    src = source("http://127.0.0.1:9/never-used")
    path = fetch.obtain(src, raw, mirror=tmp_path / "mirror", allow_download=False)
    assert path == raw / "synthetic-file.csv" and path.read_bytes() == BODY
    # second time: taken from data/raw, the mirror is not needed
    (mirror / "synthetic-file.csv").unlink()
    assert fetch.obtain(src, raw, mirror=tmp_path / "mirror", allow_download=False) == path


def test_mismatching_mirror_file_falls_through_to_download(tmp_path, http_server):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "synthetic-file.csv").write_bytes(b"an older vintage")
    http_server.routes["/good.csv"] = (BODY, "ok")
    src = source(http_server.base_url + "/good.csv")
    path = fetch.obtain(src, tmp_path / "raw", mirror=mirror, progress=False)
    assert path.read_bytes() == BODY


def test_offline_with_nothing_available_explains_what_to_do(tmp_path):
    src = source("http://127.0.0.1:9/x")
    with pytest.raises(SourceError) as err:
        fetch.obtain(src, tmp_path / "raw", mirror=tmp_path / "nowhere", allow_download=False)
    text = str(err.value)
    assert "not in the mirror folder" in text and "download not allowed (offline)" in text
    assert "MIRROR=" in text


def test_corrupted_raw_copy_is_replaced_by_a_verified_one(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "synthetic-file.csv").write_bytes(BODY)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "synthetic-file.csv").write_bytes(b"truncated")
    path = fetch.obtain(source("http://127.0.0.1:9/x"), raw, mirror=mirror, allow_download=False)
    assert path.read_bytes() == BODY


def test_stalled_download_says_how_much_arrived(tmp_path, http_server, monkeypatch):
    monkeypatch.setattr(fetch, "DOWNLOAD_TIMEOUT", 1.0)
    http_server.routes["/slow.csv"] = (BODY * 3, "stall")
    src = source(http_server.base_url + "/slow.csv", body=BODY * 3)
    with pytest.raises(SourceError, match=r"stalled after 100,000 bytes \(nothing for 1 s\); nothing was kept"):
        fetch.obtain(src, tmp_path, mirror=None, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["raw", "mirror"])
def test_right_sha256_with_wrong_bytes_is_the_same_error_from_raw_and_mirror(tmp_path, where):
    wrong = SourceFile(**{**source("http://127.0.0.1:9/x").__dict__, "bytes": len(BODY) + 1})
    folder = tmp_path / where
    folder.mkdir()
    (folder / wrong.file).write_bytes(BODY)
    with pytest.raises(
        SourceError,
        match=rf"has the sha256 of t but is {len(BODY):,} bytes, not the "
        rf"{len(BODY) + 1:,} that config/sources.yaml says",
    ):
        fetch.obtain(wrong, tmp_path / "raw", mirror=tmp_path / "mirror", allow_download=False)


MANIFEST = """
files:
  - id: a
    financial_year: "2018/19"
    file: a.csv.gz
    bytes: 10
    sha256: "{sha}"
    url: https://example.org/a.csv.gz
    publisher: p
    vintage: v
    licence: l
    layout: csv.gz
editions:
  e: {{files: [a]}}
"""


@pytest.mark.parametrize(
    "change,message",
    [
        (("bytes: 10", "bytes: lots"), r"files, entry 1 \(id 'a'\), 'bytes': 'lots' is not of type 'integer'"),
        (
            ("file: a.csv.gz", "file: ../../x.csv.gz"),
            r"files, entry 1 \(id 'a'\), 'file': '\.\./\.\./x\.csv\.gz' does not match",
        ),
        (("  e: {files: [a]}", "  - e"), r"editions: \['e'\] is not of type 'object'"),
        (("  - id: a\n", "  - just a string\n  - id: a\n"), r"files, entry 1: 'just a string' is not of type 'object'"),
        (
            ("layout: csv.gz", "layout: csv.gz\n    colour: blue"),
            r"files, entry 1 \(id 'a'\): unknown field\(s\) 'colour'",
        ),
        (('financial_year: "2018/19"', 'financial_year: "2018/20"'), r"'2018/20' is not a financial year"),
        (("e: {files: [a]}", "e: {files: [b]}"), r"editions, 'e', 'files': unknown file id\(s\) 'b'"),
    ],
)
def test_malformed_manifests_name_file_entry_and_field(tmp_path, change, message):
    text = MANIFEST.format(sha="a" * 64).replace(*change)
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(SourceError, match=message):
        manifest.load(path)


def test_the_project_manifest_is_valid():
    m = manifest.load()
    assert m.default_edition == "sample"
    assert {"sample", "current", "synthetic-current"} <= set(m.editions)
    assert len(m.edition("current").files) == 12 and m.edition("synthetic-current").generate == "current"
