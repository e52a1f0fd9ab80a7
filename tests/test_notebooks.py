"""The committed notebooks: nbval guards their outputs, papermill sees their parameters, and they only read and
explain (no notebook writes a file or builds data). NOTEBOOKS is the one list of them."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys

import pytest

from crimeoutcomes import dag, paths
from crimeoutcomes.publish.execute import notebooks
from crimeoutcomes.publish.pages import version_page
from crimeoutcomes.tools import testing

COMMITTED = [paths.CHECKOUT / "notebooks" / f"{stem}.ipynb" for stem in testing.COMMITTED]
#: every notebook file in the checkout: nbval (`make test`) runs each of them
ALL = sorted((paths.CHECKOUT / "notebooks").rglob("*.ipynb"))
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


def test_every_notebook_is_committed_and_prepared_for():
    """nbval runs every notebook file under notebooks/ in the prepared root: each is a committed copy (made by
    `make notebooks` with its parameters), and every notebook of the list, the story template included, is one."""
    assert sorted(COMMITTED) == ALL
    assert {nb.name for nb in dag.NOTEBOOKS} <= {template for template, _ in testing.COMMITTED.values()}
    assert testing.COMMITTED[dag.STORY_NOTEBOOK] == ("05_story", {})


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_notebook_writes_a_file_or_builds_data(path):
    offending = [line for cell in code(path) for line in cell.splitlines() if FORBIDDEN.search(line)]
    assert offending == []


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_outputs_hold_no_machine_specific_paths(path):
    text = path.read_text()
    assert "/tmp/" not in text and "/work/" not in text and "Traceback" not in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_committed_notebooks_carry_their_outputs(path):
    """nbval compares a cell's outputs only when the stored cell was run (it has an execution count); a cell stored
    unrun is executed but its numbers are not guarded. `make notebooks` runs and stores every cell."""
    nb = json.loads(path.read_text())
    unrun = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and c.get("execution_count") is None]
    assert unrun == [], f"{path.name}: cells stored unrun: {unrun} (run make notebooks)"


def test_the_story_notebook_runs_on_the_prepared_root(sample_root, tmp_path):
    """05_story reads the Cheshire version of the report's story that prepare_root writes (as the stories step
    does) and shows it: the story with its figures (each with its exact value), the chart and the table."""
    out = notebooks.execute("05_story", tmp_path / "05_story.ipynb", {}, strip=True)
    html_out = "".join(
        "".join(o.get("data", {}).get("text/html", []))
        for c in json.loads(out.read_text())["cells"]
        for o in c.get("outputs", [])
    )
    version = json.loads(
        paths.output("stories", "data", "sample", story="victim-did-not-support", force="cheshire").read_text()
    )
    assert version["force"] == "Cheshire" and version["headline"] in re.sub(r"<[^>]+>", "", html_out)
    # Cheshire's and England and Wales' calendar 2018 sums of the tidy table's rows (test_reports adds them up)
    for text, value in (("92,811", 92811), ("33,872", 33872), ("5,013,523", 5013523), ("1,181,697", 1181697)):
        assert f'<data value="{value}">{text}</data>' in html_out
    assert '<p class="chart-caption">' in html_out and "<caption>The figures behind the chart: Cheshire" in html_out
    assert "Traceback" not in out.read_text() and str(sample_root) not in out.read_text()


@pytest.mark.parametrize(
    ("story", "force", "slug"),
    [("victim-did-not-support", "Cheshire", "cheshire"), ("burglary-no-suspect", "City of London", "city-of-london")],
)
def test_the_story_notebook_shows_what_the_versions_page_shows(sample_root, tmp_path, story, force, slug):
    """The stories step writes a version's page itself (publish/pages/version_page.py); 05_story shows the same
    version section by section: the same headings in the same order, each section's outputs under its own heading
    on the page, and the chart (embedded in the notebook for JupyterLab) with the same alt text, file and caption.
    Cheshire's version has a chart; City of London's (too few burglaries for a rate) has none and says so."""
    params = {"story": story, "force": force}
    out = notebooks.execute("05_story", tmp_path / "05_story.ipynb", params, strip=True)
    sections: dict[str, list[dict]] = {"": []}
    for c in json.loads(out.read_text())["cells"]:
        if c["cell_type"] == "markdown":
            for line in "".join(c["source"]).splitlines():
                if line.startswith("## "):
                    sections[line[3:].strip()] = []
        else:
            sections[list(sections)[-1]] += c.get("outputs", [])
    assert list(sections)[1:] == list(version_page.HEADINGS.values())
    page = paths.output("stories", "version", "sample", story=story, force=slug).read_text()
    main = page[page.index('<main id="main">') : page.index("</main>")]
    parts = re.split(r'<h2 id="[^"]+">[^<]*</h2>', main)
    headings = re.findall(r'<h2 id="[^"]+">([^<]*)</h2>', main)
    assert headings == list(version_page.HEADINGS.values()) and len(parts) == len(sections)
    shown = 0
    for (heading, outputs), part in zip(sections.items(), parts, strict=True):
        for o in outputs:
            data = o.get("data", {})
            if "image/png" in data:  # the chart: the page shows the same file with the same alt text
                src = o["metadata"]["filenames"]["image/png"]
                assert f'<img src="{src}" alt="{html.escape(o["metadata"]["image/png"]["alt"])}"' in part
                continue
            markup = "".join(data["text/html"])
            if markup.startswith('<p class="chart-caption">'):  # the chart's caption is the page's figcaption
                markup = markup.removeprefix('<p class="chart-caption">').removesuffix("</p>")
                assert f"<figcaption>{markup}</figcaption>" in part, heading
            else:
                assert markup in part, (heading, markup[:80])
            shown += 1
    assert shown == 8  # the headline, the banner, the story, the chart's caption (or "No chart"), the table, ...
    if story == "burglary-no-suspect":
        assert "No chart: the story prints no rate for City of London" in parts[1] and "<figure" not in page
        assert "<caption>The figures behind the story: England and Wales</caption>" in parts[1]


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
    """The committed 01_clean with one stored number changed fails nbval, naming both numbers. (The committed copy
    itself passes: make test runs nbval on it, on the same prepared root.)"""
    nb = json.loads((paths.CHECKOUT / "notebooks" / "01_clean.ipynb").read_text())
    changed = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = "".join(out.get("data", {}).get("text/html", []))
            if "1,072,192" in html:
                out["data"]["text/html"] = html.replace("1,072,192", "1,072,193")
                changed += 1
    assert changed == 1, f"the stored row count was found {changed} times, not once"
    tampered = tmp_path / "tampered.ipynb"
    tampered.write_text(json.dumps(nb))
    bad = run_nbval(tampered, prepared_root)
    assert bad.returncode == 1 and "1,072,193" in bad.stdout and "1,072,192" in bad.stdout, bad.stdout[-2000:]


def test_a_prepared_root_that_cannot_be_made_fails_its_waiters_at_once(tmp_path, monkeypatch):
    """make test prepares the root in a process beside the tests: when that process ends without saying the root is
    ready (killed, out of memory), the tests waiting for it fail at once, saying so, instead of waiting for nothing."""
    ready, log = tmp_path / "prepared", tmp_path / "prepare.log"
    log.write_text("building the site\nKilled\n")
    died = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(137)"])
    testing._watch(died, ready, log)
    monkeypatch.setenv(testing.READY_ENV, str(ready))
    with pytest.raises(RuntimeError, match=re.escape("ended with code 137: building the site | Killed")):
        testing.wait_prepared(timeout=5)
    ready.write_text("ok")
    testing.wait_prepared(timeout=5)  # ready: returns at once
    monkeypatch.delenv(testing.READY_ENV)
    testing.wait_prepared(timeout=0)  # nothing being prepared (pytest run alone): nothing to wait for
