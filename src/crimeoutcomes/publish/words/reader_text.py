"""An article read by the reader (analysis/reader.py), written for the researcher: claims.yaml, a claims registry in
the general form (each figure's sentence as its `quote`, how it was read in `reading`, the other readings it
considered as `alternatives`), and unread.csv (every figure it could not read, with why)."""

from __future__ import annotations

import json
import re

import pandas as pd

from ...analysis import measures as m
from ...analysis import reader as rd
from ...analysis.periods import Period

UNREAD_COLUMNS = ["sentence", "figure", "why", "detail", "quote"]
WHY = {
    rd.NOT_FROM_DATASET: "not from this dataset",
    rd.NO_PERIOD: "the article does not say which period (no period in the sentence or before it)",
    rd.PERIOD_NOT_PUBLISHED: "an ambiguous period: read as a calendar or financial year, its data had not been "
    "published by the article's date, so the period meant cannot be told",
    rd.NO_AREA: "the article does not say which police force or area",
    rd.NO_OUTCOME: "an unknown phrase: the share of what outcome is not said in words the reader knows",
    rd.UNKNOWN: "an unknown phrase",
}
SOURCES = {
    rd.STATED: "from the sentence",
    rd.CARRIED: "carried from an earlier sentence",
    rd.TITLE: "from the title",
    rd.ASSUMED: "assumed",
    rd.ELSEWHERE: "from elsewhere in the article",
    rd.NATIONAL: "the article names no police force: England and Wales",
    rd.TOTAL: "a total: the sentence counts offences, with no outcome",
}
ASSUMED_WHY = {
    "basis": "the words do not say which count: a financial year is read on the recorded basis (the offences recorded "
    "in the year and their outcomes so far, as the Home Office bulletins count), any other period on the closed basis "
    "(the outcomes assigned in it)",
    "period": "read relative to the article's date: the latest year whose data had been published by then",
    "offences": "no offence is named: every offence",
    "denominator": "a share of every offence counted on that basis",
    "change_from": "a change is read from the year before",
}
ALTERNATIVE_WHY = {
    "basis": "the other count: {basis}",
    "period": "the other year: {period}",
    "offences": "other offences: {offences}",
    "outcome": "the victim not supporting action with or without a suspect identified (14 + 16)",
    "numerator": "another outcome: {numerator}",
    "points": "a change in percentage points of the rate, not a percentage of the earlier figure",
}


def _outcomes_label(value) -> str:
    return m.OutcomeSet.parse(value).label


def _offences_label(value) -> str:
    return m.OffenceScope.parse(value).label


def _field_label(field: str, fields: dict) -> str:
    if field == "area":
        area = fields["area"]
        return " + ".join(area) if isinstance(area, list) else str(area)
    if field == "period":
        return Period.parse(fields["period"]).label
    if field == "basis":
        return f"{fields['basis']} basis"
    if field == "offences":
        return _offences_label(fields.get("offences", "all"))
    if field == "numerator":
        return _outcomes_label(fields["numerator"])
    if field == "denominator":
        return "as a share of " + _outcomes_label(fields["denominator"])
    if field == "exclude":
        return "without " + " and ".join(fields["exclude"])
    if field == "change_from":
        return "a change from " + Period.parse(fields["change_from"]).label
    return str(fields.get(field, ""))


def reading_text(r: rd.Reading) -> str:
    """How a figure was read, in words: what it was read as, and the words each part came from."""
    parts = [_field_label(c.field, r.fields) for c in r.cues if c.field in r.fields]
    said = []
    for c in r.cues:
        if c.field not in r.fields:
            continue
        label = _field_label(c.field, r.fields)
        if c.source == rd.ASSUMED:
            why = ASSUMED_WHY.get(c.field, "")
            words = f"read from “{c.words}”" if c.words and c.field != "basis" else ""
            said.append(f"{label}: assumed ({'; '.join(x for x in (words, why) if x)})")
        elif c.source in (rd.NATIONAL, rd.TOTAL):
            said.append(f"{label}: {SOURCES[c.source]}")
        elif c.words:
            said.append(f"{label}: {SOURCES[c.source]} (“{c.words}”)")
        else:
            said.append(f"{label}: {SOURCES[c.source]}")
    notes = "".join(f" {n[0].upper()}{n[1:]}." for n in dict.fromkeys(r.notes))
    return f"Read as {', '.join(dict.fromkeys(parts))}. " + "; ".join(said) + "." + notes


def _alternative(r: rd.Reading, differs: dict, why: str) -> dict:
    fields = {**r.fields, **differs}
    if why == "basis":
        text = ALTERNATIVE_WHY[why].format(basis=_field_label("basis", fields))
    elif why == "period":
        text = ALTERNATIVE_WHY[why].format(period=_field_label("period", fields))
    elif why == "offences":
        text = ALTERNATIVE_WHY[why].format(offences=_field_label("offences", fields))
    elif why == "numerator":
        text = ALTERNATIVE_WHY[why].format(numerator=_field_label("numerator", fields))
    else:
        text = ALTERNATIVE_WHY.get(why, why)
    return {"reading": text[0].upper() + text[1:], **differs}


def article_key(title: str, published) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", (title or "article").lower()).split()
    stem = "-".join(words[:6]) or "article"
    return f"{stem}-{published:%Y-%m-%d}"


def registry(article: rd.Article, key: str, *, url: str = "", file: str = "", release: str = "") -> dict:
    """claims.yaml: the article and every figure it read, as a claims registry in the general form."""
    entry = {"title": article.title or key, "published": f"{article.published:%Y-%m-%d}"}
    if url:
        entry["url"] = url
    if file:
        entry["file"] = file
    if release:
        entry["release"] = release
    claims = []
    for n, r in enumerate((r for r in article.readings if not r.unread), start=1):
        fields = {k: v for k, v in r.fields.items() if k != "total"}
        claim = {"id": f"{key}-{n}", "article": key, "quote": r.quote, **fields, "reading": reading_text(r)}
        alternatives = [_alternative(r, differs, why) for differs, why in r.alternatives]
        if alternatives:
            claim["alternatives"] = alternatives
        claims.append(claim)
    doc = {
        "description": f"Every figure the reader read in “{article.title or key}” ({article.published:%-d %B %Y}), in "
        "the claim form: edit any reading, then audit it with make claims CLAIMS=this-file.",
        "defaults": {"basis": "closed", "exclude": []},
        "articles": {key: entry},
        "claims": claims,
    }
    return json.loads(json.dumps(doc))  # plain values: no YAML anchors where two claims share a list


def unread(article: rd.Article) -> pd.DataFrame:
    """unread.csv: every figure the reader could not read, and why."""
    rows = [
        {
            "sentence": r.sentence + 1,
            "figure": r.figure.text,
            "why": WHY.get(r.unread, r.unread),
            "detail": r.detail,
            "quote": r.quote,
        }
        for r in article.readings
        if r.unread
    ]
    return pd.DataFrame(rows, columns=UNREAD_COLUMNS)
