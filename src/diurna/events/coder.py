"""The Coder: article text in, a CodedDocument (actors and PLOVER events) out."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Iterable, Iterator

from diurna.actors.kb import KnowledgeBase
from diurna.actors.sources import load_kb
from diurna.actors.resolve import Mention, resolve_mentions
from diurna.events.extract import code_events, event_id, main_trigger
from diurna.events.learned import load_model
from diurna.events.lexicon import Trigger, load_lexicon
from diurna.nlp.pipeline import Parser, load_pipeline
from diurna.events.prefilter import FastParser, SentenceFilter, split_pieces
from diurna.records import ActorRef, Article, CodedDocument, Event, content_id, normalise_date
from diurna.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.tokens import Doc

BATCH_SIZE = 32
# Longer documents are coded in windows of about this size: memory stays bounded (a whole
# 1,000,000-character document peaked at 3 GB), at the cost of references across windows.
WINDOW_CHARS = 100_000


# -- what travels between driver and workers ------------------------------------------
class Coder:
    """Loads the spaCy pipeline and the actor knowledge base once; codes many documents.

    >>> coder = Coder()
    >>> doc = coder.code("NATO invited South Korea to the meeting.", published="2025-04-01")
    """

    def __init__(self, model: str = DEFAULT_MODEL, actor_files: Iterable[str] = (),
                 kb: KnowledgeBase | None = None, fast: bool = True, entities: str = "rules",
                 learned: bool = True, trigger_model: str | None = None) -> None:
        self.model = model
        self.fast = fast    # parse only sentences that may hold an event (prefilter.py)
        self.nlp = load_pipeline(model)
        self.kb = kb if kb is not None else load_kb(actor_files)
        self.lexicon = load_lexicon()
        self.trigger_model = load_model(trigger_model) if learned else None
        # entities from rules (entities.py) or from the pipeline's statistical NER
        self.parser = Parser(self.nlp, entities, titles=self.kb.title_words())

    def code(self, text: str, published: str | None = None, doc_id: str | None = None,
             url: str | None = None, title: str | None = None) -> CodedDocument:
        article = Article(doc_id or content_id(text), text, normalise_date(published), url, title)
        return next(self.code_articles([article]))

    def code_articles(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[CodedDocument]:
        """Code articles in order, streaming them through spaCy in batches of ``batch_size``;
        a document over ``WINDOW_CHARS`` is coded window by window."""
        batch: list[Article] = []
        for article in articles:
            if len(article.text) > WINDOW_CHARS:
                yield from self._code_batch(batch, batch_size)
                batch = []
                yield self._code_windowed(article)
                continue
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._code_batch(batch, batch_size)
                batch = []
        yield from self._code_batch(batch, batch_size)

    def _code_batch(self, articles: list[Article], batch_size: int) -> Iterator[CodedDocument]:
        if not articles:
            return
        if self.fast:
            docs = self._fast_parser().pipe(articles, batch_size)
        else:
            docs = self.parser.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=batch_size)
        for doc, article in docs:
            yield self.code_doc(doc, article)

    def _code_windowed(self, article: Article) -> CodedDocument:
        """A very long document in windows of about ``WINDOW_CHARS``, cut at sentence ends,
        one at a time, so that memory stays bounded whatever the length. Offsets and event
        ids are those of the whole text; references (a surname, "the minister", the sides
        of a conflict) do not reach across windows."""
        cuts = windows(article.text, WINDOW_CHARS)
        actors: list[ActorRef] = []
        events: list[Event] = []
        notes: list[str] = [f"coded in {len(cuts)} windows of at most {WINDOW_CHARS:,} characters "
                            "(a very long document); references do not cross windows"]
        for start, end in cuts:
            part = replace(article, text=article.text[start:end])
            coded = next(self._code_batch([part], 1))
            actors.extend(replace(a, start=a.start + start, end=a.end + start) for a in coded.actors)
            sentences_before = len(split_pieces(article.text[:start]))
            events.extend(_shifted(e, start, article.doc_id, sentences_before) for e in coded.events)
            notes.extend(f"window at {start}: {note}" for note in coded.notes)
        return CodedDocument(doc_id=article.doc_id, published=article.published, text=article.text,
                             actors=tuple(actors), events=tuple(events), url=article.url, title=article.title,
                             notes=tuple(notes), language=article.language)

    def _fast_parser(self) -> FastParser:
        if getattr(self, "_fast", None) is None:
            self._fast = FastParser(self.parser, SentenceFilter(self.nlp, self.kb, self.lexicon))
        return self._fast

    def code_doc(self, doc: Doc, article: Article) -> CodedDocument:
        published = date.fromisoformat(article.published) if article.published else None
        mentions = resolve_mentions(doc, self.kb, published)
        events, notes, used = code_events(doc, mentions, self.lexicon, article.doc_id, published,
                                          self.trigger_model)
        return CodedDocument(
            doc_id=article.doc_id, published=article.published, text=article.text,
            actors=tuple(m.ref for m in _listed_actors(mentions, used, self.kb.regions)),
            events=tuple(events), url=article.url, title=article.title, notes=tuple(notes),
            language=article.language)


def windows(text: str, size: int) -> list[tuple[int, int]]:
    """[start, end) runs covering ``text``, each at most ``size`` characters, cut at sentence
    ends (or, inside a sentence longer than that, at a space)."""
    runs: list[tuple[int, int]] = []
    start = end = 0
    for _, piece_end in split_pieces(text):
        if piece_end - start > size and end > start:
            runs.append((start, end))
            start = end
        while piece_end - start > size:
            cut = text.rfind(" ", start + size // 2, start + size) + 1 or start + size
            runs.append((start, cut))
            start = cut
        end = piece_end
    if end > start:
        runs.append((start, end))
    return runs


def _shifted(event: Event, offset: int, doc_id: str, sentences_before: int = 0) -> Event:
    trigger = replace(event.trigger, start=event.trigger.start + offset, end=event.trigger.end + offset)
    sentence_no = event.sentence_no + sentences_before if event.sentence_no is not None else None
    return replace(event, id=event_id(doc_id, trigger.start, event.event), trigger=trigger,
                   sentence_no=sentence_no,
                   sentence=replace(event.sentence, start=event.sentence.start + offset,
                                    end=event.sentence.end + offset))


def classify_articles(coder: "Coder", articles: Iterable[Article]) -> Iterator[tuple[str, Trigger | None]]:
    """(doc_id, main trigger or None) per article: sentence classification mode."""
    stream = ((a.text, a) for a in articles)
    for doc, article in coder.parser.pipe(stream, as_tuples=True, batch_size=BATCH_SIZE):
        published = date.fromisoformat(article.published) if article.published else None
        mentions = resolve_mentions(doc, coder.kb, published)
        yield article.doc_id, main_trigger(doc, mentions, coder.lexicon, coder.trigger_model)


def _listed_actors(mentions: list[Mention], used: set[Mention], regions: AbstractSet[str]) -> list[Mention]:
    """Mentions used as actors, plus place or adjective mentions that events use as arguments;
    media cited as sources ("told VOA", "Fars reported") and world regions ("Europe",
    "Central Asia") only where an event uses them (../shared/eval/CONVENTIONS.md, point 14)."""
    return [m for m in mentions if m.code is not None and (
        m in used or (m.role == "actor" and m.ref.sector != "MED" and m.code not in regions))]
