"""Scoring rules of diurna.evaluate.score and the peer readers/scorers of diurna.evaluate.peers.

The hand-made documents below are our own sentences; the evaluation data in
../shared/eval/ is only read (never copied), and those tests skip without it.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from diurna.errors import InputError
from diurna.evaluate.score import (GOLD_STATUS_TO_AUX, format_report, gold_inputs, load_gold, load_predictions, score)
from diurna.evaluate.peers import (PEER_FILES, FiveClassItem, PetrarchItem, Coding, PloverItem, cameo_class, five_class_of, one_at_a_time, petrarch_root, read_five_class, read_petrarch, read_plover_gsr, run_peer, score_five_class, score_petrarch, score_plover_gsr, type_class)

S1 = "Norway's foreign minister met her Swedish counterpart in Stockholm on Monday."
S2 = "Sweden criticised Denmark over the new border checks."
S3 = "Norway will send medical supplies to Finland next week."
TEXT = " ".join([S1, S2, S3])


def eval_dir() -> Path:
    default = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
    return Path(os.environ.get("DIURNA_EVAL_DIR", default))


def need_eval_dir() -> Path:
    path = eval_dir()
    if not (path / "dev.jsonl").is_file():
        pytest.skip(f"evaluation data not found at {path} (set DIURNA_EVAL_DIR to shared/eval)")
    return path


# --------------------------------------------------------------------------- builders

def gold_event(sentence, type_, source, target, status="occurred", alt=()):
    return {"sentence": sentence, "trigger": None, "type": type_, "alt_types": list(alt),
            "source": list(source), "target": list(target), "status": status}


def gold_doc(events, actors=("NOR", "SWE", "DNK", "FIN"), doc_id="d1", text=TEXT):
    return {"doc_id": doc_id, "published": "2025-01-06", "text": text,
            "actors": [{"text": c, "code": c, "sector": None} for c in actors],
            "events": events}


def pred_event(sentence, type_, actor, recipient, aux=None, confidence=0.5, text=TEXT):
    start = text.index(sentence)
    return {"id": f"e{start}", "event": type_, "cameo": None, "aux": aux,
            "actor": [{"code": c, "sector": None, "entity_text": c} for c in actor],
            "recipient": [{"code": c, "sector": None, "entity_text": c} for c in recipient],
            "sentence": {"text": sentence, "start": start, "end": start + len(sentence)},
            "trigger": {"text": "x", "start": start, "end": start + 1},
            "confidence": confidence}


def pred_doc(events, actors=("NOR", "SWE", "DNK", "FIN"), doc_id="d1"):
    return {"doc_id": doc_id, "published": "2025-01-06",
            "actors": [{"text": c, "start": 0, "end": 1, "code": c, "sector": None}
                       for c in actors],
            "events": events}


GOLD = gold_doc([
    gold_event(S1, "CONSULT", ["NOR"], ["SWE"]),
    gold_event(S2, "ACCUSE", ["SWE"], ["DNK"]),
    gold_event(S3, "AID", ["NOR"], ["FIN"], status="planned", alt=["AGREE"]),
])


def perfect_prediction():
    return pred_doc([
        pred_event(S1, "CONSULT", ["NOR"], ["SWE"]),
        pred_event(S2, "ACCUSE", ["SWE"], ["DNK"]),
        pred_event(S3, "AID", ["NOR"], ["FIN"], aux="future"),
    ])


# --------------------------------------------------------------------------- evaluate.score

def test_perfect_prediction_scores_one_everywhere():
    report = score([GOLD], [perfect_prediction()])
    for prf in (report.actor, report.event, report.dyad, report.type):
        assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)
    assert report.status_accuracy == 1.0
    assert report.misses == [] and report.false_alarms == []
    assert all(row.f1 == 1.0 for row in report.per_type)


def test_wrong_type_misses_the_event_but_matches_the_dyad():
    pred = pred_doc([pred_event(S2, "REQUEST", ["SWE"], ["DNK"])])
    report = score([gold_doc([GOLD["events"][1]])], [pred])
    assert report.event.tp == 0 and report.event.fp == 1 and report.event.fn == 1
    assert report.dyad.tp == 1 and report.type.tp == 0
    assert report.misses[0]["reason"] == "wrong type"


def test_alt_type_is_accepted_and_credits_both_types():
    pred = pred_doc([pred_event(S3, "AGREE", ["NOR"], ["FIN"])])
    report = score([gold_doc([GOLD["events"][2]])], [pred])
    assert report.event.f1 == 1.0
    rows = {row.type: row for row in report.per_type}
    assert rows["AID"].recall == 1.0 and rows["AID"].predicted == 0
    assert rows["AGREE"].precision == 1.0 and rows["AGREE"].gold == 0


def test_consult_is_undirected():
    pred = pred_doc([pred_event(S1, "CONSULT", ["SWE"], ["NOR"])])
    assert score([gold_doc([GOLD["events"][0]])], [pred]).event.f1 == 1.0


def test_empty_target_is_undirected_and_needs_two_parties():
    gold = gold_doc([gold_event(S1, "COOPERATE", ["NOR", "SWE"], [])])
    both = pred_doc([pred_event(S1, "COOPERATE", ["SWE"], ["NOR"])])
    one = pred_doc([pred_event(S1, "COOPERATE", ["SWE"], [])])
    assert score([gold], [both]).event.tp == 1
    assert score([gold], [one]).event.tp == 0


def test_single_party_event_needs_only_that_party():
    gold = gold_doc([gold_event(S3, "MOBILIZE", ["NOR"], [])])
    pred = pred_doc([pred_event(S3, "MOBILIZE", ["NOR"], [])])
    assert score([gold], [pred]).event.tp == 1


def test_directed_event_reversed_does_not_match():
    pred = pred_doc([pred_event(S2, "ACCUSE", ["DNK"], ["SWE"])])
    report = score([gold_doc([GOLD["events"][1]])], [pred])
    assert report.event.tp == 0 and report.dyad.tp == 0 and report.type.tp == 1
    assert report.misses[0]["reason"] == "wrong actors"


def test_sentence_spans_must_overlap():
    pred = pred_doc([pred_event(S1, "ACCUSE", ["SWE"], ["DNK"])])
    report = score([gold_doc([GOLD["events"][1]])], [pred])
    assert report.event.tp == report.dyad.tp == report.type.tp == 0


def test_matching_is_one_to_one_and_prefers_confidence():
    pred = pred_doc([pred_event(S2, "ACCUSE", ["SWE"], ["DNK"], confidence=0.4),
                     pred_event(S2, "ACCUSE", ["SWE"], ["DNK"], confidence=0.9)])
    report = score([gold_doc([GOLD["events"][1]])], [pred])
    assert (report.event.tp, report.event.fp, report.event.fn) == (1, 1, 0)
    assert report.false_alarms[0]["confidence"] == 0.4
    assert report.confidence.top_precision == 1.0
    assert report.confidence.bottom_precision == 0.0


def test_status_accuracy_among_matched_events():
    pred = perfect_prediction()
    pred["events"][2]["aux"] = None            # gold says planned -> future
    report = score([GOLD], [pred])
    assert (report.status_correct, report.status_total) == (2, 3)
    assert GOLD_STATUS_TO_AUX["negated"] == "negation"


def test_actor_precision_and_recall_are_micro_averaged():
    gold_a = gold_doc([], actors=("NOR", "SWE"), doc_id="a")
    gold_b = gold_doc([], actors=("DNK", "FIN"), doc_id="b")
    pred_a = pred_doc([], actors=("NOR", "SWE", "ISL"), doc_id="a")
    pred_b = pred_doc([], actors=("DNK",), doc_id="b")
    pred_b["actors"].append({"text": "someone", "start": 0, "end": 1, "code": None})
    actor = score([gold_a, gold_b], [pred_a, pred_b]).actor
    assert (actor.tp, actor.fp, actor.fn) == (3, 1, 1)
    assert actor.precision == 0.75 and actor.recall == 0.75


def test_missing_document_counts_all_gold_events_as_misses():
    report = score([GOLD], [])
    assert report.missing_docs == ["d1"] and report.event.fn == 3
    assert {m["reason"] for m in report.misses} == {"document not coded"}


def test_report_serialises_and_formats():
    report = score([GOLD], [pred_doc([pred_event(S2, "REQUEST", ["SWE"], ["DNK"])])])
    as_json = json.loads(json.dumps(report.to_dict()))
    assert as_json["event"]["fn"] == 3 and len(as_json["false_alarms"]) == 1
    text = format_report(report, errors=True)
    assert "MISSES (3)" in text and "FALSE ALARMS (1)" in text and S2 in text
    assert "MISSES" not in format_report(report, errors=False)


def test_load_gold_names_file_and_line_of_a_bad_line(tmp_path):
    good = json.dumps(GOLD)
    path = tmp_path / "gold.jsonl"
    path.write_text(good + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:3"):
        load_gold(path)
    broken = dict(GOLD, events=[gold_event("A sentence not in the text.", "AID", [], [])])
    path.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="substring"):
        load_gold(path)
    path.write_text(good + "\n", encoding="utf-8")
    assert load_gold(path)[0]["doc_id"] == "d1"
    assert gold_inputs(load_gold(path)) == [("d1", TEXT, "2025-01-06")]


def test_load_predictions_reads_jsonl(tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(perfect_prediction()) + "\n", encoding="utf-8")
    assert score([GOLD], load_predictions(path)).event.f1 == 1.0


# --------------------------------------------------------------------------- five classes

@pytest.mark.parametrize("cameo, expected", [
    ("010", 0), ("0234", 1), ("057", 1), ("061", 2), ("0841", 2), ("090", 3),
    ("1014", 3), ("138", 3), ("141", 4), ("190", 4), ("204", 4), (None, None), ("", None),
])
def test_cameo_class(cameo, expected):
    assert cameo_class(cameo) == expected


@pytest.mark.parametrize("type_, expected", [
    ("AGREE", 1), ("CONCEDE", 1), ("AID", 2), ("RETREAT", 2), ("ACCUSE", 3),
    ("THREATEN", 3), ("PROTEST", 4), ("ASSAULT", 4), ("REQUEST", 1), (None, 0),
])
def test_type_class(type_, expected):
    assert type_class(type_) == expected


def test_five_class_uses_the_main_events_cameo_then_type():
    low = {"event": "ASSAULT", "cameo": "190", "confidence": 0.3}
    high = {"event": "REQUEST", "cameo": "100", "confidence": 0.8}
    assert five_class_of({"events": [low, high]}) == 3
    assert five_class_of({"events": [{"event": "AID", "cameo": None}]}) == 2
    assert five_class_of({"events": []}) == 0 and five_class_of(None) == 0


def test_score_five_class_with_a_fake_coder():
    items = [FiveClassItem("a", "one", 4), FiveClassItem("b", "two", 0),
             FiveClassItem("c", "three", 1)]
    coded = {"a": [{"event": "ASSAULT", "cameo": "190"}], "b": [],
             "c": [{"event": "ACCUSE", "cameo": "111"}]}
    report = score_five_class(
        items, one_at_a_time(lambda doc_id, text, published: {"doc_id": doc_id,
                                                              "events": coded[doc_id]}))
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.confusion[1][3] == 1 and report.errors[0]["id"] == "c"
    assert "macro-F1" in report.format(errors=True)


# --------------------------------------------------------------------------- other peers

def test_petrarch_roots():
    assert petrarch_root("USAGOV") == "USA" and petrarch_root("IRQ") == "IRQ"
    assert petrarch_root("IGOUNOMIL") == "UN" and petrarch_root("---REB") is None


def test_score_petrarch_with_a_fake_coder():
    items = [PetrarchItem("p1", "2020-01-01", "x", (Coding("USAGOV", "CHN", "042"),)),
             PetrarchItem("p2", None, "y", ())]
    events = {"p1": [{"cameo": "043", "actor": [{"code": "USA"}], "recipient": [{"code": "CHN"}]},
                     {"cameo": "042", "actor": [{"code": "CHN"}], "recipient": [{"code": "USA"}]}],
              "p2": []}
    report = score_petrarch(items, lambda inputs: [{"doc_id": i, "events": events[i]}
                                                   for i, _, _ in inputs])
    assert (report.codings.tp, report.codings.fp, report.codings.fn) == (1, 1, 0)
    assert report.root_accuracy == 1.0 and report.no_event_correct == 1


def test_score_plover_gsr_with_a_fake_coder():
    items = [PloverItem("r1", "x", "CONCEDE", ("CONCEDE", "RETREAT"), "YIELD", ("ISR",), ("PSE",)),
             PloverItem("r2", "y", "REQUEST", ("REQUEST",), "DEMAND", ("USA",), ())]
    events = {"r1": [{"event": "RETREAT", "actor": [{"code": "ISR"}], "recipient": []}],
              "r2": [{"event": "ACCUSE", "actor": [{"code": "USA"}], "recipient": []}]}
    report = score_plover_gsr(items, lambda inputs: [{"doc_id": i, "events": events[i]}
                                                     for i, _, _ in inputs])
    assert report.accuracy == 0.5 and report.events.tp == 1
    assert (report.source_hits, report.source_total) == (1, 1)
    assert (report.target_hits, report.target_total) == (0, 1)


# --------------------------------------------------------------------------- real files

def test_peer_files_parse():
    peers = need_eval_dir() / "peers"
    petrarch = read_petrarch(peers / PEER_FILES["petrarch"])
    plover = read_plover_gsr(peers / PEER_FILES["plover"])
    five = read_five_class(peers / PEER_FILES["five-class"])
    assert len(petrarch) > 50 and all(item.text for item in petrarch)
    assert sum(not item.expected for item in petrarch) > 0     # noevents sentences
    assert len(plover) > 300 and len({item.id for item in plover}) == len(plover)
    assert len(five) == 1349 and {item.label for item in five} == {0, 1, 2, 3, 4}


def test_run_peer_with_an_empty_coder():
    peers = need_eval_dir() / "peers"
    report = run_peer("five-class", peers, lambda inputs: [], limit=10)
    assert report.n == 10 and len(report.uncoded) == 10
    with pytest.raises(InputError):
        run_peer("nope", peers, lambda inputs: [])


def gold_as_prediction(doc: dict) -> dict:
    events = []
    for n, event in enumerate(doc["events"]):
        start = doc["text"].index(event["sentence"])
        events.append({
            "id": f"{doc['doc_id']}-{n}", "event": event["type"], "cameo": None,
            "aux": GOLD_STATUS_TO_AUX[event["status"]],
            "actor": [{"code": c, "sector": None, "entity_text": c} for c in event["source"]],
            "recipient": [{"code": c, "sector": None, "entity_text": c} for c in event["target"]],
            "sentence": {"text": event["sentence"], "start": start,
                         "end": start + len(event["sentence"])},
            "trigger": {"text": event["trigger"], "start": start, "end": start},
            "confidence": 0.5})
    return {"doc_id": doc["doc_id"], "published": doc.get("published"),
            "actors": [dict(a, start=0, end=0) for a in doc["actors"]], "events": events}


def test_gold_as_prediction_scores_perfectly_on_dev():
    gold = load_gold(need_eval_dir() / "dev.jsonl")
    report = score(gold, [gold_as_prediction(doc) for doc in gold])
    assert report.n_gold_events > 100
    for prf in (report.event, report.dyad, report.type, report.actor):
        assert prf.f1 == 1.0
    assert report.status_accuracy == 1.0


# -- scoring codings already made: agreement between two annotators ---------------------
def test_cohen_kappa():
    from diurna.evaluate.score import cohen_kappa

    assert cohen_kappa([("A", "A"), ("B", "B")]) == 1.0
    # observed 0.5, chance 0.5: no agreement beyond chance
    assert cohen_kappa([("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")]) == 0.0
    assert cohen_kappa([]) == 0.0


def test_a_second_coding_is_scored_like_the_coder(tmp_path, capsys):
    from diurna.cli import main

    text = "Chad accused Niger of shelling. Niger denied it. Chad met Mali."
    gold = {"doc_id": "d1", "url": None, "published": "2024-01-02", "text": text,
            "actors": [{"text": "Chad", "code": "TCD", "sector": None},
                       {"text": "Niger", "code": "NER", "sector": None},
                       {"text": "Mali", "code": "MLI", "sector": None}],
            "events": [
                {"sentence": "Chad accused Niger of shelling.", "trigger": "accused", "type": "ACCUSE",
                 "alt_types": [], "source": ["TCD"], "target": ["NER"], "status": "occurred",
                 "date": None, "location": None},
                {"sentence": "Niger denied it.", "trigger": "denied", "type": "REJECT", "alt_types": [],
                 "source": ["NER"], "target": ["TCD"], "status": "occurred", "date": None, "location": None},
                {"sentence": "Chad met Mali.", "trigger": "met", "type": "CONSULT", "alt_types": [],
                 "source": ["TCD"], "target": ["MLI"], "status": "occurred", "date": None, "location": None}]}
    other = json.loads(json.dumps(gold))
    other["events"][1]["type"] = "ACCUSE"          # same parties, another type
    del other["events"][2]                          # one event not coded
    (tmp_path / "a.jsonl").write_text(json.dumps(gold) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps(other) + "\n")
    assert main(["eval", str(tmp_path / "a.jsonl"), "--predictions", str(tmp_path / "b.jsonl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["event"]["tp"] == 1 and data["event"]["fp"] == 1 and data["event"]["fn"] == 2
    assert data["dyad"]["tp"] == 2
    assert data["type_agreement"]["pairs"] == 2 and data["type_agreement"]["kappa"] < 1
    assert data["actor"]["f1"] == 1.0
