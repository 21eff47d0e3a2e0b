"""The learned trigger layer: trained by `diurna train`, shipped, loaded offline, and used
beside the rules (docs/learned.md)."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from conftest import REPO
from diurna.errors import LexiconError
from diurna.events.coder import Coder
from diurna.events.learned import CLASSES, load_model
from diurna.settings import TRIGGER_MODEL_FILE

SHIPPED = REPO / "src" / "diurna" / "events" / "data" / TRIGGER_MODEL_FILE
PUSHED = "Somali government and AMISOM forces have pushed al-Shabab out of its former Mogadishu strongholds."


def _train(args, tmp_path):
    return subprocess.run([sys.executable, "-m", "diurna", "train", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=600)


@pytest.mark.slow
def test_retraining_on_the_train_split_gives_the_shipped_model_byte_for_byte(tmp_path):
    done = _train([str(REPO / "corpus" / "train.jsonl"), "--out", "model"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "trained on 279 documents" in done.stdout
    assert (tmp_path / "model" / TRIGGER_MODEL_FILE).read_bytes() == SHIPPED.read_bytes()


def test_the_shipped_model_is_small_and_knows_every_type():
    assert SHIPPED.stat().st_size < 25 * 1024 * 1024
    model = load_model()
    assert model.classes == CLASSES
    assert model.meta["trained_on"] == ["train.jsonl"]          # never the validation split
    raw = json.loads(gzip.decompress(SHIPPED.read_bytes()))
    assert set(raw["features"]) == set(model.index)


def test_the_model_finds_an_event_the_lexicon_lacks(coder):
    rules_only = Coder(learned=False)
    assert not rules_only.code(PUSHED, published="2020-01-01").events
    events = coder.code(PUSHED, published="2020-01-01").events
    assert [(e.event, e.trigger.text) for e in events] == [("ASSAULT", "pushed")]
    assert {a.code for a in events[0].actor} >= {"AU"} and [r.code for r in events[0].recipient] == ["ALSHABAAB"]
    assert events[0].sentence.text == PUSHED           # its evidence, like every event


def test_a_trained_model_is_used_from_the_cli_and_none_means_rules_only(tmp_path):
    sample = tmp_path / "small.jsonl"
    lines = (REPO / "corpus" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _train([str(sample), "--out", "a"], tmp_path).returncode == 0
    assert _train([str(sample), "--out", "b"], tmp_path).returncode == 0
    assert (tmp_path / "a" / TRIGGER_MODEL_FILE).read_bytes() == (tmp_path / "b" / TRIGGER_MODEL_FILE).read_bytes()
    article = tmp_path / "one.txt"
    article.write_text(PUSHED + "\n", encoding="utf-8")
    coded = {}
    for choice in ("a", "none"):
        done = subprocess.run([sys.executable, "-m", "diurna", "code", str(article), "--no-db", "--quiet", "--jsonl", "-",
                               "--trigger-model", choice], capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, done.stderr
        coded[choice] = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert coded["none"] and not coded["none"][0]["events"]


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / TRIGGER_MODEL_FILE
    bad.write_bytes(b"not a model")
    with pytest.raises(LexiconError, match="cannot read a trigger model"):
        load_model(tmp_path)
    done = subprocess.run([sys.executable, "-m", "diurna", "eval", str(REPO / "corpus" / "validation.jsonl"),
                           "--trigger-model", str(tmp_path / "missing")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "trigger model not found" in done.stderr


def test_training_needs_hand_coded_documents(tmp_path):
    (tmp_path / "plain.jsonl").write_text('{"id": "x", "text": "No events here."}\n', encoding="utf-8")
    done = _train(["plain.jsonl", "--out", "m"], tmp_path)
    assert done.returncode == 1 and "plain.jsonl:1" in done.stderr and "hand-coded" in done.stderr
