"""The committed notebooks: nbval guards their outputs, papermill sees their parameters, and they only read and
explain (no notebook writes a file or builds data). NOTEBOOKS is the one list of them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from crimeoutcomes import dag, paths
from crimeoutcomes.publish import notebooks
from crimeoutcomes.tools import testing

COMMITTED = [paths.CHECKOUT / "notebooks" / f"{stem}.ipynb" for stem in testing.COMMITTED]
#: calls that write a file, build data or run a step: none may appear in a notebook
FORBIDDEN = re.compile(
    r"\.(to_csv|to_parquet|to_excel|write_text|write_bytes|savefig|mkdir|unlink|rmdir)\(|"
    r"open\([^)]*['\"][wa]|build_edition|steps\.|replace_dir|atomic_path|write_stamp|"
    r"\b(shutil|subprocess)\b|papermill\.execute"
)


def code(nb_path) -> list[str]:
    nb = json.loads(nb_path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def run_nbval(path, root):
    env = {**os.environ, "CRIMEOUTCOMES_ROOT": str(root)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-kernel-name",
            notebooks.KERNEL,
            str(path),
        ],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_no_notebook_writes_a_file_or_builds_data(path):
    offending = [line for cell in code(path) for line in cell.splitlines() if FORBIDDEN.search(line)]
    assert offending == []


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_outputs_hold_no_machine_specific_paths(path):
    text = path.read_text()
    assert "/tmp/" not in text and "/work/" not in text and "Traceback" not in text


def test_papermill_sees_the_parameters_the_notebook_list_declares():
    import papermill

    for nb in dag.NOTEBOOKS:
        assert set(papermill.inspect_notebook(str(paths.CHECKOUT / "notebooks" / f"{nb.name}.ipynb"))) == set(
            nb.parameters
        ), nb.name


def test_the_readme_lists_every_notebook():
    readme = (paths.CHECKOUT / "README.md").read_text()
    for nb in dag.NOTEBOOKS:
        assert f"notebooks/{nb.name}.ipynb" in readme, nb.name


def test_changing_one_stored_number_fails_nbval(tmp_path, prepared_root):
    source = paths.CHECKOUT / "notebooks" / "01_clean.ipynb"
    nb = json.loads(source.read_text())
    changed = False
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", []))
            if "1,072,192" in html:
                out["data"]["text/html"] = html.replace("1,072,192", "1,072,193")
                changed = True
    assert changed, "the stored row count was not found"
    unchanged = tmp_path / "unchanged.ipynb"
    shutil.copy(source, unchanged)
    tampered = tmp_path / "tampered.ipynb"
    tampered.write_text(json.dumps(nb))
    ok = run_nbval(unchanged, prepared_root)
    assert ok.returncode == 0, ok.stdout[-2000:]
    bad = run_nbval(tampered, prepared_root)
    assert bad.returncode == 1 and "1,072,193" in bad.stdout and "1,072,192" in bad.stdout
