"""make lab: a student's own copies of the notebooks (made once, never overwritten, never collected by the tests or
seen by git), and JupyterLab itself, started headless on 127.0.0.1 and driven through its REST and kernel APIs as
the browser would drive it. Every folder is in tmp; the checkout's notebooks/ is only read."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from crimeoutcomes import cli, dag, paths
from crimeoutcomes.publish.execute import notebooks
from crimeoutcomes.tools import lab

NAMES = [nb.name for nb in dag.NOTEBOOKS]
CHECKOUT_NOTEBOOKS = paths.CHECKOUT / "notebooks"


def committed() -> dict[str, str]:
    """sha256 of every committed notebook: the tests below must leave them as they are."""
    return {
        p.relative_to(CHECKOUT_NOTEBOOKS).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(CHECKOUT_NOTEBOOKS.rglob("*.ipynb"))
    }


def sources(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(str(path), as_version=4).cells]


# ------------------------------------------------------------------------------------------ the student's copies
def test_the_first_run_copies_every_notebook_and_later_runs_keep_the_students_edits(tmp_path):
    before = committed()
    folder = tmp_path / "my-notebooks"
    first = lab.prepare("sample", where=folder)
    assert first.made == NAMES and first.kept == [] and first.put_aside is None
    guide = folder / "00_dataset_guide.ipynb"
    source = CHECKOUT_NOTEBOOKS / "00_dataset_guide.ipynb"
    assert sources(guide) == sources(source)
    copy, original = (nbformat.read(str(p), as_version=4) for p in (guide, source))
    assert [c.get("outputs") for c in copy.cells] == [c.get("outputs") for c in original.cells]  # same edition

    nb = nbformat.read(str(guide), as_version=4)
    nb.cells[-1].source = "answer_10 = ['Derbyshire']\nex.check(10, answer_10)"
    nbformat.write(nb, str(guide))
    edited = guide.read_bytes()
    (folder / "01_clean.ipynb").unlink()

    again = lab.prepare("sample", where=folder)
    assert again.made == ["01_clean"] and again.kept == [n for n in NAMES if n != "01_clean"]
    assert guide.read_bytes() == edited
    assert "05_story" in NAMES  # every notebook of the list, the story template included
    assert any(f"kept your {len(NAMES) - 1} notebooks as they are" in line for line in again.report())

    fresh = lab.prepare("sample", where=folder, fresh=True)
    assert fresh.made == NAMES and fresh.put_aside.parent == folder / lab.OLD
    assert (fresh.put_aside / "00_dataset_guide.ipynb").read_bytes() == edited
    assert sorted(p.name for p in fresh.put_aside.iterdir()) == [f"{n}.ipynb" for n in sorted(NAMES)]
    assert sources(guide) == sources(source)
    assert committed() == before


def test_a_copy_for_another_edition_names_it_and_has_no_outputs(tmp_path):
    folder = tmp_path / "my-notebooks"
    lab.prepare("synthetic-current", where=folder)
    nb = nbformat.read(str(folder / "00_dataset_guide.ipynb"), as_version=4)
    assert lab.edition_of(nb) == "synthetic-current"
    assert 'edition = "synthetic-current"\nexample_force = "Cheshire"' in nb.cells[1].source
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    said = lab.prepare("sample", where=folder).report()
    assert any("00_dataset_guide.ipynb runs on edition synthetic-current, not sample" in line for line in said)


def test_a_notebook_the_project_changed_is_noted_and_the_copy_kept(tmp_path, monkeypatch):
    root = tmp_path / "root"
    shutil.copytree(CHECKOUT_NOTEBOOKS, root / "notebooks")
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(root))
    folder = tmp_path / "my-notebooks"
    lab.prepare("sample", where=folder)
    mine = (folder / "02_claims.ipynb").read_bytes()
    nb = nbformat.read(str(root / "notebooks" / "02_claims.ipynb"), as_version=4)
    nb.cells[0].source += "\n\nA new paragraph."
    nbformat.write(nb, str(root / "notebooks" / "02_claims.ipynb"))
    said = lab.prepare("sample", where=folder).report()
    assert [line for line in said if "has changed" in line] == [
        "note: the project's notebooks/02_claims.ipynb has changed since your copy was made: make lab FRESH=1 "
        "makes a fresh copy (yours is kept aside)"
    ]
    assert (folder / "02_claims.ipynb").read_bytes() == mine


def test_the_students_folder_is_ignored_by_git_and_never_collected_by_pytest(tmp_path):
    mine = [f"{lab.FOLDER}/00_dataset_guide.ipynb", f"{lab.FOLDER}/{lab.OLD}/2026-01-01_10-00-00/01_clean.ipynb"]
    ignored = subprocess.run(["git", "check-ignore", *mine], cwd=paths.CHECKOUT, capture_output=True, text=True)
    assert ignored.stdout.split() == mine
    project = tmp_path / "project"
    for folder in ("notebooks", lab.FOLDER):
        (project / folder).mkdir(parents=True)
        shutil.copy(CHECKOUT_NOTEBOOKS / "04_sensitivity.ipynb", project / folder / "04_sensitivity.ipynb")
    options = [
        "--nbval",
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
        "-c",
        str(paths.CHECKOUT / "pyproject.toml"),
    ]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", *options, "--rootdir", str(project), str(project)],
        capture_output=True,
        text=True,
    )
    assert "notebooks/04_sensitivity.ipynb::Cell 0" in collected.stdout, collected.stdout[-2000:]
    assert lab.FOLDER not in collected.stdout


def test_lab_on_an_edition_without_outputs_says_what_to_do(tmp_path, capsys):
    code = cli.main(["lab", "--edition", "sample", "--prepare-only", "--folder", str(tmp_path / "mine")])
    err = capsys.readouterr().err.strip()
    assert code == cli.EXIT_ERROR and "\n" not in err
    assert err == (
        "error: the notebooks read the outputs of the steps, and edition sample has none yet: run make lab "
        "EDITION=sample (it runs make all first), or make all EDITION=sample"
    )
    assert not (tmp_path / "mine").exists()


def test_the_make_target_passes_lab_args_and_fresh_to_the_command(sample_root, tmp_path):
    """The Makefile's own `lab` line (make -n prints it; make all is not run), run with --prepare-only appended:
    LAB_ARGS=--no-browser is one option, and FRESH=1 puts the copies aside."""
    printed = subprocess.run(
        ["make", "-n", "-s", "lab", "LAB_ARGS=--no-browser", "FRESH=1"],
        cwd=paths.CHECKOUT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [x for x in printed.splitlines() if " -m crimeoutcomes lab " in x]
    folder = tmp_path / "mine"
    env = {**os.environ, "CO_EDITION": "sample", "CO_FRESH": "1", "CO_LAB_ARGS": "--no-browser"}
    for _ in range(2):
        done = subprocess.run(
            ["bash", "-c", f'{line} --prepare-only --folder "{folder}"'],
            cwd=paths.CHECKOUT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    assert f"{folder}/: your earlier copies are kept in {folder}/old/" in done.stdout
    assert len(list((folder / lab.OLD).iterdir())) == 1


def test_the_command_starts_jupyterlab_in_the_folder_on_the_guide_with_the_project_kernel(tmp_path):
    cmd = lab.command(tmp_path, ["--no-browser"])
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"] and cmd[-1] == "--no-browser"
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--LabApp.default_url=/lab/tree/00_dataset_guide.ipynb" in cmd
    assert f"--MappingKernelManager.default_kernel_name={notebooks.KERNEL}" in cmd


#: a student's answer to exercise 1, computed from the table the guide loads for the exercises
ANSWER_1 = (
    "answer_1 = totals[(totals['force'] == 'Cheshire') & (totals['financial_year'] == '2018/19')\n"
    "                  & (totals['fin_quarter'] == 4) & totals['in_totals']]['closed'].sum()\n"
    "ex.check(1, answer_1)"
)


def section_cells(nb: dict, number: str) -> list[str]:
    """The code cells of a numbered section of a notebook (as JupyterLab's contents API gives it): from its heading
    ('## 5. ...') to the next heading of the same level."""
    cells, inside = [], False
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and cell["source"].startswith("## "):
            inside = cell["source"].startswith(f"## {number}. ")
        elif inside and cell["cell_type"] == "code":
            cells.append(cell["source"])
    return cells


# ------------------------------------------------------------------------------------------- JupyterLab itself
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server started by `python -m crimeoutcomes lab`, reached over HTTP with its token."""

    def __init__(self, port: int, token: str, proc: subprocess.Popen, log: Path):
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.ws_base = f"ws://127.0.0.1:{port}"
        self.token, self.proc, self.log = token, proc, log
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"token {token}"
        self.http.trust_env = False  # localhost only, never through a proxy

    def get(self, path: str):
        r = self.http.get(self.base + path, timeout=60)
        r.raise_for_status()
        return r.json()

    def wait_ready(self, attempts: int = 600) -> None:
        import requests

        for _ in range(attempts):  # at most about 5 minutes on a busy machine
            if self.proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                if self.http.get(self.base + "/api/status", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        pytest.fail(f"JupyterLab did not answer on {self.base}:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> int | None:
        """Stop the server as Ctrl-C's second press would (SIGTERM: it shuts its kernels down), then make sure
        nothing it started is left."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=120)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own process group: the server and any kernel left
        self.proc.wait()
        return self.proc.returncode


def execute(ws, code: str) -> tuple[str, str]:
    """Run code on a kernel over its websocket (the messaging protocol, as JupyterLab speaks it): (status of the
    reply, the text of every output)."""
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "student",
                    "session": uuid.uuid4().hex,
                    "date": "",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    texts, status, idle = [], None, False
    while status is None or not idle:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind == "stream":
            texts.append(content["text"])
        elif kind in ("display_data", "execute_result"):
            texts.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            texts.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "execute_reply":
            status = content["status"]
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    return status, "\n".join(texts)


def test_jupyterlab_serves_the_students_notebooks_and_runs_them_on_the_project_kernel(prepared_root, tmp_path):
    import websocket

    before = committed()
    home = tmp_path / "jupyter"  # Jupyter's own settings, runtime files and IPython history stay in tmp
    env = {
        **os.environ,
        "CRIMEOUTCOMES_ROOT": str(prepared_root),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    folder, token, port = tmp_path / "my-notebooks", secrets.token_hex(16), free_port()
    options = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crimeoutcomes", "lab", "--folder", str(folder), "--lab-args", options],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Lab(port, token, proc, log)
    try:
        server.wait_ready()
        assert f"{folder}/: made {len(NAMES)} copies of the project's notebooks" in log.read_text()

        # the workspace, as JupyterLab's file browser lists it
        listing = server.get("/api/contents/")
        assert sorted(i["name"] for i in listing["content"]) == sorted(f"{n}.ipynb" for n in NAMES)
        assert all(i["type"] == "notebook" for i in listing["content"])
        guide = server.get("/api/contents/00_dataset_guide.ipynb")["content"]
        assert guide["metadata"]["kernelspec"]["name"] == notebooks.KERNEL

        # the project's kernel: from the project's environment, and the default for new notebooks
        specs = server.get("/api/kernelspecs")
        assert specs["default"] == notebooks.KERNEL
        assert Path(specs["kernelspecs"][notebooks.KERNEL]["spec"]["argv"][0]) == Path(sys.executable)

        # open the guide as JupyterLab does (a session starts its kernel) and run every code cell
        r = server.http.post(
            server.base + "/api/sessions",
            json={
                "path": "00_dataset_guide.ipynb",
                "type": "notebook",
                "name": "",
                "kernel": {"name": "crime-outcomes"},
            },
            timeout=120,
        )
        r.raise_for_status()
        session = r.json()
        assert session["kernel"]["name"] == notebooks.KERNEL
        ws = websocket.create_connection(
            f"{server.ws_base}/api/kernels/{session['kernel']['id']}/channels?session_id={uuid.uuid4().hex}",
            header=[f"Authorization: token {token}"],
            timeout=600,
        )
        try:
            ran = 0
            for cell in guide["cells"]:
                if cell["cell_type"] == "code":
                    status, text = execute(ws, cell["source"])
                    assert status == "ok", (cell["source"], text)
                    ran += 1
            assert ran == sum(c["cell_type"] == "code" for c in guide["cells"]) > 20

            # then section 5 and section 8 again, a student's answer from the exercises' table after each (section
            # 5 once rebound that table's name), and every cell after the setup once more, last first: each cell can
            # be re-run, in any order
            code = [c["source"] for c in guide["cells"] if c["cell_type"] == "code"]
            for cells in (section_cells(guide, "5"), section_cells(guide, "8"), code[:1:-1]):
                assert cells
                for source in cells:
                    status, text = execute(ws, source)
                    assert status == "ok", (source, text)
                status, text = execute(ws, ANSWER_1)
                assert status == "ok" and text.startswith("Exercise 1: right. 24,120: the closed basis"), text
            status, text = execute(ws, "import sys; print(sys.executable)")
            assert status == "ok" and Path(text.strip()) == Path(sys.executable)

            # a student answers exercise 3 wrongly, then rightly, and computes exercise 1 from the table
            status, text = execute(ws, "ex.check(3, ['2018/19 Q1', '2018/19 Q2', '2018/19 Q3', '2018/19 Q4'])")
            assert status == "ok" and text.startswith("Exercise 3: wrong. Those are the four quarters of financial")
            status, text = execute(ws, "ex.check(3, ['2018/19 q3', '2017/18 Q4', '2018/19 Q1', '2018/19 Q2'])")
            assert status == "ok" and text.startswith("Exercise 3: right. 2017/18 Q4, 2018/19 Q1, 2018/19 Q2 and")
            status, text = execute(ws, ANSWER_1)
            assert status == "ok" and text.startswith("Exercise 1: right. 24,120: the closed basis")
        finally:
            ws.close()

        # the student saves the notebook: their copy changes, the project's notebooks do not
        edited = json.loads(json.dumps(guide))
        edited["cells"][-1]["source"] = "answer_10 = ['Avon and Somerset', 'Derbyshire']\nex.check(10, answer_10)"
        r = server.http.put(
            server.base + "/api/contents/00_dataset_guide.ipynb",
            json={"type": "notebook", "format": "json", "content": edited},
            timeout=60,
        )
        r.raise_for_status()
        assert sources(folder / "00_dataset_guide.ipynb")[-1].startswith("answer_10 = ['Avon and Somerset'")
        assert server.http.delete(f"{server.base}/api/sessions/{session['id']}", timeout=60).status_code == 204
    finally:
        code = server.stop()
    assert code is not None
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    assert committed() == before
