"""A story version's page (reports/<edition>/stories/<story>/<force>.html), written from its version.json: the
headline and the story to publish, its chart and the data behind it, the caveats, the notes to editors, and where to
check it.

The page is written here, section by section, by the stories step. notebooks/05_story.ipynb shows the same sections,
made by the same functions below, under the same headings (publish/lab/display.StoryVersion), for someone who opens a
version in JupyterLab; tests/test_notebooks.py keeps the two the same. The page is not rendered from that notebook:
it shows no code, so a kernel would only print what version.json already holds, at about 0.15 s of a core for each of
176 versions.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from PIL import Image

from ... import dag
from ...atomic import write_text
from ..words import numbers, wording
from ..words import story as story_words
from . import html

#: the page's headings after the story, in order (keys are the headings' ids); 05_story.ipynb has the same ones
HEADINGS = {
    "chart": "The chart, and the data behind it",
    "caveats": "Caveats",
    "notes": "Notes to editors",
    "check": "Check it yourself",
}


def files_folder(folder: Path, story_id: str, slug: str) -> Path:
    """A version's folder of files (its chart and version.json) in the story's folder, beside its page."""
    return Path(folder) / PurePosixPath(dag.file("stories", "data", story=story_id, force=slug)).parent.name


def headline(data: dict) -> str:
    return f"<h1>{data['headline_html']}</h1>"


def story(data: dict) -> str:
    """The story to publish, and whether it is ready as it stands."""
    sections = data["sections"]
    text = "".join(f"<p>{sections[k]}</p>" for k in story_words.STORY if sections.get(k))
    state = (
        "Every figure checked against the raw rows: ready to publish."
        if data["ready"]
        else "Every figure checked against the raw rows. Before you publish it, read "
        + wording.join(data.get("read_first") or ["the caveats below"])
        + "."
    )
    return f'<blockquote class="story">{text}</blockquote><p>{html.esc(state)}</p>'


def no_chart(data: dict) -> str:
    """What the chart's place says when the story prints no figure of the force's own to draw."""
    what = "rate" if data["is_rate"] else "figure"
    return (
        f"<p>No chart: the story prints no {what} for {html.esc(data['force'])} to draw beside England and Wales.</p>"
    )


def chart(data: dict, folder: Path, prefix: str) -> str:
    """The version's chart (the phone drawing on narrow screens), its title as the caption, and its files; folder:
    where the files are; prefix: the way from the page to them."""
    meta = data["chart"]
    if not meta:
        return no_chart(data)
    files = meta["files"]
    with Image.open(folder / files["png"]) as png:  # drawn at 2x: shown at half its pixels
        width, height = (round(n / 2) for n in png.size)
    return html.figure(
        prefix + files["png"],
        meta["alt"],
        html.mark(meta["title"], [numbers.Printed.from_json(f) for f in meta.get("figures", [])]),
        html.chart_downloads(files, prefix),
        prefix + files["png_phone"] if "png_phone" in files else None,
        width,
        height,
    )


def table(data: dict) -> str:
    """The figures behind the chart (or, without one, behind the story), exact values marked, the rate beside the
    names (in view at 390 px)."""
    rows = []
    for r in data["table"]:
        row = {"Area": r["area"], "Period": r["period"]}
        if data["is_rate"]:
            row["Rate"] = numbers.Printed.from_json(r["rate"]) if r["rate"] else None
        row["Count"] = numbers.Printed.from_json(r["numerator"])
        if data["is_rate"]:
            row["Of"] = numbers.Printed.from_json(r["denominator"])
        rows.append(row)
    if data["chart"]:
        caption = f"The figures behind the chart: {data['force']} and England and Wales"
    else:
        caption = "The figures behind the story: England and Wales"
    return html.table(numbers.frame(rows), caption=caption)


def caveats(data: dict) -> str:
    text, about_data = data["sections"]["caveats"], data["sections"].get("data", "")
    shown = f"<p>{text}</p>" if text else "<p>None that changes a figure of the story as printed.</p>"
    if about_data:
        shown += f"<p>Also about the data, without changing any figure as printed: {about_data}</p>"
    return shown


def notes(data: dict) -> str:
    return f"<p>{data['sections']['notes']}</p>"


def check_yourself(data: dict) -> str:
    links = data["links"]
    return (
        f'<ul><li><a href="{html.esc(links["markdown"])}">The story as text to paste</a></li>'
        f'<li><a href="{html.esc(links["index"])}">Every force\'s version, and the national picture</a></li>'
        f'<li><a href="{html.esc(links["report"])}">{html.esc(data["force"])}: the full report</a></li>'
        f'<li>Every printed figure as a claim: <a href="{html.esc(links["claims"])}">claims.yaml</a>, and its '
        f'audit: <a href="{html.esc(links["audit"])}">claims_audit.csv</a></li></ul>'
    )


def body(data: dict, folder: Path, prefix: str) -> str:
    """The page's content: the headline, where the data comes from, the story, then each section under its heading."""
    sections = {
        "chart": chart(data, folder, prefix) + table(data),
        "caveats": caveats(data),
        "notes": notes(data),
        "check": check_yourself(data),
    }
    return "\n".join(
        [headline(data), html.banner(data["build"]), story(data)]
        + [f'<h2 id="{key}">{html.esc(HEADINGS[key])}</h2>\n{sections[key]}' for key in HEADINGS]
    )


def write(folder: Path, data: dict, site: str) -> Path:
    """The version's page beside its folder of files in the story's folder; site: the way from the story's folder
    to the site's folder."""
    story_id, slug = data["story"], data["slug"]
    page = Path(folder) / PurePosixPath(dag.file("stories", "version", story=story_id, force=slug)).name
    files = files_folder(folder, story_id, slug)
    write_text(
        page,
        html.page(
            f"{data['force']}: {data['title']}",
            body(data, files, f"{files.name}/"),
            data["build"],
            heading=False,  # the headline is the page's h1
            crumbs=[
                ("All forces", site + dag.file("site", "index")),
                ("Stories", "../" + dag.file("stories", "index")),
                (data["title"], PurePosixPath(dag.file("stories", "story", story=story_id)).name),
            ],
            root=site,
        ),
    )
    return page
