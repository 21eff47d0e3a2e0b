"""Reading documents: files, folders, globs and stdin, in txt/md/html/jsonl/csv (optionally .gz).

Readers never raise for one bad document: they yield a ``Skip`` naming the file,
line and reason, and go on with the rest. Bytes are decoded by ``decode_bytes``
(BOMs, UTF-16, UTF-8, Windows-1252/Latin-1); text that is plainly not English is skipped.
"""
from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from diurna.ingest.articles import MAX_TEXT_CHARS, file_doc_id, make_article, str_or_none
from diurna.records import Item, Skip, content_id

TEXT_SUFFIXES = {".txt", ".md"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
HTML_SUFFIXES = {".html", ".htm"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES
_HEADER = re.compile(r"^(date|title|url|published)\s*:\s*(.*)$", re.IGNORECASE)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Files, folders (walked, sorted) and globs → file paths; '-' stays '-'."""
    for item in inputs:
        if item == "-":
            yield item
        elif os.path.isdir(item):
            for root, dirs, files in os.walk(item):
                dirs.sort()
                for name in sorted(files):
                    if _suffix(name) in KNOWN_SUFFIXES:
                        yield os.path.join(root, name)
        elif any(ch in item for ch in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            yield from (m for m in matches if os.path.isfile(m))
            if not matches:
                yield item  # reported as missing by read_path
        else:
            yield item


def read_inputs(inputs: Iterable[str], default_date: str | None = None) -> Iterator[Item]:
    for path in expand_inputs(inputs):
        yield from read_path(path, default_date)


def read_path(path: str, default_date: str | None = None) -> Iterator[Item]:
    if path == "-":
        data = sys.stdin.buffer.read()
        yield from _read_bytes("<stdin>", data, _sniff_stdin(data), default_date)
        return
    if not os.path.exists(path):
        yield Skip(path, "no such file or folder")
        return
    suffix = _suffix(path)
    if suffix not in KNOWN_SUFFIXES:
        yield Skip(path, f"unknown file type {suffix or '(none)'}; use .txt, .md, .html, .jsonl, .csv or .gz of these")
        return
    try:
        data = Path(path).read_bytes()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(path, f"corrupt or truncated gzip ({exc})")
        return
    except OSError as exc:
        yield Skip(path, f"cannot read file ({exc.strerror or exc})")
        return
    yield from _read_bytes(path, data, suffix, default_date)


def _read_bytes(where: str, data: bytes, suffix: str, default_date: str | None) -> Iterator[Item]:
    text = decode_bytes(data, _declared_charset(data) if suffix in HTML_SUFFIXES else None)
    if not text.strip():
        yield Skip(where, "empty file")
        return
    if _looks_binary(text):
        yield Skip(where, "binary content, not text")
        return
    if suffix in (".jsonl", ".ndjson"):
        yield from _read_jsonl(where, text, default_date)
    elif suffix == ".csv":
        yield from _read_csv(where, text, default_date)
    elif suffix in HTML_SUFFIXES:
        from diurna.ingest.html import article_from_html
        yield article_from_html(where, text, default_date)
    else:
        yield _read_text_document(where, text, default_date)


# -- encodings ------------------------------------------------------------------
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes → text: a byte-order mark wins, then a declared charset, UTF-16 without a BOM
    (recognised by its zero bytes), strict UTF-8, Windows-1252, and Latin-1 (which never fails)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    for candidate in (declared, _guess_utf16(data), "utf-8", "cp1252"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def _guess_utf16(data: bytes) -> str | None:
    """Mostly-Latin UTF-16 has a zero in every other byte: odd positions for LE, even for BE."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zeros_even = sample[0::2].count(0) / pairs
    zeros_odd = sample[1::2].count(0) / pairs
    if zeros_odd > 0.3 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.3 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _looks_binary(text: str) -> bool:
    """Zero characters, or many control characters, mean the bytes were not text."""
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or "\x7f" <= ch < "\xa0")
    return controls > max(8, len(sample) // 20)


def _read_text_document(where: str, text: str, default_date: str | None) -> Item:
    headers, body = _split_headers(text)
    published = headers.get("date") or headers.get("published") or default_date
    return make_article(where, file_doc_id(where, body), body, published, headers.get("url"), headers.get("title"))


def _split_headers(text: str) -> tuple[dict[str, str], str]:
    """Leading 'Key: value' lines (Date, Title, URL) → headers; the rest is the body."""
    headers: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    consumed = 0
    for line in lines:
        match = _HEADER.match(line.strip())
        if not match or match.group(1).lower() in headers:
            break
        headers[match.group(1).lower()] = match.group(2).strip()
        consumed += len(line)
    return headers, text[consumed:].lstrip("\r\n")


def _read_jsonl(where: str, text: str, default_date: str | None) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        place = f"{where}:{number}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = f"{exc.msg}: column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield Skip(place, f"malformed JSON ({detail})")
            continue
        if not isinstance(record, dict):
            yield Skip(place, "not a JSON object (each line needs 'id' and 'text')")
            continue
        yield _article_from_record(place, record, default_date)


def _read_csv(where: str, text: str, default_date: str | None) -> Iterator[Item]:
    # Long articles are legal in a cell; the length check reports the absurd ones. The
    # limit is the csv module's only setting, global: raised while this file is read.
    limit = csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_TEXT_CHARS))
    try:
        yield from _csv_records(where, text, default_date)
    finally:
        csv.field_size_limit(limit)


def _csv_records(where: str, text: str, default_date: str | None) -> Iterator[Item]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        columns = {c.strip().lower() for c in (reader.fieldnames or []) if c}
    except csv.Error as exc:
        yield Skip(f"{where}:1", f"malformed CSV ({exc})")
        return
    if "text" not in columns:
        yield Skip(where, f"CSV has no 'text' column (columns: {', '.join(sorted(columns)) or 'none'})")
        return
    first_line = reader.line_num + 1
    try:
        for row in reader:
            # A quoted cell may span lines: report the line where the record starts.
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            yield _article_from_record(f"{where}:{first_line}", record, default_date)
            first_line = reader.line_num + 1
    except csv.Error as exc:
        yield Skip(f"{where}:{first_line}", f"malformed CSV ({exc})")


def _article_from_record(place: str, record: dict, default_date: str | None) -> Item:
    text = record.get("text")
    raw_id = record.get("id", record.get("doc_id"))
    if not isinstance(text, str):
        return Skip(place, "no 'text' field", doc_id=str_or_none(raw_id))
    doc_id = str_or_none(raw_id) or content_id(text)
    published = str_or_none(record.get("published")) or str_or_none(record.get("date")) or default_date
    return make_article(place, doc_id, text, published,
                        str_or_none(record.get("url")), str_or_none(record.get("title")))


def source_file(where: str) -> str:
    """The file part of a location: "news.jsonl:12" → "news.jsonl"."""
    return re.sub(r":\d+$", "", where)


def _suffix(path: str) -> str:
    name = path[:-3] if path.endswith(".gz") else path
    return Path(name).suffix.lower()


def _sniff_stdin(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return {b"{": ".jsonl", b"<": ".html"}.get(head, ".txt")
