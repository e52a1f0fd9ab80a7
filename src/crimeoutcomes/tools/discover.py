"""Find new vintages of the outcomes workbooks on GOV.UK instead of guessing them.

Asks the GOV.UK content API for the collection page `police-recorded-crime-and-outcomes-open-data-tables`,
lists the *outcomes* workbooks it links, compares them with the sources manifest and, with `download=True`,
fetches each new or reissued file (streamed, sha256 and size computed on the way, written atomically) and prints
a manifest entry ready to paste. It never edits config/sources.yaml.

The content item (https://www.gov.uk/api/content/<path of the page>) is a `statistical_data_set`, as described by
the content schemas of alphagov/publishing-api (`content_schemas/dist/formats/statistical_data_set/frontend/
schema.json`) and produced by Whitehall's `PublishingApi::StatisticalDataSetPresenter`:

    {"base_path": "/government/statistical-data-sets/...", "title": ..., "document_type": "statistical_data_set",
     "schema_name": "statistical_data_set", "first_published_at": ISO, "public_updated_at": ISO, "updated_at": ISO,
     "details": {"body": "<div class=\\"govspeak\\">...HTML...</div>",
                 "attachments": [{"attachment_type": "file" | "html" | "external", "id": "123", "title": ...,
                                  "url": "https://assets.publishing.service.gov.uk/media/<asset id>/<file name>",
                                  "filename": ..., "content_type": ..., "file_size": 123, "locale": "en",
                                  "accessible": false, "assets": [{"asset_manager_id": ..., "filename": ...}]}, ...],
                 "change_history": [{"public_timestamp": ISO, "note": "..."}, ...], "political": false, ...},
     "links": {...}}

`details.attachments` is optional in the schema and older pages only link their files inside `details.body`
(govspeak attachment blocks, often with site-relative `/government/uploads/...` links). Both are read: structured
attachments first, then links in the body whose file is not already listed (a structured record wins). The schema
gives an attachment no date of its own; if one ever appears (`public_updated_at`, `updated_at` or `created_at` on the
attachment) it is preferred, otherwise a file is dated by the page's `public_updated_at`.

What counts as an outcomes workbook (everything else on the page is ignored and listed as such):
    prc-outcomes-open-data-mar<YYYY>-tables[-<DDMMYY>].<xlsx|ods>   (case-insensitive, nothing else in the name)
e.g. `prc-outcomes-open-data-mar2019-tables-240724.xlsx`. `mar2019` is the financial year ending March 2019, i.e.
2018/19. The six-digit suffix is read as a DDMMYY date, which is UNVERIFIED (the vintage text says so). Files of the
other data sets on the page (police force area recorded crime tables, "alternate" outcome files, knife, hate crime,
user guides, ...) do not have this exact name and are ignored.

Classification against the manifest: `known` (same URL or same file name as an entry), `reissued` (an entry exists
for the same financial year, with another file name and URL: a new vintage), `new` (no entry for that year).
`run` returns 0 when nothing is new or reissued, 1 when something is, 2 on an error (SourceError: one line naming
the URL and what to do). Only the standard library is used for HTTP, with a timeout and a User-Agent.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import sys
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from .. import __version__, paths
from ..data import fetch
from ..data.manifest import SourceFile
from ..errors import SourceError, UserError

DEFAULT_API_URL = (
    "https://www.gov.uk/api/content/government/statistical-data-sets/"
    "police-recorded-crime-and-outcomes-open-data-tables"
)
USER_AGENT = f"crimeoutcomes/{__version__} (discover; Python urllib)"
PUBLISHER = "Home Office"
LICENCE = "Open Government Licence v3.0"
CHUNK = 1 << 20
MAX_PAGE_BYTES = 32 << 20  # a content item is tens of kB; refuse anything absurd

#: the outcomes open data workbook of one financial year, and nothing else (see the module docstring)
OUTCOMES_FILE = re.compile(
    r"^prc-outcomes-open-data-mar(?P<year>\d{4})-tables(?:-(?P<suffix>\d{6}))?"
    r"\.(?P<ext>xlsx|ods)$",
    re.IGNORECASE,
)
#: links in the body that point at a file (for the list of ignored files)
_FILE_LINK = re.compile(r"\.(?:xlsx|xls|ods|csv|zip|pdf|docx?|odt|txt)$", re.IGNORECASE)
_ATTACHMENT_DATE_KEYS = ("public_updated_at", "updated_at", "created_at")  # not in today's schema; used if added
STATUSES = ("known", "reissued", "new")


@dataclass(frozen=True)
class Found:
    """An outcomes workbook linked by the page; `status`, `manifest_id` and `replaces` are set by `compare`."""

    financial_year: str
    file: str
    url: str
    title: str
    updated: str | None  # ISO date: the attachment's own date if the API gives one, else the page's update date
    status: str = "unclassified"  # 'known' | 'reissued' | 'new' after compare()
    manifest_id: str | None = None  # known: the manifest entry it is
    replaces: str | None = None  # reissued: the manifest entry of the same financial year it would replace
    size: int | None = None  # file_size announced by the API (structured attachments only)
    source: str = "attachment"  # 'attachment' (details.attachments) or 'body' (a link in details.body)


# ---------------------------------------------------------------------------------------------------------------
# fetching the content item


def html_url(api_url: str) -> str:
    """The page a person opens for an API address (…/api/content/PATH → …/PATH)."""
    parts = urllib.parse.urlsplit(api_url)
    path = parts.path.replace("/api/content/", "/", 1)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "https://www.gov.uk"


def fetch_page(api_url: str, timeout: float = 30.0) -> dict:
    """The content item at `api_url` as a dict; SourceError (naming the URL and what to do) on any failure."""
    scheme = urllib.parse.urlsplit(api_url).scheme
    if scheme not in ("http", "https"):
        raise SourceError(
            f"content API address {api_url!r} is not an http(s) URL; give the GOV.UK content API "
            f"address, e.g. {DEFAULT_API_URL}"
        )
    request = urllib.request.Request(api_url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            raw = resp.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = (
            "the page may have moved or been withdrawn: open " + html_url(api_url) + " in a browser and give "
            "its /api/content/ address"
            if exc.code in (404, 410)
            else "try again later"
        )
        raise SourceError(f"GOV.UK content API {api_url} answered HTTP {exc.code} {exc.reason}; {hint}") from None
    except TimeoutError:
        raise SourceError(
            f"GOV.UK content API {api_url} did not answer within {timeout:g} s; check the internet "
            "connection and try again"
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SourceError(
            f"could not reach the GOV.UK content API {api_url}: {reason}; check the internet "
            "connection (or proxy settings) and try again"
        ) from None
    if len(raw) > MAX_PAGE_BYTES:
        raise SourceError(
            f"GOV.UK content API {api_url} sent more than {MAX_PAGE_BYTES >> 20} MB: not a content "
            "item; check the address"
        )
    try:
        page = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = raw[:40].decode("utf-8", "replace").strip().replace("\n", " ")
        raise SourceError(
            f"GOV.UK content API {api_url} did not return JSON ({exc}; it starts {start!r}); check "
            "the address is an /api/content/ one and try again later"
        ) from None
    check_shape(page, api_url)
    return page


def check_shape(page: object, where: str = "content item") -> None:
    """Raise SourceError unless `page` has the fields of a GOV.UK content item this module reads."""
    fix = "the GOV.UK content API may have changed; check the address and report it"

    def bad(problem: str) -> SourceError:
        return SourceError(f"{where}: not a GOV.UK content item of the expected shape: {problem}; {fix}")

    if not isinstance(page, dict):
        raise bad(f"the JSON is a {type(page).__name__}, not an object")
    details = page.get("details")
    if not isinstance(details, dict):
        raise bad("no 'details' object")
    attachments = details.get("attachments")
    body = details.get("body")
    if attachments is not None and not (
        isinstance(attachments, list) and all(isinstance(a, dict) for a in attachments)
    ):
        raise bad("'details.attachments' is not a list of objects")
    if body is not None and not isinstance(body, str):
        raise bad("'details.body' is not a string")
    if attachments is None and body is None:
        raise bad("neither 'details.attachments' nor 'details.body' is present")
    history = details.get("change_history")
    if history is not None and not isinstance(history, list):
        raise bad("'details.change_history' is not a list")


# ---------------------------------------------------------------------------------------------------------------
# reading the page


def financial_year(year_ending_march: int) -> str:
    """2019 (the year ending March 2019) → '2018/19'."""
    return f"{year_ending_march - 1}/{year_ending_march % 100:02d}"


def suffix_date(file: str) -> dt.date | None:
    """The file-name suffix read as DDMMYY (UNVERIFIED reading), or None if absent or not a date."""
    m = OUTCOMES_FILE.match(file)
    if not m or not m.group("suffix"):
        return None
    s = m.group("suffix")
    try:
        return dt.date(2000 + int(s[4:6]), int(s[2:4]), int(s[0:2]))
    except ValueError:
        return None


def iso_date(value: object) -> str | None:
    """'2024-07-24T09:30:00.000+01:00' → '2024-07-24'; None when absent or not a timestamp."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        try:
            return dt.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return None


