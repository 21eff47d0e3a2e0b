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
import stat
import sys
import zlib
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, TextIO

from diurna.ingest.articles import MAX_TEXT_CHARS, file_doc_id, make_article, str_or_none
from diurna.records import Item, Skip, content_id

TEXT_SUFFIXES = {".txt", ".md"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
HTML_SUFFIXES = {".html", ".htm"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES
class Readable(Protocol):
    """A binary stream: an open file, a gzip file, stdin's buffer."""

    def read(self, size: int = -1, /) -> bytes: ...


# A text file is one document: at most MAX_TEXT_CHARS characters of up to 4 bytes each.
TEXT_FILE_BYTES = 4 * MAX_TEXT_CHARS + 4
WHOLE_FILE_BYTES = 64 << 20     # read whole (exact encoding detection) up to this; larger: streamed
MAX_LINE_CHARS = 8 * MAX_TEXT_CHARS   # a JSON line holds one document, escapes and metadata included
MAX_CSV_ERRORS_IN_A_ROW = 20
_HEADER = re.compile(r"^(date|title|url|published)\s*:\s*(.*)$", re.IGNORECASE)


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Files, folders (walked, sorted) and globs → file paths; '-' stays '-'."""
    for item in inputs:
        if item == "-":
            yield item
        elif os.path.isdir(item):       # special files are listed too: read_path reports them
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
    """Every document of one file (or '-', stdin). A file is read whole up to
    ``WHOLE_FILE_BYTES`` after decompression; a larger one is read as a stream if it
    holds records (JSON Lines, CSV), one capped line or record at a time, and skipped
    otherwise: no input is ever read past its limit."""
    where = shown(path)
    if path == "-":
        yield from _read_stream("<stdin>", sys.stdin.buffer, None, default_date)
        return
    if not os.path.exists(path):
        yield Skip(where, "no such file or folder")
        return
    if not stat.S_ISREG(os.stat(path).st_mode):
        yield Skip(where, "not a regular file (a FIFO, device or socket); only regular files are read")
        return
    suffix = _suffix(path)
    if suffix not in KNOWN_SUFFIXES:
        yield Skip(where, f"unknown file type {suffix or '(none)'}; use .txt, .md, .html, .jsonl, .csv or .gz of these")
        return
    try:
        with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as stream:
            yield from _read_stream(where, stream, suffix, default_date)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(where, f"corrupt or truncated gzip ({exc})")
    except OSError as exc:
        yield Skip(where, f"cannot read file ({exc.strerror or exc})")


def shown(path: str) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not
    UTF-8 (which Python keeps as surrogates) become \\x escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_stream(where: str, stream: Readable, suffix: str | None, default_date: str | None) -> Iterator[Item]:
    head = stream.read(TEXT_FILE_BYTES + 1)
    suffix = suffix or _sniff_stdin(head)
    if suffix in TEXT_SUFFIXES and len(head) > TEXT_FILE_BYTES:
        yield Skip(where, f"document too long (over {TEXT_FILE_BYTES:,} bytes; limit {MAX_TEXT_CHARS:,} "
                   "characters); split it into articles")
        return
    if len(head) > TEXT_FILE_BYTES:
        head += stream.read(WHOLE_FILE_BYTES + 1 - len(head))
    if len(head) <= WHOLE_FILE_BYTES:
        yield from _read_bytes(where, head, suffix, default_date)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _stream_jsonl(where, _text_stream(head, stream), default_date)
    elif suffix == ".csv":
        yield from _read_csv(where, _text_stream(head, stream), default_date)
    else:
        yield Skip(where, f"document too long (over {WHOLE_FILE_BYTES:,} bytes; limit {MAX_TEXT_CHARS:,} "
                   "characters); split it into articles")


def _text_stream(head: bytes, rest: Readable) -> TextIO:
    """The text of a large record file, read as it is consumed: the encoding comes from a
    byte-order mark or UTF-16's zero bytes in the head, else UTF-8 (bad bytes replaced)."""
    encoding = next((e for bom, e in _BOMS if head.startswith(bom)), None) or _guess_utf16(head) or "utf-8-sig"
    return io.TextIOWrapper(io.BufferedReader(_Joined(head, rest)), encoding=encoding, errors="replace", newline="")


class _Joined(io.RawIOBase):
    """Bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: Readable):
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


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
        # trafilatura (slow to import) only for HTML input
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
        except UnicodeDecodeError as exc:
            if candidate == "utf-8" and (exc.reason == "unexpected end of data" or exc.start == len(data) - 1):
                # a file cut inside its last character: UTF-8 all the same, the stump replaced
                return data[:exc.start].decode("utf-8", errors="replace") + "\ufffd"
        except LookupError:
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
        if line.strip():
            yield _jsonl_record(f"{where}:{number}", line, default_date)


def _stream_jsonl(where: str, text: TextIO, default_date: str | None) -> Iterator[Item]:
    """JSON Lines read a line at a time; a line over ``MAX_LINE_CHARS`` is skipped after
    reading that much of it (the rest of it is read and dropped, never kept)."""
    number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            while (more := text.readline(MAX_LINE_CHARS)) and not more.endswith("\n"):
                pass
            yield Skip(f"{where}:{number}", f"line too long (over {MAX_LINE_CHARS:,} characters); "
                       "split the document into articles")
        elif line.strip():
            yield _jsonl_record(f"{where}:{number}", line, default_date)


def _jsonl_record(place: str, line: str, default_date: str | None) -> Item:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = f"{exc.msg}: column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return Skip(place, f"malformed JSON ({detail})")
    if not isinstance(record, dict):
        return Skip(place, "not a JSON object (each line needs 'id' and 'text')")
    return _article_from_record(place, record, default_date)


def _read_csv(where: str, text: str | TextIO, default_date: str | None) -> Iterator[Item]:
    # Long articles are legal in a cell; the length check reports the absurd ones. The
    # limit is the csv module's only setting, global: raised while this file is read.
    limit = csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_TEXT_CHARS))
    try:
        yield from _csv_records(where, text, default_date)
    finally:
        csv.field_size_limit(limit)


def _csv_records(where: str, text: str | TextIO, default_date: str | None) -> Iterator[Item]:
    reader = csv.DictReader(io.StringIO(text, newline="") if isinstance(text, str) else text)
    try:
        columns = {c.strip().lower() for c in (reader.fieldnames or []) if c}
    except csv.Error as exc:
        yield Skip(f"{where}:1", f"malformed CSV ({exc})")
        return
    if "text" not in columns:
        yield Skip(where, f"CSV has no 'text' column (columns: {', '.join(sorted(columns)) or 'none'})")
        return
    first_line, errors_in_a_row = reader.line_num + 1, 0
    while True:
        # A quoted cell may span lines: report the line where the record starts.
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:       # one bad record (a field over the limit…): the rest are read
            yield Skip(f"{where}:{first_line}", f"malformed CSV ({exc})")
            errors_in_a_row += 1
            if errors_in_a_row >= MAX_CSV_ERRORS_IN_A_ROW:
                yield Skip(where, f"gave up after {errors_in_a_row} malformed CSV records in a row")
                return
        else:
            errors_in_a_row = 0
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            yield _article_from_record(f"{where}:{first_line}", record, default_date)
        first_line = reader.line_num + 1


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
