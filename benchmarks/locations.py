"""How often Diurna finds where an event happened.

    python benchmarks/locations.py [--eval-dir ../shared/eval] [--predictions-dir DIR]
                                   [--errors] [--articles examples/articles]

On each gold set (../shared/eval/dev.jsonl, corpus/train.jsonl, corpus/validation.jsonl,
and the sample articles hand-coded in benchmarks/data/sample_articles_gold.jsonl) a predicted event is matched to a gold event as `diurna eval` matches them (same
sentence, type and parties: evaluate/score.py's event_pairs). Of the matched events:

* precision: of those with a predicted place, the share whose place is right;
* precision (located gold): the same, over events the gold gives a location;
* recall: of those with a gold location, the share whose place Diurna found.

A predicted place is right when its name equals the gold location after folding (case,
diacritics, apostrophes), or one of its parts ("Garissa, Kenya"; "Ghana; Morocco"; "Iraq and Syria";
the city of "Government House in Bangkok"; a
qualifier such as "near" or "north of" dropped), or when the gazetteer resolves a part to
the same GeoNames place, or the part is a country and the place is in it.

On the sample articles it also reports the share of events whose sentence names a place
(a city, or "in <country>") that get one: a rough reading, since a statement about a place
("called for a ceasefire in Gaza") was not made there; the hand-coded row is the measure. The validation split is reported in aggregate
only: --errors lists the wrong and missed places of dev and train, never validation's.
``--predictions-dir`` scores coder output saved as DIR/dev.jsonl, DIR/train.jsonl,
DIR/validation.jsonl instead of running the coder (for before/after comparisons).
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from diurna.evaluate.score import event_pairs, gold_inputs, load_gold
from diurna.nlp.gazetteer import fold, lookup_place

REPO = Path(__file__).resolve().parents[1]
# The sample articles (examples/articles), hand-coded with their locations from the text,
# the conventions and the PLOVER manual alone (notes beside the file).
SAMPLE_GOLD = REPO / "benchmarks" / "data" / "sample_articles_gold.jsonl"
_REGION = re.compile(r"\s+(?:region|province|oblast|governorate)$")
_QUALIFIER = re.compile(r"^(?:(?:near|around|outside|in|at|inside|central|greater|"
                        r"(?:north|south|east|west)(?:ern)?|(?:north|south)-?(?:east|west)(?:ern)?)\s+(?:of\s+)?)+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--predictions-dir", type=Path, help="saved coder output to score instead")
    parser.add_argument("--save-dir", type=Path, help="save the coder's output here")
    parser.add_argument("--errors", action="store_true", help="list dev and train errors")
    parser.add_argument("--articles", type=Path, default=REPO / "examples" / "articles")
    args = parser.parse_args()
    sets = (("dev", args.eval_dir / "dev.jsonl"), ("train", REPO / "corpus" / "train.jsonl"),
            ("validation", REPO / "corpus" / "validation.jsonl"), ("sample", SAMPLE_GOLD))
    coder = None
    if args.predictions_dir is None:
        from diurna import Coder
        coder = Coder()
    print(f"{'set':<11} {'matched':>7} {'gold loc':>8} {'pred loc':>8} {'right':>6} "
          f"{'precision':>9} {'P(located gold)':>15} {'recall':>7}")
    for name, path in sets:
        gold = load_gold(path)
        predicted = _predictions(name, gold, coder, args)
        row, errors = score_places(gold, predicted)
        print(f"{name:<11} {row['matched']:>7} {row['gold_located']:>8} {row['predicted_located']:>8} "
              f"{row['right']:>6} {row['precision']:>9.3f} {row['precision_located_gold']:>15.3f} "
              f"{row['recall']:>7.3f}")
        if args.errors and name != "validation":      # validation: aggregate figures only
            for line in errors:
                print("   ", line)
    if coder is not None:
        sample_articles(coder, args.articles)


def _predictions(name: str, gold: list[dict], coder, args) -> list[dict]:
    if coder is None:
        with open(args.predictions_dir / f"{name}.jsonl", encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]
    predicted = [doc.to_dict() for doc in coder.code_articles(_articles(gold))]
    if args.save_dir:
        args.save_dir.mkdir(parents=True, exist_ok=True)
        with open(args.save_dir / f"{name}.jsonl", "w", encoding="utf-8") as out:
            out.writelines(json.dumps(doc) + "\n" for doc in predicted)
    return predicted


def _articles(gold: list[dict]):
    from diurna.records import Article
    return [Article(doc_id, text or " ", published) for doc_id, text, published in gold_inputs(gold)]


def score_places(gold: list[dict], predicted: list[dict]) -> tuple[dict, list[str]]:
    by_id = {doc["doc_id"]: doc for doc in predicted}
    matched = gold_located = predicted_located = right = right_located = located_both = found = 0
    errors = []
    for gold_doc in gold:
        pred_doc = by_id.get(gold_doc["doc_id"], {"doc_id": gold_doc["doc_id"], "events": []})
        for gold_event, pred_event in event_pairs(gold_doc, pred_doc):
            if pred_event is None:
                continue
            matched += 1
            want, place = gold_event.get("location"), pred_event.get("event_loc")
            ok = bool(want and place and place_right(place, want))
            gold_located += bool(want)
            predicted_located += bool(place)
            right += ok
            found += ok
            if want and place:
                located_both += 1
                right_located += ok
            if (want or place) and not ok:
                errors.append(f"gold {want!r} predicted {place and place.get('name')!r}: "
                              f"{gold_event['sentence'][:140]}")
    return {"matched": matched, "gold_located": gold_located, "predicted_located": predicted_located,
            "right": right, "precision": _ratio(right, predicted_located),
            "precision_located_gold": _ratio(right_located, located_both),
            "recall": _ratio(found, gold_located)}, errors


def place_right(place: dict, gold: str) -> bool:
    """Whether a predicted event_loc is the gold location (see the module's docstring)."""
    name = _key(place.get("name") or "")
    for alternative in re.split(r";| and ", gold):
        # "Garissa, Kenya"; "Government House in Bangkok": the place it is in counts too
        parts = [alternative, *re.split(r",| in ", alternative)]
        for part in parts:
            key = _key(part)
            if not key:
                continue
            if key == name:
                return True
            resolved = lookup_place(key, prefer=(place["country"],) if place.get("country") else ())
            if resolved is None:
                continue
            if resolved.resolution == "country" and resolved.country == place.get("country"):
                return True
            if resolved.geonameid is not None and resolved.geonameid == place.get("geonameid"):
                return True
    return False


def _key(text: str) -> str:
    return _REGION.sub("", _QUALIFIER.sub("", fold(text).removeprefix("the ").strip()))


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def sample_articles(coder, folder: Path) -> None:
    """The share of the sample articles' events whose sentence names a place that get one."""
    from diurna.events.words import WORDS
    from diurna.ingest.files import read_inputs

    naming = located = events = with_place = 0
    for item in read_inputs([str(folder)]):
        article = getattr(item, "article", item)
        coded = coder.code(article.text, published=article.published, doc_id=article.doc_id)
        for event in coded.events:
            events += 1
            with_place += event.event_loc is not None
            if _names_place(coder, event.sentence.text, WORDS.locative):
                naming += 1
                located += event.event_loc is not None
    print(f"sample articles: {events} events, {with_place} with a place; {naming} whose sentence "
          f"names a place, {located} of them located ({_ratio(located, naming):.0%})")


def _names_place(coder, sentence: str, locative) -> bool:
    """Whether the sentence says where something happened: a locative phrase ("in",
    "at", "near" …) naming a city, or "in" a country."""
    for token in coder.parser(sentence):
        if token.dep_ != "prep" or token.lower_ not in locative:
            continue
        for inner in token.subtree:
            if inner.ent_type_ != "GPE":
                continue
            place = lookup_place(inner.text)
            if place is not None and (place.resolution == "city" or token.lower_ == "in"):
                return True
    return False


if __name__ == "__main__":
    main()
