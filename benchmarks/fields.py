"""How often the coder fills PLOVER's mode and context, on hand-coded news.

    python benchmarks/fields.py [--eval-dir ../shared/eval] [--show]

Runs the real coder on ../shared/eval/dev.jsonl, corpus/train.jsonl and (in aggregate
only) corpus/validation.jsonl.

Mode. The gold records carry no mode, so where a mode is *implied* is decided by a rule
over the gold trigger text alone (the annotator's words, not the coder's): a gold event
implies a mode when its type is one below and its trigger text contains a word of the
family (whole words, case-insensitive):

    CONSULT   phone: phone, telephone, call, videoconference, video, virtual(ly)
              visit: visit, trip, tour, travel, arrive, host, welcome(d), "next stop", "due in"
              multilateral: summit, ministerial, multilateral, trilateral, gathering,
                            convene(d), attend(s/ed), participate, conference, contact group
              third-party: mediate, mediation, broker(ed), facilitate
    RETREAT   release: release, free(d), repatriation, exchange, swap
              withdraw: withdraw, pull back/out, pullout   ceasefire: ceasefire, truce
              resign: resign, resignation
    COERCE    seize: seize(d), confiscate, raid, capture(d), annex(ed), occupation, took/taken control
              arrest: arrest(ed), detain(ed), detention, jail(ed), imprison, incarcerated
              curfew, martial-law: "state of emergency", martial law
    ASSAULT   aerial: airstrike, air strike, air attack, bombing; drone; heavy-weapons: missile,
              rocket, artillery, tank, shelling, mortar; crowd-control: tear gas, water cannon;
              abduct: kidnap(ped), abduct; firearms: gunfire, shot, shots, gun battle

For each gold event that implies a mode and that the coder found (matched as the
event score matches them), the share whose predicted mode is non-null, and the share
whose mode is the implied one. Every gold event implying a mode is also counted with
unmatched ones as misses ("of all implied").

Context. The gold carries none either: the share of coded events with at least one
context, and how often each context is given. --show prints every coded event's
mode and contexts with its sentence (dev only), to read them.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from diurna import Coder
from diurna.evaluate.run import batch_coder
from diurna.evaluate.score import event_pairs, gold_inputs, load_gold

REPO = Path(__file__).resolve().parents[1]

FAMILIES: dict[str, list[tuple[str, str]]] = {
    "CONSULT": [
        ("phone", r"phone|telephone|call|videoconference|video|virtual|virtually"),
        ("visit", r"visit|visits|visited|trip|tour|travel|traveling|travelling|arrive|arrived|host|"
                  r"hosted|hosting|welcome|welcomed|next stop|due in"),
        ("multilateral", r"summit|ministerial|multilateral|trilateral|gathering|convene|convened|"
                         r"attend|attends|attended|participate|conference|contact group"),
        ("third-party", r"mediate|mediated|mediating|mediation|broker|brokered|facilitate|facilitating"),
    ],
    "RETREAT": [
        ("release", r"release|released|releases|releasing|free|freed|freeing|repatriation|exchange|swap"),
        ("withdraw", r"withdraw|withdrew|withdrawn|pulled back|pulled out|pull back|pull out|pullout"),
        ("ceasefire", r"ceasefire|cease-fire|truce"),
        ("resign", r"resign|resigned|resignation"),
    ],
    "COERCE": [
        ("seize", r"seize|seized|confiscate|confiscated|raid|raided|capture|captured|annex|annexed|"
                  r"occupation|took control|taken control"),
        ("arrest", r"arrest|arrested|detain|detained|detention|jail|jailed|imprison|imprisoned|incarcerated"),
        ("curfew", r"curfew"),
        ("martial-law", r"state of emergency|martial law"),
    ],
    "ASSAULT": [
        ("aerial", r"airstrike|airstrikes|air strike|air strikes|air attacks|bombing"),
        ("drone", r"drone|drones"),
        ("heavy-weapons", r"missile|missiles|rocket|rockets|artillery|tank|shelling|mortar"),
        ("crowd-control", r"tear gas|water cannon"),
        ("abduct", r"kidnap|kidnapped|abduct|abducted"),
        ("firearms", r"gunfire|shot|shots|gun battle"),
    ],
}
_COMPILED = {event: [(mode, re.compile(rf"\b(?:{words})\b", re.I)) for mode, words in families]
             for event, families in FAMILIES.items()}


def implied_mode(gold_event: dict) -> str | None:
    """The mode a gold event's trigger text implies, by the rule in the docstring."""
    trigger = gold_event.get("trigger") or ""
    for mode, pattern in _COMPILED.get(gold_event["type"], ()):
        if pattern.search(trigger):
            return mode
    return None


