"""A coding run: read inputs, code documents in batches, write the store and JSON Lines.

Batches are written in one transaction each, so an interrupted run leaves whole
documents or nothing, and running again finishes the job without doubling anything.
"""
from __future__ import annotations

import json
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TextIO

from .ingest import Item, Skip, read_inputs, source_file
from .schema import Article, CodedDocument
from .store import Store, content_hash

if TYPE_CHECKING:
    from .coder import Coder

WRITE_BATCH = 64


@dataclass
class RunSummary:
    read: int = 0
    coded: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    events_by_type: Counter = field(default_factory=Counter)
    undated: list[str] = field(default_factory=list)    # where documents had no publication date

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())

    def to_dict(self) -> dict:
        return {"read": self.read, "coded": self.coded, "unchanged": self.unchanged,
                "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
                "events": self.events, "events_by_type": dict(self.events_by_type),
                "undated": self.undated}

    def format(self) -> str:
        lines = [f"documents read: {self.read}, coded: {self.coded}, already stored: {self.unchanged}, "
                 f"skipped: {len(self.skipped)}"]
        reasons = Counter(s.reason.split(";")[0].split("(")[0].strip() for s in self.skipped)
        for reason, n in reasons.most_common():
            lines.append(f"  skipped {n}: {reason}")
        if self.undated:
            shown = ", ".join(self.undated[:3]) + (", …" if len(self.undated) > 3 else "")
            lines.append(f"  coded without a publication date: {len(self.undated)} ({shown}); "
                         "relative dates in them stay unresolved: give --date or a Date: line")
        lines.append(f"events: {self.events}")
        for event, n in self.events_by_type.most_common():
            lines.append(f"  {event:<10} {n}")
        return "\n".join(lines)


def code_run(inputs: Iterable[str], coder: Coder, store: Store | None = None,
             jsonl: TextIO | None = None, default_date: str | None = None,
             on_skip: Callable[[Skip], None] | None = None,
             progress: Callable[[int], None] | None = None,
             strict: bool = False) -> RunSummary:
    """Code every readable document of ``inputs``; report the rest through ``on_skip``."""
    summary = RunSummary()

    def skip(item: Skip) -> None:
        summary.skipped.append(item)
        batch_skips.append(item)
        if on_skip:
            on_skip(item)

    from .nlp import MemoryZones

    files_read: set[str] = set()
    # memory zones free spaCy's per-text strings every few thousand documents, so a long
    # run's memory does not grow with the corpus
    with store.deferred_dedup() if store is not None else nullcontext(), MemoryZones(coder.nlp) as zones:
        for batch in _batches(read_inputs(inputs, default_date), WRITE_BATCH):
            batch_skips: list[Skip] = []
            articles = []
            for item in batch:
                if isinstance(item, Skip):
                    skip(item)
                else:
                    summary.read += 1
                    if item.published is None:
                        summary.undated.append(item.source or item.doc_id)
                    articles.append(item)
            if store is not None:
                forget_old_skips(store, batch, files_read)
            if strict and batch_skips:
                if store is not None:
                    store.record_skips(batch_skips)
                return summary
            _code_batch(unique_ids(articles, skip), coder, store, jsonl, summary)
            zones.passed(len(articles))
            if store is not None:
                store.record_skips(batch_skips)
            if progress:
                progress(len(batch))
    return summary


def _code_batch(articles: list[Article], coder: Coder, store: Store | None,
                jsonl: TextIO | None, summary: RunSummary) -> None:
    todo = articles
    if store is not None and jsonl is None:
        # Idempotence without work: documents stored with the same content are not re-coded.
        known = store.known_hashes([a.doc_id for a in articles])
        todo = [a for a in articles if known.get(a.doc_id) != content_hash(a.text)]
        summary.unchanged += len(articles) - len(todo)
    coded: list[CodedDocument] = list(coder.code_articles(todo))   # plain records: no Doc outlives its zone
    if store is not None:
        result = store.write(coded, model=coder.model, sources={a.doc_id: a.source for a in todo})
        summary.unchanged += result.unchanged
    for doc in coded:
        summary.coded += 1
        summary.events_by_type.update(e.event for e in doc.events)
        if jsonl is not None:
            jsonl.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")


def forget_old_skips(store: Store, batch: list[Item], files_read: set[str]) -> None:
    """Skipped documents are not stored, so reading their file again retries them: drop the
    skip records of that file's previous reading once per run; what still fails is recorded anew."""
    files = {source_file(i.where if isinstance(i, Skip) else i.source or "") for i in batch} - files_read
    store.forget_skips(files)
    files_read |= files


def unique_ids(articles: list[Article], skip: Callable[[Skip], None]) -> list[Article]:
    seen: set[str] = set()
    out = []
    for article in articles:
        if article.doc_id in seen:
            skip(Skip(article.source or article.doc_id,
                      f"duplicate document id {article.doc_id!r}; give each document its own id",
                      doc_id=article.doc_id, text=article.text))
            continue
        seen.add(article.doc_id)
        out.append(article)
    return out


def _batches(items: Iterator[Item], size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
