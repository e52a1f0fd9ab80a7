"""Browser check of rendered pages (crimeoutcomes.publish.check_pages) on small fixture sites in tmp_path.

One good page must pass with zero problems; each bad page must produce exactly its kind of problem. Needs Debian's
chromium (.ci/install-chromium); the module is skipped without it."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from crimeoutcomes.tools import check_pages as cp

if cp.find_chromium() is None:
    pytest.skip("Chromium not found: run .ci/install-chromium", allow_module_level=True)

CHECKOUT = Path(__file__).resolve().parents[1]
HEAD = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>{extra}</head>'
    "<body><main><h1>{title}</h1>\n"
)
SORT_SCRIPT = """<script>
document.querySelectorAll('table.sortable th button').forEach(function (button) {
  button.addEventListener('click', function () {
    var th = button.closest('th'), table = th.closest('table'), col = th.cellIndex;
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    table.querySelectorAll('th[aria-sort]').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0], rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v || a.cells[col].textContent;
      var y = b.cells[col].dataset.v || b.cells[col].textContent;
      var c = (isNaN(x) || isNaN(y)) ? x.localeCompare(y) : x - y;
      return dir === 'ascending' ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>"""
# already in ascending order of force, as the real index is: the first Enter on "Force" leaves the order as it was
ROWS = (
    '<tbody><tr><td>Avon and Somerset</td><td data-v="26.6"><data value="26.58">26.6%</data></td></tr>'
    '<tr><td>Cheshire</td><td data-v="36.5"><data value="36.5">36.5%</data></td></tr>'
    '<tr><td>Derbyshire</td><td data-v="13.1"><data value="13.149">13.1%</data></td></tr></tbody>'
)


def page(title: str, body: str, extra: str = "") -> str:
    return HEAD.format(title=title, extra=extra) + body + "\n</main></body></html>\n"


def sortable_table(heads: str, caption: str = "<caption>Rate by force</caption>", style: str = "") -> str:
    return f'<table class="sortable"{style}>{caption}<thead><tr>{heads}</tr></thead>{ROWS}</table>'


BUTTON_HEADS = (
    '<th aria-sort="none"><button type="button">Force</button></th>'
    '<th aria-sort="none"><button type="button">Rate</button></th>'
)

GOOD = page(
    "Good page",
    f"""
<nav><a href="second.html#details">Details</a> · <a href="#rates">Rates</a> · <a href="sub/">Sub</a>
 · <a href="https://example.org/source">Home Office source</a></nav>
<p><img src="chart.png" width="300" height="150" alt="Bar chart: the rate rose from 20% in 2017 to 30% in 2018">
<img src="chart.png" width="8" height="8" alt="" role="presentation"></p>
<h2 id="rates">Rates</h2>
<div role="region" aria-label="Rate by force" tabindex="0" style="overflow-x:auto">
{sortable_table(BUTTON_HEADS, style=' style="min-width:700px"')}
</div>
{SORT_SCRIPT}""",
    extra='<link rel="stylesheet" href="style.css"><link rel="canonical" href="https://example.org/good">',
)

WRAP = '<div class="table-wrap" role="region" aria-label="Rates" tabindex="0" style="overflow-x:auto">{}</div>'
BAD = {
    "wide.html": ("sideways-scroll", page("Wide", '<div class="banner" style="width:900px">A wide banner</div>')),
    "alt.html": (
        {"image-alt", "axe"},  # axe-core's image-alt rule finds the missing and the empty alt too
        page(
            "Alt",
            '<img src="chart.png"><img src="chart.png" alt="' + cp.NB_DEFAULT_ALT + '">'
            '<img src="chart.png" alt=""><img src="chart.png" alt="chart.png">',
        ),
    ),
    "links.html": (
        "broken-link",
        page(
            "Links",
            '<a href="missing.html">m</a> <a href="second.html#nope">n</a> '
            '<a href="#nowhere">w</a> <a href="../outside.html">o</a> '
            '<img src="missing.png" alt="A missing chart">'
            '<script src="missing.js"></script>',
            extra='<link rel="stylesheet" href="missing.css">',
        ),
    ),
    "external.html": (
        "external-load",
        page(
            "External",
            "<p>Text in a web font</p>"
            '<img src="https://example.com/logo.png" alt="Example logo">'
            '<script src="https://cdn.example.com/lib.js"></script>',
            extra='<link rel="stylesheet" href="https://fonts.example.com/css">'
            "<style>@font-face{font-family:W;src:url("
            "https://fonts.example.com/w.woff2)}body{font-family:W}</style>",
        ),
    ),
    "jserror.html": (
        "js-error",
        page("JS error", '<script>console.error("boom from the test");notDefinedAnywhere();</script>'),
    ),
    "sort-nobutton.html": (
        "sort-keyboard",
        page(
            "Sort without buttons",
            sortable_table("<th>Force</th><th>Rate</th>")
            + "<script>document.querySelectorAll('th').forEach(function(th){"
            "th.addEventListener('click',function(){});});</script>",
        ),
    ),
    "sort-broken.html": ("sort-keyboard", page("Sort that does nothing", sortable_table(BUTTON_HEADS))),
    "sort-notab.html": (
        "sort-keyboard",
        page(
            "Sort buttons out of the tab order",
            sortable_table(BUTTON_HEADS.replace("<button ", '<button tabindex="-1" ')) + SORT_SCRIPT,
        ),
    ),
    "nocaption.html": (
        "table-caption",
        page("No caption", '<table><tr><th>a</th></tr><tr><td><data value="1">1</data></td></tr></table>'),
    ),
    "twocaptions.html": (
        "table-caption",
        page(
            "Two captions",
            "<table><caption>Rates</caption><caption>Rates again</caption><tr><th>a</th></tr>"
            '<tr><td><data value="1">1</data></td></tr></table>',
        ),
    ),
    "contrast.html": ("axe", page("Contrast", '<p style="color:#bbbbbb">Light grey text on white</p>')),
    "rounding.html": (
        "numbers",
        page("Rounding", '<p>The rate was <data value="20.848">20.9%</data> against 23.6% nationally.</p>'),
    ),
    "hidden.html": (
        "hidden-columns",
        page(
            "Hidden columns",
            WRAP.format(
                '<table style="min-width:1600px"><caption>Rates</caption><tr><th>a</th><th>b</th></tr>'
                "<tr><td>x</td><td>y</td></tr></table>"
            ),
        ),
    ),
    "smallchart.html": (
        "chart-text",
        page(
            "Small chart",
            '<figure><img src="phone.png" alt="A chart drawn for a phone" style="width:200px">'
            "<figcaption>The chart</figcaption></figure>",
        ),
    ),
}


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x30\x60\x90" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def write_site(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "good.html").write_text(GOOD)
    (root / "second.html").write_text(
        page(
            "Second",
            '<h2 id="details">Details</h2><a href="good.html">back</a>'
            '<h2 id="r%C3%A9sum%C3%A9">R</h2><a href="#r%C3%A9sum%C3%A9">R</a>'
            '<h2 id="caf\u00e9">C</h2><a href="#caf%C3%A9">C</a>',
        )
    )
    (root / "sub" / "index.html").write_text(page("Sub", '<a href="../good.html#rates">back</a>'))
    (root / "style.css").write_text("body{margin:1em}\n")
    (root / "chart.png").write_bytes(png(4, 2))
    (root / "phone.png").write_bytes(png(740, 400))  # a 3.7-inch drawing at 200 px an inch
    (root.parent / "outside.html").write_text(page("Outside", ""))
    for name, (_, html) in BAD.items():
        (root / name).write_text(html)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "site"
    write_site(root)
    lines: list[str] = []
    names = ["good.html", "second.html", "sub/index.html", *BAD]
    problems = cp.check_pages([Path(n) for n in names], root, root / "shots", log=lines.append)
    by_page: dict[str, list[cp.Problem]] = {n: [] for n in names}
    for p in problems:
        by_page[p.page].append(p)
    return root, by_page, lines


def test_good_pages_pass(checked):
    root, by_page, lines = checked
    for name in ("good.html", "second.html", "sub/index.html"):
        assert by_page[name] == [], by_page[name]
    assert any(line == "good.html  note: 2 external link(s), listed, not fetched (no internet)" for line in lines), (
        lines
    )
    for stem in ("good", "second", "sub"):  # sub/index.html is named after its folder
        for width in cp.WIDTHS:
            assert png_width(root / "shots" / f"{stem}-{width}.png") == width


@pytest.mark.parametrize("name", list(BAD))
def test_bad_page_gives_exactly_its_kind(checked, name):
    _, by_page, lines = checked
    kinds = BAD[name][0]
    found = by_page[name]
    assert found, f"{name}: no problem found"
    assert {p.kind for p in found} == (kinds if isinstance(kinds, set) else {kinds}), found
    assert all(any(line.startswith(name) and p.detail in line for line in lines) for p in found)


def test_details_say_where(checked):
    _, by_page, lines = checked
    [wide] = by_page["wide.html"]
    assert wide.width == 390 and "div.banner" in wide.detail and "900 px wide" in wide.detail
    alt = [p for p in by_page["alt.html"] if p.kind == "image-alt"]
    assert len(alt) == 4 and all(p.width is None for p in alt)
    links = " | ".join(p.detail for p in by_page["links.html"])
    for text in (
        "missing.html",
        "no id 'nope' on second.html",
        "no id 'nowhere' on this page",
        "outside the site",
        "missing.png",
        "missing.js",
        "missing.css",
    ):
        assert text in links, text
    assert len(by_page["links.html"]) == 7  # the 404s of missing.png/js/css are not reported twice
    external = " | ".join(p.detail for p in by_page["external.html"])
    for url in ("example.com/logo.png", "cdn.example.com/lib.js", "fonts.example.com/css", "fonts.example.com/w.woff2"):
        assert url in external, url
    errors = " | ".join(p.detail for p in by_page["jserror.html"])
    assert "boom from the test" in errors and "notDefinedAnywhere" in errors
    broken = " | ".join(p.detail for p in by_page["sort-broken.html"])
    assert "does not reorder" in broken and "aria-sort" in broken
    nobutton = " | ".join(p.detail for p in by_page["sort-nobutton.html"])
    assert "no <button>" in nobutton and "no aria-sort" in nobutton
    assert "Tab does not reach the sort button of heading 'Force'" in by_page["sort-notab.html"][0].detail
    assert sum(line.startswith("check-pages: ") for line in lines) == 1  # the summary
    contrast = " | ".join(p.detail for p in by_page["contrast.html"])
    assert "color-contrast (serious)" in contrast
    rounding = " | ".join(p.detail for p in by_page["rounding.html"])
    assert "'20.9%' is not the half-up rounding of 20.848" in rounding and "23.6%" in rounding  # and unmarked
    [hidden] = by_page["hidden.html"]
    assert hidden.width == 1280 and "1600 px wide" in hidden.detail
    [small] = by_page["smallchart.html"]
    assert (
        small.width == 390 and "phone.png: its smallest text shows at 6.8 px" in small.detail
    )  # 9 pt of 3.7 in at 200 px


def test_main_defaults_missing_pages_and_exit_codes(tmp_path, monkeypatch, capsys):
    root = tmp_path / "project"
    site = root / "reports" / "ed"
    site.mkdir(parents=True)
    (site / "index.html").write_text(page("Index", '<a href="forces/cheshire.html">Cheshire</a>'))
    (site / "forces").mkdir()
    (site / "forces" / "cheshire.html").write_text(page("Cheshire", '<a href="../index.html">Index</a>'))
    monkeypatch.setenv("CRIMEOUTCOMES_ROOT", str(root))
    assert cp.main("ed") == 1  # the claims page and the notebook pages are missing
    out = capsys.readouterr().out
    assert "claims/index.html  [all widths]  not-rendered: not rendered: run make all" in out
    assert "00_dataset_guide.html  [all widths]  not-rendered" in out
    listed = out.split("check-pages:")[0].replace("claims/index.html", "").replace("stories/index.html", "")
    assert "index.html" not in listed and "cheshire.html" not in listed  # the two pages pass
    assert {p.name for p in (site / "screenshots").iterdir()} == {
        "index-390.png",
        "index-1280.png",
        "cheshire-390.png",
        "cheshire-1280.png",
    }
    (site / "claims").mkdir()
    (site / "claims" / "index.html").write_text(page("Claims", '<a href="../index.html">Index</a>'))
    (site / "stories" / "burglary").mkdir(parents=True)
    (site / "stories" / "burglary" / "index.html").write_text(page("Burglary", '<a href="../../index.html">Index</a>'))
    (site / "stories" / "burglary" / "kent.html").write_text(page("Kent", '<a href="index.html">Burglary</a>'))
    assert cp.default_pages(site) == [
        "index.html",
        "methods.html",
        "forces/cheshire.html",
        "claims/index.html",
        "00_dataset_guide.html",
        "01_clean.html",
        "02_claims.html",
        "04_sensitivity.html",
        "stories/index.html",
        "stories/burglary/index.html",
        "stories/burglary/kent.html",
    ]
    assert cp.main("ed", pages=["index.html"], out_dir=tmp_path / "shots") == 0
    monkeypatch.setenv(cp.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    assert cp.find_chromium() is None
    assert cp.main("ed") == 2
    assert "Chromium not found at" in capsys.readouterr().out


def test_install_script_is_a_no_op_when_chromium_is_present():
    result = subprocess.run(
        ["bash", str(CHECKOUT / ".ci" / "install-chromium")], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_screenshot_stems():
    assert cp._stem_names(["index.html", "forces/cheshire.html", "claims/index.html"]) == {
        "index.html": "index",
        "forces/cheshire.html": "cheshire",
        "claims/index.html": "claims",
    }
    assert cp._stem_names(["a/x.html", "b/x.html"]) == {"a/x.html": "a-x", "b/x.html": "b-x"}
