"""Check an annotation batch: python3 /work/corpus_work/check.py FILE.jsonl [FILE2 ...]
Prints every problem with doc_id and event index, then counts. Exit 1 on problems."""
import json, re, sys, collections
TYPES = {"AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST",
         "ACCUSE","REJECT","THREATEN","PROTEST","SANCTION","MOBILIZE","COERCE","ASSAULT"}
STATUS = {"occurred","ongoing","planned","hypothetical","negated"}
SECTORS = {None,"GOV","MIL","LEG","JUD","OPP","REB","MED","CVL","BUS","IGO","NGO","POL"}
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")
DATE = re.compile(r"^(19|20)\d\d-\d\d-\d\d$")
bad = 0
def err(doc, msg):
    global bad; bad += 1; print(f"{doc}: {msg}")
types = collections.Counter(); status = collections.Counter(); ndocs = nev = 0
sent_total = sent_empty = 0
seen_ids = set()
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except Exception as e:
            err(f"{path}:{n}", f"not JSON: {e}"); continue
        did = d.get("doc_id", f"{path}:{n}")
        ndocs += 1
        if did in seen_ids: err(did, "duplicate doc_id")
        seen_ids.add(did)
        for k in ("doc_id","url","published","text","actors","events"):
            if k not in d: err(did, f"missing key {k}")
        text = d.get("text","")
        if d.get("published") is not None and not DATE.match(str(d["published"])):
            err(did, f"published not YYYY-MM-DD: {d['published']}")
        codes = set()
        for a in d.get("actors", []):
            if a.get("text") not in text: err(did, f"actor text not in text: {a.get('text')!r}")
            if not CODE.match(str(a.get("code"))): err(did, f"bad actor code {a.get('code')!r}")
            if a.get("sector") not in SECTORS: err(did, f"bad sector {a.get('sector')!r}")
            codes.add(a.get("code"))
        ev_sents = set()
        for i, e in enumerate(d.get("events", [])):
            nev += 1
            where = f"event {i}"
            s = e.get("sentence","")
            if s not in text: err(did, f"{where}: sentence not an exact substring of text")
            if e.get("trigger","") not in s or not e.get("trigger"): err(did, f"{where}: trigger {e.get('trigger')!r} not in sentence")
            if e.get("type") not in TYPES: err(did, f"{where}: bad type {e.get('type')!r}")
            for t in e.get("alt_types", []):
                if t not in TYPES: err(did, f"{where}: bad alt type {t!r}")
            if e.get("status") not in STATUS: err(did, f"{where}: bad status {e.get('status')!r}")
            for side in ("source","target"):
                if not isinstance(e.get(side), list): err(did, f"{where}: {side} must be a list"); continue
                for c in e[side]:
                    if not CODE.match(str(c)): err(did, f"{where}: bad code {c!r} in {side}")
                    elif c not in codes: err(did, f"{where}: code {c} in {side} has no entry in actors")
            if not e.get("source"): err(did, f"{where}: empty source")
            if e.get("date") is not None and not DATE.match(str(e["date"])): err(did, f"{where}: bad date")
            for k in ("sentence","trigger","type","alt_types","source","target","status","date","location"):
                if k not in e: err(did, f"{where}: missing key {k}")
            types[e.get("type")] += 1; status[e.get("status")] += 1
            ev_sents.add(s)
print(f"{ndocs} documents, {nev} events")
print("types:", dict(types.most_common()))
print("status:", dict(status.most_common()))
print("problems:", bad)
sys.exit(1 if bad else 0)