def latest_change(page: dict) -> tuple[str, str] | None:
    """(ISO date, note) of the most recent entry of details.change_history, if any."""
    entries = []
    for item in (page.get("details") or {}).get("change_history") or []:
        if isinstance(item, dict):
            stamp = item.get("public_timestamp")
            day = iso_date(stamp)
            if day:
                entries.append((str(stamp), day, str(item.get("note") or "").strip()))
    if not entries:
        return None
    _, day, note = max(entries, key=lambda e: (e[1], e[0]))
    return day, note


def _file_name(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


class _Links(HTMLParser):
    """(href, link text) of every <a href> in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._close()
            href = dict(attrs).get("href")
            self._href = href.strip() if href else None
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a":
            self._close()

    def _close(self) -> None:
        if self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
        self._href = None

    def close(self) -> None:
        super().close()
        self._close()


def body_links(body: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL, title) of the links in an HTML body, in order, one per URL (first non-empty text wins)."""
    parser = _Links()
    parser.feed(body)
    parser.close()
    titles: dict[str, str] = {}
    for href, text in parser.links:
        if href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = urllib.parse.urljoin(base + "/", href)
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            continue
        url = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(fragment=""))
        if not titles.get(url):
            titles[url] = text
    return list(titles.items())


def _attachment_date(att: dict) -> str | None:
    for key in _ATTACHMENT_DATE_KEYS:
        day = iso_date(att.get(key))
        if day:
            return day
    return None