def measure(gold: list[dict], predicted: list[dict]) -> dict:
    by_id = {d["doc_id"]: d for d in predicted}
    implied = matched = filled = agreed = 0
    families: Counter[str] = Counter()
    for gold_doc in gold:
        pred_doc = by_id.get(gold_doc["doc_id"], {"doc_id": gold_doc["doc_id"], "events": []})
        for gold_event, pred in event_pairs(gold_doc, pred_doc):
            mode = implied_mode(gold_event)
            if mode is None:
                continue
            implied += 1
            families[f"{gold_event['type']} {mode}"] += 1
            if pred is not None:
                matched += 1
                filled += pred.get("mode") is not None
                agreed += pred.get("mode") == mode
    events = [e for d in predicted for e in d["events"]]
    contexts = Counter(c for e in events for c in e["context"])
    return {"gold events": sum(len(d["events"]) for d in gold), "implying a mode": implied,
            "of them found": matched, "found with a mode": filled, "found with the implied mode": agreed,
            "coded events": len(events), "coded with a mode": sum(e["mode"] is not None for e in events),
            "coded with a context": sum(bool(e["context"]) for e in events),
            "families": families, "contexts": contexts}


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else f"{part}/0"


def report(name: str, m: dict, detail: bool) -> None:
    print(f"\n{name}: {m['gold events']} gold events, {m['implying a mode']} imply a mode, "
          f"{m['of them found']} of those found by the coder")
    print(f"  mode non-null, found implied events : {share(m['found with a mode'], m['of them found'])}")
    print(f"  mode as implied, found implied      : {share(m['found with the implied mode'], m['of them found'])}")
    print(f"  mode non-null, of all implied       : {share(m['found with a mode'], m['implying a mode'])}")
    print(f"  coded events with a mode            : {share(m['coded with a mode'], m['coded events'])}")
    print(f"  coded events with a context         : {share(m['coded with a context'], m['coded events'])}")
    if detail:
        print("  implied families: " + ", ".join(f"{k} {v}" for k, v in m["families"].most_common()))
        print("  contexts given  : " + ", ".join(f"{k} {v}" for k, v in m["contexts"].most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--show", action="store_true", help="print dev's coded events with mode and contexts")
    args = parser.parse_args()
    code = batch_coder(Coder())
    for name, path, detail in (("dev.jsonl", args.eval_dir / "dev.jsonl", True),
                               ("corpus train", REPO / "corpus" / "train.jsonl", True),
                               ("corpus validation (aggregate only)", REPO / "corpus" / "validation.jsonl", False)):
        if not path.is_file():
            print(f"\n{name}: {path} not found, skipped")
            continue
        gold = load_gold(path)
        predicted = code(gold_inputs(gold))
        report(name, measure(gold, predicted), detail)
        if args.show and name == "dev.jsonl":
            for doc in predicted:
                for e in doc["events"]:
                    print(f"  {e['event']:9} {e['mode'] or '-':14} {','.join(e['context']) or '-':28} "
                          f"[{e['trigger']['text']}] {e['sentence']['text'][:110]}")


if __name__ == "__main__":
    main()
