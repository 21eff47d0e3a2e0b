"""The Coder: article text in, a CodedDocument (actors and PLOVER events) out."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Iterable, Iterator

from diurna.actors.kb import KnowledgeBase
from diurna.actors.sources import load_kb
from diurna.actors.resolve import Mention, resolve_mentions
from diurna.events.extract import code_events, main_trigger
from diurna.events.lexicon import Trigger, load_lexicon
from diurna.nlp.pipeline import Parser, load_pipeline
from diurna.records import Article, CodedDocument, content_id, normalise_date
from diurna.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from diurna.events.prefilter import FastParser     # imported where first used, for a fast Coder

BATCH_SIZE = 32


# -- what travels between driver and workers ------------------------------------------
class Coder:
    """Loads the spaCy pipeline and the actor knowledge base once; codes many documents.

    >>> coder = Coder()
    >>> doc = coder.code("NATO invited South Korea to the meeting.", published="2025-04-01")
    """

    def __init__(self, model: str = DEFAULT_MODEL, actor_files: Iterable[str] = (),
                 kb: KnowledgeBase | None = None, fast: bool = True, entities: str = "rules") -> None:
        self.model = model
        self.fast = fast    # parse only sentences that may hold an event (prefilter.py)
        self.nlp = load_pipeline(model)
        self.kb = kb if kb is not None else load_kb(actor_files)
        self.lexicon = load_lexicon()
        # entities from rules (entities.py) or from the pipeline's statistical NER
        self.parser = Parser(self.nlp, entities, titles=self.kb.title_words())

    def code(self, text: str, published: str | None = None, doc_id: str | None = None,
             url: str | None = None, title: str | None = None) -> CodedDocument:
        article = Article(doc_id or content_id(text), text, normalise_date(published), url, title)
        return next(self.code_articles([article]))

    def code_articles(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[CodedDocument]:
        """Code articles in order, streaming them through spaCy in batches."""
        if self.fast:
            docs = self._fast_parser().pipe(articles, batch_size)
        else:
            docs = self.parser.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=batch_size)
        for doc, article in docs:
            yield self.code_doc(doc, article)

    def _fast_parser(self) -> FastParser:
        if getattr(self, "_fast", None) is None:
            from diurna.events.prefilter import FastParser, SentenceFilter
            self._fast = FastParser(self.parser, SentenceFilter(self.nlp, self.kb, self.lexicon))
        return self._fast

    def code_doc(self, doc: Doc, article: Article) -> CodedDocument:
        published = date.fromisoformat(article.published) if article.published else None
        mentions = resolve_mentions(doc, self.kb, published)
        events, notes, used = code_events(doc, mentions, self.lexicon, article.doc_id, published)
        return CodedDocument(
            doc_id=article.doc_id, published=article.published, text=article.text,
            actors=tuple(m.ref for m in _listed_actors(mentions, used)),
            events=tuple(events), url=article.url, title=article.title, notes=tuple(notes))


def classify_articles(coder: "Coder", articles: Iterable[Article]) -> Iterator[tuple[str, Trigger | None]]:
    """(doc_id, main trigger or None) per article: sentence classification mode."""
    stream = ((a.text, a) for a in articles)
    for doc, article in coder.parser.pipe(stream, as_tuples=True, batch_size=BATCH_SIZE):
        published = date.fromisoformat(article.published) if article.published else None
        mentions = resolve_mentions(doc, coder.kb, published)
        yield article.doc_id, main_trigger(doc, mentions, coder.lexicon)


def _listed_actors(mentions: list[Mention], used: set[Mention]) -> list[Mention]:
    """Mentions used as actors, plus place or adjective mentions that events use as arguments."""
    return [m for m in mentions if m.code is not None and (m.role == "actor" or m in used)]
