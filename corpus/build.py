"""Build the corpus from its annotation batches: python corpus/build.py [--stats]

Reads corpus/annotation/: the annotators' batches (batch_<annotator>.jsonl with their
provenance), the adjudicated versions of the double-coded documents (which replace the
first coding) and excluded.tsv (documents left out, with the reason). Writes
corpus/train.jsonl, corpus/validation.jsonl and corpus/provenance.csv. The split is by
document and fixed: a document is in validation when the SHA-1 of "diurna-corpus-1:" +
its doc_id, read as a number, is 0, 1 or 2 modulo 10 (about 30 %).

Run it again after any change to the annotation files; tests/test_corpus.py checks the
result (counts, variety, validity) in CI.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANNOTATION = HERE / "annotation"
SPLIT_SALT = "diurna-corpus-1:"
PROVENANCE_FIELDS = ("doc_id", "split", "url", "original_url", "published", "date_basis", "source",
                     "licence", "byline", "title", "region", "country_focus", "us_party", "wire_style",
                     "annotator", "double_coded")
REGIONS = ("Sub-Saharan Africa", "Middle East and North Africa", "Europe and Eurasia",
           "East Asia and Pacific", "South and Central Asia", "Americas", "Global")
BATCH_REGIONS = {"ca": "Sub-Saharan Africa", "cm": "Middle East and North Africa", "ce": "Europe and Eurasia",
                 "cp": "East Asia and Pacific", "cs": "South and Central Asia", "cl": "Americas"}
# Words of an annotator's free-text region note → the region (for the worldwide batches).
REGION_WORDS = [
    ("Sub-Saharan Africa", r"africa|sudan|somali|ethiopi|eritre|kenya|nigeria|niger\b|mali|burkina|congo|drc|"
                           r"rwanda|uganda|cameroon|guinea|senegal|chad|mozambique|zimbabwe|sahel|haskanita|darfur"),
    ("Middle East and North Africa", r"middle east|israel|gaza|palestin|leban|syria|iraq|iran|yemen|red sea|"
                                     r"egypt|libya|tunisia|algeria|morocco|bahrain|saudi|gulf|turkey|jordan|hormuz"),
    ("Europe and Eurasia", r"europe|russia|ukrain|belarus|georgia|armenia|azerbaijan|caucasus|balkan|kosovo|"
                           r"serbia|bosnia|albania|baltic|poland|norway|osce|nato|chechnya|crimea"),
    ("East Asia and Pacific", r"asia-pacific|east asia|southeast asia|china|taiwan|hong kong|korea|japan|"
                              r"philippin|vietnam|myanmar|burma|thailand|cambodia|indonesia|malaysia|australia|pacific"),
    ("South and Central Asia", r"afghan|pakistan|india|bangladesh|sri lanka|nepal|maldives|central asia|"
                               r"kazakh|kyrgyz|tajik|uzbek|turkmen"),
    ("Americas", r"americas|venezuela|colombia|mexico|haiti|cuba|nicaragua|brazil|peru|bolivia|ecuador|"
                 r"argentina|guatemala|honduras|salvador|canada|caribbean|latin america"),
]


def split_of(doc_id: str) -> str:
    number = int(hashlib.sha1((SPLIT_SALT + doc_id).encode("utf-8")).hexdigest(), 16)
    return "validation" if number % 10 < 3 else "train"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def region_of(annotator: str, note: str | None) -> str:
    if annotator in BATCH_REGIONS:
        return BATCH_REGIONS[annotator]
    text = (note or "").lower()
    for region, words in REGION_WORDS:       # the first region the note names
        if re.search(words, text):
            return region
    return "Global"


def load(annotation: Path = ANNOTATION) -> tuple[list[dict], list[dict]]:
    """(documents, provenance rows) in batch and document order, adjudicated versions
    in place of first codings, excluded documents left out."""
    excluded = {row["doc_id"]: row["reason"] for row in _tsv(annotation / "excluded.tsv")}
    adjudicated = {d["doc_id"]: d for path in sorted((annotation / "adjudicated").glob("*.jsonl"))
                   for d in read_jsonl(path)}
    docs, rows = [], []
    for batch in sorted((annotation / "batches").glob("batch_*.jsonl")):
        if batch.stem.endswith("_provenance"):
            continue
        annotator = batch.stem.split("_", 1)[1]
        provenance = {p["doc_id"]: p for p in read_jsonl(batch.with_name(f"{batch.stem}_provenance.jsonl"))}
        for doc in read_jsonl(batch):
            if doc["doc_id"] in excluded:
                continue
            doc = adjudicated.get(doc["doc_id"], doc)
            docs.append(_record(doc))
            rows.append(_provenance(doc, provenance[doc["doc_id"]], annotator, doc["doc_id"] in adjudicated))
    return docs, rows


def _record(doc: dict) -> dict:
    keys = ("doc_id", "url", "published", "title", "text", "actors", "events")
    return {k: doc.get(k) for k in keys}


def _provenance(doc: dict, p: dict, annotator: str, double: bool) -> dict:
    return {"doc_id": doc["doc_id"], "split": split_of(doc["doc_id"]), "url": doc["url"],
            "original_url": p.get("original_url"), "published": doc.get("published"),
            "date_basis": p.get("date_basis") or "none", "source": p.get("source"), "licence": p.get("licence"),
            "byline": p.get("byline"), "title": doc.get("title"),
            "region": region_of(annotator, p.get("region")), "country_focus": p.get("region"),
            "us_party": bool(p.get("us_party")), "wire_style": bool(p.get("wire_style")),
            "annotator": annotator, "double_coded": double}


def _tsv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def write(docs: list[dict], rows: list[dict], out: Path = HERE) -> None:
    for split in ("train", "validation"):
        chosen = [d for d in docs if split_of(d["doc_id"]) == split]
        (out / f"{split}.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in chosen),
                                            encoding="utf-8")
    with (out / "provenance.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PROVENANCE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# -- statistics for the datasheet ---------------------------------------------------
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")


def sentences(text: str) -> list[str]:
    """A plain splitter, for counting only: it also splits after abbreviations such as
    "U.S." before a capital, which makes both counts a little high."""
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def sentence_counts(docs: list[dict]) -> tuple[int, int]:
    """(sentences, sentences that hold no coded event)."""
    n_sentences = empty = 0
    for doc in docs:
        spans = [(doc["text"].find(e["sentence"]), len(e["sentence"])) for e in doc["events"]]
        position = 0
        for sentence in sentences(doc["text"]):
            start = doc["text"].find(sentence, position)
            position = start + len(sentence)
            n_sentences += 1
            empty += not any(s < position and start < s + n for s, n in spans)
    return n_sentences, empty


def stats(docs: list[dict], rows: list[dict]) -> dict:
    events = [e for d in docs for e in d["events"]]
    n_sentences, empty = sentence_counts(docs)
    years = Counter((r["published"] or "")[:4] or "undated" for r in rows)
    return {
        "documents": len(docs), "events": len(events),
        "splits": Counter(r["split"] for r in rows),
        "split_events": Counter(split_of(d["doc_id"]) for d in docs for _ in d["events"]),
        "types": Counter(e["type"] for e in events), "status": Counter(e["status"] for e in events),
        "regions": Counter(r["region"] for r in rows), "years": years,
        "sources": Counter(_source_family(r["source"]) for r in rows),
        "wire_style": sum(r["wire_style"] for r in rows), "no_us_party": sum(not r["us_party"] for r in rows),
        "sentences": n_sentences, "sentences_without_event": empty,
        "double_coded": sum(r["double_coded"] for r in rows),
    }


def _source_family(source: str | None) -> str:
    source = source or ""
    return "Voice of America" if source.startswith("Voice of America") else "U.S. government"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stats", action="store_true", help="print the datasheet's counts as JSON")
    parser.add_argument("--annotation", type=Path, default=ANNOTATION)
    args = parser.parse_args()
    docs, rows = load(args.annotation)
    write(docs, rows)
    if args.stats:
        json.dump(stats(docs, rows), sys.stdout, indent=1, default=dict)
        print()


if __name__ == "__main__":
    main()