def scan(page: dict, *, base: str = "https://www.gov.uk") -> tuple[list[Found], list[str]]:
    """(outcomes workbooks, names of the other files on the page). `base` resolves site-relative links."""
    check_shape(page)
    details = page["details"]
    page_day = iso_date(page.get("public_updated_at"))
    found: list[Found] = []
    ignored: list[str] = []
    seen: set[str] = set()

    def add(name: str, url: str, title: str, day: str | None, size: int | None, source: str) -> None:
        key = name.casefold()
        if key in seen:
            return
        seen.add(key)
        m = OUTCOMES_FILE.match(name)
        if not m:
            ignored.append(name)
            return
        found.append(
            Found(
                financial_year=financial_year(int(m.group("year"))),
                file=name,
                url=url,
                title=title or name,
                updated=day or page_day,
                size=size,
                source=source,
            )
        )

    for att in details.get("attachments") or []:
        if att.get("attachment_type") == "html":
            continue  # an HTML publication, not a file
        url = att.get("url")
        if not isinstance(url, str) or not url.strip():
            continue
        url = urllib.parse.urljoin(base + "/", url.strip())
        name = att.get("filename") if isinstance(att.get("filename"), str) and att.get("filename") else _file_name(url)
        if att.get("attachment_type") == "external" and not (OUTCOMES_FILE.match(name) or _FILE_LINK.search(name)):
            continue  # a link to another site's page, not a file
        size = att.get("file_size") if isinstance(att.get("file_size"), int) else None
        title = att.get("title") if isinstance(att.get("title"), str) else ""
        add(name, url, title.strip(), _attachment_date(att), size, "attachment")
    for url, title in body_links(details.get("body") or "", base):
        name = _file_name(url)
        if OUTCOMES_FILE.match(name) or _FILE_LINK.search(name):
            add(name, url, title, None, None, "body")
    found.sort(key=lambda f: (f.financial_year, f.file))
    return found, ignored


def outcomes_files(page: dict, *, base: str = "https://www.gov.uk") -> list[Found]:
    """The outcomes workbooks the page links (status 'unclassified' until `compare`)."""
    return scan(page, base=base)[0]


# ---------------------------------------------------------------------------------------------------------------
# comparing with the manifest


def _sort_date(file: str) -> dt.date:
    return suffix_date(file) or dt.date.min


def compare(found: list[Found], manifest) -> list[Found]:
    """Classify each file against the manifest (synthetic entries are ignored): known / reissued / new."""
    entries = [s for s in manifest.files.values() if not getattr(s, "synthetic", False)]
    by_url = {s.url.strip(): s for s in entries}
    by_name: dict[str, object] = {}
    for s in entries:
        by_name.setdefault(s.file.casefold(), s)
    out = []
    for f in found:
        hit = by_url.get(f.url.strip()) or by_name.get(f.file.casefold())
        if hit is not None:
            out.append(replace(f, status="known", manifest_id=hit.id, replaces=None))
            continue
        same_year = [s for s in entries if s.financial_year == f.financial_year]
        if not same_year:
            out.append(replace(f, status="new", manifest_id=None, replaces=None))
            continue
        # the entry it would replace: the latest Home Office workbook of that year, else any entry of that year
        workbooks = [s for s in same_year if OUTCOMES_FILE.match(s.file)]
        if workbooks:
            pick = max(workbooks, key=lambda s: (_sort_date(s.file), s.id))
        else:
            pick = min(same_year, key=lambda s: s.id)
        out.append(replace(f, status="reissued", manifest_id=None, replaces=pick.id))
    return out


