"""Obtaining raw files: data/raw → mirror → download, all sha256-verified. Downloads go to 127.0.0.1 only."""

from __future__ import annotations

import hashlib

import pytest

from crimeoutcomes import fetch
from crimeoutcomes.errors import SourceError
from crimeoutcomes.manifest import SourceFile

BODY = b"financial year,synthetic test payload\n" * 2000


def source(url: str, body: bytes = BODY, name: str = "synthetic-file.csv") -> SourceFile:
    return SourceFile(id="t", financial_year="2018/19", file=name, bytes=len(body),
                      sha256=hashlib.sha256(body).hexdigest(), url=url, publisher="test", vintage="test",
                      licence="test", layout="csv", synthetic=True)


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
