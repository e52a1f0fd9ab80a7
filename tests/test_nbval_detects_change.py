"""Demonstrates that nbval guards the committed outputs: one changed stored number makes it fail."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from crimeoutcomes import notebooks

pytestmark = pytest.mark.usefixtures("sample_processed")


def run_nbval(path):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-kernel-name", notebooks.KERNEL, str(path)], capture_output=True, text=True)


def test_changing_one_stored_number_fails_nbval(tmp_path):
    nb = json.loads(notebooks.committed("01_clean").read_text())
    changed = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("text", []))
            if "tidy rows written" in text:
                new = re.sub(r"^1,072,192", "1,072,193", text)
                assert new != text, "the stored row count was not found"
                out["text"] = new
                changed = True
    assert changed
    unchanged = tmp_path / "unchanged.ipynb"
    shutil.copy(notebooks.committed("01_clean"), unchanged)
    tampered = tmp_path / "tampered.ipynb"
    tampered.write_text(json.dumps(nb))

    ok = run_nbval(unchanged)
    assert ok.returncode == 0, ok.stdout[-2000:]
    bad = run_nbval(tampered)
    assert bad.returncode == 1
    assert "1,072,193" in bad.stdout and "1,072,192" in bad.stdout


@pytest.mark.parametrize("stem,expected", [
    ("00_dataset_guide", {"edition", "example_force", "compare_edition"}),
    ("01_clean", {"edition", "mirror", "allow_download"}),
    ("02_claims", {"edition", "claims_file", "trace_claim"}),
    ("03_force_report", {"force", "edition"}),
    ("04_sensitivity", {"edition"}),
])
def test_papermill_sees_every_parameter(stem, expected):
    import papermill

    assert set(papermill.inspect_notebook(str(notebooks.committed(stem)))) == expected
