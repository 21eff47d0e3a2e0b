"""Writes the hostile inputs of this folder; expected.json says what reading each must give.

Run it again after changing a case: ``python tests/hostile/make_hostile.py``. The
over-1-MB document is not kept here: tests/test_ingest.py makes it at test time.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

ENGLISH = ("The foreign minister of Portugal met his Spanish counterpart in Lisbon on Monday. "
           "The two governments agreed to cooperate on border controls and criticised the delay "
           "in European funding for the new rail link.")
FRENCH = ("Le président de la République a annoncé mardi une nouvelle série de mesures pour soutenir "
          "les agriculteurs, après plusieurs semaines de manifestations dans tout le pays. Le gouvernement "
          "prévoit également une aide de deux milliards d'euros pour le secteur agricole.")
RUSSIAN = ("Министр иностранных дел России в понедельник встретился со своим турецким коллегой в Анкаре. "
           "Стороны обсудили ситуацию на Ближнем Востоке и подписали соглашение о сотрудничестве.")
# Typographic punctuation that must survive decoding: curly quotes, dashes, no-break space, ellipsis.
TYPOGRAPHIC = ("Portugal\u2019s foreign minister said the talks were \u201cconstructive\u201d \u2014 "
               "a caf\u00e9 owner in Lisbon\u00a0agreed\u2026 ")


def text_doc(body: str, date: str = "2024-05-06", title: str = "Talks in Lisbon") -> str:
    return f"Date: {date}\nTitle: {title}\n\n{body}\n"


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def cases() -> dict[str, bytes]:
    english_utf8 = text_doc(TYPOGRAPHIC + ENGLISH)
    whole_jsonl = jsonl(*({"id": f"gz{i}", "text": ENGLISH, "date": "2024-05-06"} for i in range(40)))
    return {
        # Bad input: every one of these is reported with file, line and reason.
        "empty.txt": b"",
        "whitespace.md": b"  \n\n\t \n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "truncated.jsonl.gz": gzip.compress(whole_jsonl.encode("utf-8"), mtime=0)[:300],
        "malformed.jsonl": jsonl(
            {"id": "m1", "text": ENGLISH, "date": "2024-05-06"},
            '{"id": "m2", "text": "The talks broke off',
            [1, 2, 3],
            {"id": "m4", "title": "a record without text"},
            {"id": "m5", "text": ENGLISH, "date": "2024-02-30"},
            {"id": "m6", "text": ENGLISH, "date": "last Tuesday"},
            {"id": "m7", "text": "   "},
            {"id": "m8", "text": ENGLISH + " Later talks followed.", "date": "2024-05-07"}).encode("utf-8"),
        "no_text_column.csv": b"id,date,body\nc1,2024-05-06,The talks went on.\n",
        "rows.csv": ("id,date,text\n"
                     f"r1,2024-05-06,\"{ENGLISH}\"\n"
                     "r2,2024-05-06,\n"
                     f"r3,2024-05-06,\"Line one of a quoted cell.\n{ENGLISH}\"\n"
                     f"r4,9999-99-99,\"{ENGLISH}\"\n").encode("utf-8"),
        "impossible_date.txt": text_doc(ENGLISH, date="2023-02-29").encode("utf-8"),
        "french.txt": text_doc(FRENCH).encode("utf-8"),
        "russian.md": text_doc(RUSSIAN).encode("utf-8"),
        # Good input in awkward encodings: each is read and decoded correctly.
        "utf8_bom.txt": b"\xef\xbb\xbf" + english_utf8.encode("utf-8"),
        "utf16le_bom.txt": english_utf8.encode("utf-16"),        # Python writes LE with a BOM
        "utf16be_bom.txt": b"\xfe\xff" + english_utf8.encode("utf-16-be"),
        "utf16le_nobom.txt": english_utf8.encode("utf-16-le"),
        "cp1252.txt": english_utf8.replace("\u00a0", " ").encode("cp1252"),
        "latin1.txt": text_doc("A caf\u00e9 owner in Lisbon said: " + ENGLISH).encode("latin-1"),
        "page.html": PAGE.encode("utf-8"),
    }


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Portugal and Spain agree on border controls | The Example Times</title>
<link rel="canonical" href="https://news.example.org/2024/05/06/lisbon-talks">
<meta property="article:published_time" content="2024-05-06T09:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe today</a></nav>
<article><h1>Portugal and Spain agree on border controls</h1>
<p>The foreign minister of Portugal met his Spanish counterpart in Lisbon on Monday.</p>
<p>The two governments agreed to cooperate on border controls and criticised the delay in
European funding for the new rail link.</p></article>
<footer>Copyright 2024 The Example Times. Cookie settings. Privacy policy.</footer>
</body></html>
"""


def main() -> None:
    for name, data in cases().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
