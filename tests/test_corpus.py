"""corpus/: the open PLOVER corpus is what its datasheet says it is, and valid.

Counts and variety as the datasheet (corpus/README.md) states them; every sentence an
exact substring of its text and every trigger of its sentence; legal types, statuses
and codes; no text twice, nor any text of ../shared/eval/dev.jsonl; the split fixed by
the rule in corpus/build.py and recorded in corpus/provenance.csv."""
from __future__ import annotations

import csv
import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from diurna.records import PLOVER_TYPES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
STATUSES = {"occurred", "ongoing", "planned", "hypothetical", "negated"}
SECTORS = {None, "GOV", "MIL", "LEG", "JUD", "OPP", "REB", "MED", "CVL", "BUS", "IGO", "NGO", "POL"}
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")


def _build():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _build()


@pytest.fixture(scope="module")
def split_docs() -> dict[str, list[dict]]:
    return {name: [json.loads(line) for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            for name in ("train", "validation")}


@pytest.fixture(scope="module")
def docs(split_docs) -> list[dict]:
    return split_docs["train"] + split_docs["validation"]


@pytest.fixture(scope="module")
def provenance() -> list[dict]:
    with (CORPUS / "provenance.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def events(docs):
    return [e for d in docs for e in d["events"]]


# -- size and variety ---------------------------------------------------------------
def test_size(docs):
    assert len(docs) >= 400
    assert len(events(docs)) >= 2000


def test_every_type_and_status_is_well_represented(docs):
    types = Counter(e["type"] for e in events(docs))
    thin = {t: types[t] for t in PLOVER_TYPES if types[t] < 40}
    assert not thin, f"types with fewer than 40 events: {thin}"
    status = Counter(e["status"] for e in events(docs))
    assert all(status[s] >= 30 for s in ("planned", "negated", "hypothetical")), status


def test_mostly_news_reports_from_everywhere_not_only_about_the_united_states(provenance, build):
    n = len(provenance)
    assert sum(p["wire_style"] == "True" for p in provenance) >= 0.5 * n
    assert sum(p["us_party"] == "False" for p in provenance) >= 0.4 * n
    regions = Counter(p["region"] for p in provenance)
    assert all(regions[r] >= 20 for r in build.REGIONS if r != "Global"), regions
    years = sorted(int(p["published"][:4]) for p in provenance if p["published"])
    assert years[0] >= 2010 and years[-1] <= 2026 and len(set(years)) >= 12


def test_precision_is_measured_too(docs, build):
    n_sentences, without_event = build.sentence_counts(docs)
    assert without_event >= 0.15 * n_sentences


def test_only_redistributable_sources(provenance):
    for p in provenance:
        assert p["licence"].startswith("public domain"), p["doc_id"]
        assert p["source"].startswith(("Voice of America", "U.S. ")) or "The White House" in p["source"], p
        assert p["url"].startswith("http"), p["doc_id"]


# -- validity -----------------------------------------------------------------------
def test_documents_are_valid(docs):
    problems = []
    for doc in docs:
        text = doc["text"]
        codes = {a["code"] for a in doc["actors"]}
        for actor in doc["actors"]:
            if actor["text"] not in text or not CODE.match(actor["code"]) or actor["sector"] not in SECTORS:
                problems.append((doc["doc_id"], "actor", actor))
        for n, e in enumerate(doc["events"]):
            where = (doc["doc_id"], n)
            if e["sentence"] not in text or not e["trigger"] or e["trigger"] not in e["sentence"]:
                problems.append((*where, "sentence or trigger not exact"))
            if e["type"] not in PLOVER_TYPES or not set(e["alt_types"]) <= set(PLOVER_TYPES):
                problems.append((*where, "type"))
            if e["status"] not in STATUSES:
                problems.append((*where, "status"))
            if not e["source"] or not set(e["source"]) | set(e["target"]) <= codes:
                problems.append((*where, "codes"))
    assert not problems, problems[:20]


def test_no_text_twice(docs):
    texts = Counter(d["text"] for d in docs)
    assert [t[:60] for t, n in texts.items() if n > 1] == []
    assert len({d["doc_id"] for d in docs}) == len(docs)
    urls = Counter(d["url"] for d in docs)
    assert [u for u, n in urls.items() if n > 1] == []


def test_nothing_from_the_dev_set():
    if not DEV.is_file():
        pytest.skip(f"{DEV} is absent (a user's fresh clone); CI has it")
    dev = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    dev_sentences = {s.strip() for d in dev for s in re.split(r"(?<=[.!?])\s+", d["text"]) if len(s) > 40}
    corpus = [json.loads(line) for name in ("train", "validation")
              for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
    shared = [d["doc_id"] for d in corpus
              if any(s.strip() in dev_sentences for s in re.split(r"(?<=[.!?])\s+", d["text"]))]
    assert shared == []
    assert not {d.get("url") for d in dev if d.get("url")} & {d["url"] for d in corpus}


# -- the split ----------------------------------------------------------------------
def test_split_is_fixed_and_recorded(split_docs, provenance, build):
    for name, chosen in split_docs.items():
        assert all(build.split_of(d["doc_id"]) == name for d in chosen)
    recorded = {p["doc_id"]: p["split"] for p in provenance}
    assert recorded == {d["doc_id"]: name for name, chosen in split_docs.items() for d in chosen}
    share = len(split_docs["train"]) / (len(split_docs["train"]) + len(split_docs["validation"]))
    assert 0.62 <= share <= 0.78


def test_the_build_reproduces_the_files(build, tmp_path, split_docs):
    docs, rows = build.load()
    build.write(docs, rows, tmp_path)
    for name in ("train", "validation"):
        assert (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8") == \
            (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8")
    assert (tmp_path / "provenance.csv").read_text(encoding="utf-8") == \
        (CORPUS / "provenance.csv").read_text(encoding="utf-8")


def test_a_share_is_coded_twice_and_the_agreement_is_reported(provenance):
    double = [p for p in provenance if p["double_coded"] == "True"]
    assert len(double) >= 0.15 * len(provenance)
    datasheet = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "Cohen" in datasheet and "agreement" in datasheet.lower()


@pytest.mark.slow
def test_diurna_eval_reads_the_validation_split(capsys):
    """Scored in aggregate, as the split is meant to be (its errors are not printed)."""
    from diurna.cli import main

    assert main(["eval", str(CORPUS / "validation.jsonl"), "--limit", "5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_docs"] == 5 and report["n_gold_events"] > 0