def absent_from_page(found: list[Found], manifest) -> list[str]:
    """Ids of manifest Home Office workbooks that the page no longer lists (and that no found file replaces)."""
    listed = {f.manifest_id for f in found if f.manifest_id} | {f.replaces for f in found if f.replaces}
    return sorted(
        s.id
        for s in manifest.files.values()
        if OUTCOMES_FILE.match(s.file) and not getattr(s, "synthetic", False) and s.id not in listed
    )


# ---------------------------------------------------------------------------------------------------------------
# downloading and writing a manifest entry


def download(url: str, target: Path, timeout: float = 30.0) -> tuple[str, int]:
    """Stream `url` to `target` atomically; return (sha256, bytes). SourceError, and nothing kept, on failure."""
    return fetch.stream(url, target, timeout=timeout, progress=False)


def vintage_text(found: Found, page: dict, today: dt.date | None = None) -> str:
    """Where the vintage comes from: the attachment's or the page's dates, and the (unverified) file-name date."""
    title = str(page.get("title") or "police recorded crime and outcomes open data tables")
    page_day = iso_date(page.get("public_updated_at"))
    parts = []
    if found.updated and found.updated != page_day:
        parts.append(f"attachment dated {found.updated}")
    parts.append(
        f'listed on the GOV.UK page "{title}", page updated {page_day or "on an unknown date"} (public_updated_at)'
    )
    change = latest_change(page)
    if change:
        parts[-1] += f', latest change note {change[0]}: "{change[1]}"' if change[1] else f", last change {change[0]}"
    m = OUTCOMES_FILE.match(found.file)
    if m and m.group("suffix"):
        day = suffix_date(found.file)
        parts.append(
            f"file-name suffix {m.group('suffix')} "
            + (f"(read as a DDMMYY date: {day.isoformat()}; unverified)" if day else "(not a valid DDMMYY date)")
        )
    else:
        parts.append("no date suffix in the file name")
    parts.append(f"found by crimeoutcomes discover on {(today or dt.date.today()).isoformat()}")
    return "release " + "; ".join(parts)


def new_id(found: Found, page: dict, taken: Iterable[str] = ()) -> str:
    """ho-YYYY-YY-<file-name suffix> (or -<page date YYYYMMDD> without one), made unique against `taken`."""
    m = OUTCOMES_FILE.match(found.file)
    tail = (
        m.group("suffix")
        if m and m.group("suffix")
        else (
            (found.updated or iso_date(page.get("public_updated_at")) or dt.date.today().isoformat()).replace("-", "")
        )
    )
    base = f"ho-{found.financial_year.replace('/', '-')}-{tail}"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def manifest_entry(
    found: Found, path: Path, page: dict, *, digest: tuple[str, int] | None = None, taken: Iterable[str] = ()
) -> dict:
    """The manifest entry of a downloaded file. `digest` = (sha256, bytes) computed while streaming; without it
    the file at `path` is hashed. `taken`: ids already used (the manifest's), so the new id is unique."""
    path = Path(path)
    sha, size = digest if digest is not None else (fetch.sha256_of(path), path.stat().st_size)
    on_disk = path.stat().st_size
    if on_disk != size:
        raise SourceError(f"{path}: {on_disk:,} bytes on disk but {size:,} were hashed; download it again")
    start = int(found.financial_year[:4])
    m = OUTCOMES_FILE.match(found.file)
    layout = m.group("ext").lower() if m else Path(found.file).suffix.lstrip(".").lower()
    what = (
        f"reissue found on GOV.UK; would replace {found.replaces} (compare the two before switching an edition)"
        if found.status == "reissued"
        else "new financial year found on GOV.UK"
    )
    entry = SourceFile(
        id=new_id(found, page, taken),
        financial_year=found.financial_year,
        file=found.file,
        bytes=size,
        sha256=sha,
        url=found.url,
        publisher=PUBLISHER,
        vintage=vintage_text(found, page),
        licence=LICENCE,
        layout=layout,
        mirror_path=found.file,
        description=(
            f"Home Office workbook, financial year {found.financial_year} (April {start} to March {start + 1}); {what}."
        ),
    )
    return entry.to_manifest()


