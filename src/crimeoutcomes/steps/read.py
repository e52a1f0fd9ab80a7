"""read: an article's every figure read into the claim form (claims.yaml, and unread.csv for the figures it could not
read) and audited against the edition in the same run (claims_audit.csv, index.html, the raw rows) -> the folder the
user named, or reports/<edition>/read-<article>/."""

from __future__ import annotations

import datetime as dt
import os

from .. import csvfile, dag, paths, yamlfile
from ..analysis import claims, reader
from ..atomic import write_text
from ..data import tables
from ..errors import UserError
from ..publish.pages import claims_page
from ..publish.words import reader_text


def run(ctx, target) -> dict:
    ds = ctx.dataset
    try:
        text = ctx.article.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"cannot read the article {paths.printable(str(ctx.article))} as UTF-8 text ({exc}); save it as plain text"
        ) from None
    published = dt.date.fromisoformat(ctx.published)
    vocab = reader.Vocabulary.load(target.input("reader"), offence_lists=ds.offence_lists)
    title = ctx.title or reader.headline(text)
    article = reader.read_article(text, published, title, vocab)
    key = reader_text.article_key(title or ctx.article.stem, published)
    doc = reader_text.registry(article, key, url=ctx.url, file=paths.printable(ctx.article.name))
    path = target.folder / dag.file("read", "claims")
    write_text(path, yamlfile.dump(doc))
    unread = reader_text.unread(article)
    csvfile.to_csv(unread, target.folder / dag.file("read", "unread"))
    read = len(doc["claims"])
    if read:
        registry = claims.load(path)  # what it wrote is a registry like any other
        audit = claims.audit([registry], ds, ctx.manifest)
    else:
        audit = claims.Audit([], [])
    index = paths.output("site", "index", ctx.name)
    crumbs = [("All forces", os.path.relpath(index, target.final))]
    root = os.path.relpath(index.parent, target.final) + "/"
    heading = f"Every figure read in “{article.title or ctx.article.name}”"
    claims_page.write(
        audit, target.folder, ctx.build_record, crumbs, tables.release_of(ctx.build_record), root, heading=heading
    )
    counts = ", ".join(f"{n} {v}" for v, n in audit.counts().items() if n)
    return {"summary": f"{read} figures read ({counts or 'none'}), {len(unread)} unread"}
