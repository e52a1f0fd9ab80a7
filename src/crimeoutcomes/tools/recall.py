"""How well the reader reads the published claims: each registered article's sentences (its claims' quotes, in order)
are given to the reader with the article's title and publication date, and each registered claim is looked for among
what it read in the same sentence, the same figure as printed:

- read: the reader's claim computes the same value as the registered one (on an edition that cannot compute either,
  the same query: forces, quarters, basis, offences, outcome types);
- another reading: the registered reading is among the other readings the reader kept beside its own;
- unread: the reader listed the figure as unread, with why;
- wrong: none of these (a confident wrong reading).

`python -m crimeoutcomes.tools.recall [--edition sample]` prints the recall and every miss (the tests hold its floor).
Outside every step: it writes nothing.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import paths
from ..analysis import claims as cl
from ..analysis import measures as m
from ..analysis import reader as rd
from ..publish.words import reader_text

READ, ALTERNATIVE, UNREAD, WRONG = "read", "another reading", "unread", "wrong"


@dataclass
class Result:
    claim: cl.Claim
    outcome: str
    why: str = ""  # for a miss: what the reader did
    registered: float | None = None
    primary: float | None = None


@dataclass
class Recall:
    results: list[Result] = field(default_factory=list)

    def share(self, outcome: str = READ) -> float:
        return sum(r.outcome == outcome for r in self.results) / len(self.results) if self.results else 0.0

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.results)


def _same_figure(a: cl.Claimed, b: cl.Claimed) -> bool:
    if a.unit == "change" or b.unit == "change":
        return a.text.lower() == b.text.lower()
    return (a.unit, a.side) == (b.unit, b.side) and a.value is not None and abs(a.value - (b.value or 0)) < 1e-9


def _query_key(q: m.Query | None):
    if q is None:
        return None
    return (
        tuple(sorted(q.area.forces)),
        tuple(q.period.quarters),
        q.basis,
        q.offences,
        tuple(sorted(q.numerator.codes)),
        tuple(sorted(q.denominator.codes)) if q.denominator else None,
    )


def _agrees(mine: cl.Finding, theirs: cl.Finding) -> bool:
    if mine.computed is not None and theirs.computed is not None:
        return abs(float(mine.computed) - float(theirs.computed)) < 1e-9
    return _query_key(mine.claim.query) == _query_key(theirs.claim.query)


def read_registered(reg: cl.Registry, key: str, vocab: rd.Vocabulary) -> rd.Article:
    """The article's registered sentences, read with its title and date."""
    quotes = list(OrderedDict.fromkeys(c.quote for c in reg.claims if c.article == key))
    art = reg.articles[key]
    published = rd.published_date(str(art.get("published", "")))
    return rd.read_article("\n\n".join(quotes), published, str(art.get("title", "")), vocab)


def measure(ds: m.Dataset, registry_path: Path) -> Recall:
    reg = cl.load(registry_path)
    vocab = rd.Vocabulary.load(paths.input_file("reader"), offence_lists=ds.offence_lists)
    theirs = {f.claim.id: f for f in cl.audit([reg], ds, None, with_rows=False).findings}
    out = Recall()
    for key in reg.articles:
        if rd.published_date(str(reg.articles[key].get("published", ""))) is None:
            for c in (c for c in reg.claims if c.article == key):
                out.results.append(Result(c, UNREAD, "the registry gives no publication month to read it with"))
            continue
        article = read_registered(reg, key, vocab)
        doc = reader_text.registry(article, "read")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "read.yaml"
            path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
            mine = cl.audit([cl.load(path)], ds, None, with_rows=False).findings if doc["claims"] else []
        for c in (c for c in reg.claims if c.article == key):
            same = [f for f in mine if f.claim.quote in c.quote and _same_figure(f.claim.claimed, c.claimed)]
            unread = [r for r in article.readings if r.unread and r.quote in c.quote and _same(r, c.claimed)]
            t = theirs[c.id]
            if any(_agrees(f, t) for f in same):
                f = next(f for f in same if _agrees(f, t))
                out.results.append(Result(c, READ, registered=t.computed, primary=f.computed))
            elif any(_agrees(a, t) for f in same for a in f.alternatives):
                f = same[0]
                out.results.append(
                    Result(
                        c,
                        ALTERNATIVE,
                        f"read as {_what(f)}, the registered reading kept beside it",
                        t.computed,
                        f.computed,
                    )
                )
            elif unread:
                out.results.append(
                    Result(c, UNREAD, f"unread: {reader_text.WHY.get(unread[0].unread, unread[0].unread)}", t.computed)
                )
            elif same:
                f = same[0]
                out.results.append(Result(c, WRONG, f"read as {_what(f)}", t.computed, f.computed))
            else:
                out.results.append(Result(c, WRONG, "the figure was not found", t.computed))
    return out


def _same(r: rd.Reading, claimed: cl.Claimed) -> bool:
    if claimed.unit == "change" or r.figure.unit == "change":
        return r.figure.claimed.lower() == claimed.text.lower()
    try:
        return _same_figure(cl.Claimed.parse(r.figure.claimed), claimed)
    except ValueError:
        return False


def _what(f: cl.Finding) -> str:
    q = f.claim.query
    if q is None:
        return f.claim.claimed.text
    measure_ = q.numerator.label + (f" / {q.denominator.label}" if q.denominator else "")
    return f"{q.area.name}, {q.period.label}, {q.basis} basis, {q.offences.label}, {measure_} = {f.computed}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m crimeoutcomes.tools.recall", description=__doc__.split("\n\n")[0])
    p.add_argument("--edition", default="sample")
    p.add_argument("--registry", default=str(paths.input_file("registries").parent / "published-2018-2020.yaml"))
    args = p.parse_args(argv)
    ds = m.Dataset.load(args.edition)
    got = measure(ds, Path(args.registry))
    n = len(got.results)
    print(
        f"{got.count(READ)} of {n} registered claims read as registered ({100 * got.share():.1f}%); "
        f"{got.count(ALTERNATIVE)} kept as another reading, {got.count(UNREAD)} unread, {got.count(WRONG)} wrong"
    )
    for r in got.results:
        if r.outcome != READ:
            print(f"  {r.outcome:<16} {r.claim.id:<48} {r.claim.claimed.text!r}: {r.why} (registered: {r.registered})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