def entry_yaml(entries: list[dict]) -> str:
    """Entries as YAML list items indented to paste under `files:` in config/sources.yaml."""
    import yaml

    text = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return textwrap.indent(text, "  ").rstrip("\n")


# ---------------------------------------------------------------------------------------------------------------
# the command


def table(found: list[Found]) -> list[str]:
    rows = [("status", "year", "file", "manifest", "source")]
    for f in found:
        ref = f.manifest_id if f.status == "known" else (f"replaces {f.replaces}" if f.replaces else "-")
        rows.append((f.status, f.financial_year, f.file, ref, f.source))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def run(
    *,
    manifest_path=None,
    api_url: str = DEFAULT_API_URL,
    download: bool = False,
    raw_dir: Path | None = None,
    timeout: float = 30.0,
    out: Callable[[str], None] = print,
    err: Callable[[str], None] | None = None,
) -> int:
    """Compare the page with the manifest; print a table (and, with download, manifest entries).
    Returns 0 (nothing new or reissued), 1 (something is) or 2 (error, printed as one line to `err`)."""
    err = _stderr if err is None else err
    try:
        return _run(manifest_path, api_url, download, raw_dir, timeout, out)
    except UserError as exc:
        err(f"error: {exc}")
        return 2


def _run(
    manifest_path, api_url: str, want_download: bool, raw_dir: Path | None, timeout: float, out: Callable[[str], None]
) -> int:
    from ..data.manifest import load

    manifest = load(manifest_path)
    page = fetch_page(api_url, timeout)
    found_raw, ignored = scan(page, base=_origin(api_url))
    if not found_raw:
        raise SourceError(
            f"GOV.UK content API {api_url}: the page links no outcomes workbook "
            "(prc-outcomes-open-data-marYYYY-tables[-DDMMYY].xlsx|ods); the page or the file naming "
            f"has changed: look at {html_url(api_url)} and update crimeoutcomes.data.discover"
        )
    found = compare(found_raw, manifest)
    title = page.get("title") or "(untitled)"
    out(f"GOV.UK page: {title} — updated {iso_date(page.get('public_updated_at')) or 'on an unknown date'}")
    out(f"  {html_url(api_url)}")
    change = latest_change(page)
    if change:
        out(f"  latest change note ({change[0]}): {change[1] or '-'}")
    if page.get("withdrawn_notice"):
        out("  warning: GOV.UK marks this page as WITHDRAWN")
    out("")
    for line in table(found):
        out(line)
    for f in found:
        if f.status != "known":
            continue
        pinned = manifest.files[f.manifest_id]
        if f.size is not None and pinned.bytes != f.size:
            out(
                f"warning: {f.file}: GOV.UK announces {f.size:,} bytes, {pinned.id} pins {pinned.bytes:,}: "
                "the file may have been replaced in place; fetch it and check its sha256"
            )
        if pinned.url.strip() != f.url.strip():
            out(
                f"note: {f.file} is known as {pinned.id} but GOV.UK now links it at {f.url} (the manifest has "
                f"{pinned.url}); if the old address stops working, point the entry's url at the new one once "
                "the file there has the pinned sha256"
            )
    if ignored:
        out(
            f"ignored {len(ignored)} other file(s) on the page (not outcomes open data workbooks): "
            + ", ".join(ignored)
        )
    gone = absent_from_page(found, manifest)
    if gone:
        out(f"manifest workbooks the page no longer lists: {', '.join(gone)}")
    counts = {s: sum(f.status == s for f in found) for s in STATUSES}
    out(f"summary: {counts['known']} known, {counts['reissued']} reissued, {counts['new']} new")
    changed = [f for f in found if f.status != "known"]
    if not changed:
        out("nothing new: config/sources.yaml lists every outcomes workbook on the page")
        return 0
    if not want_download:
        out("run again with --download to fetch the new/reissued file(s), hash them and print manifest entries")
        return 1
    folder = Path(raw_dir) if raw_dir is not None else paths.raw_dir()
    taken = set(manifest.files)
    entries = []
    for f in changed:
        target = folder / f.file  # a plain name: OUTCOMES_FILE admits no folder part
        out(f"downloading {f.url} → {paths.relative(target)}")
        digest = download(f.url, target, timeout)
        entry = manifest_entry(f, target, page, digest=digest, taken=taken)
        taken.add(entry["id"])
        entries.append(entry)
        out(f"  {digest[1]:,} bytes, sha256 {digest[0]}")
    out("")
    out("# Manifest entries: paste under `files:` in config/sources.yaml, then list the ids in an edition.")
    out("# Check them first; this command never edits the manifest.")
    out(entry_yaml(entries))
    return 1
