"""Printing events for people (a table with the evidence sentence) and for tools (CSV, JSONL)."""
from __future__ import annotations

import json
import textwrap
from typing import TextIO


def _list(value) -> list:
    """DuckDB list columns arrive as arrays, lists, None or pandas NA."""
    if value is None or isinstance(value, (float, str)) or not hasattr(value, "__iter__"):
        return []
    return [str(v) for v in value]


def _codes(value) -> str:
    return "+".join(_list(value)) or "-"


def print_events(frame, fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        flat = frame.copy()
        for column in ("actor", "recipient", "actor_sector", "recipient_sector"):
            flat[column] = flat[column].map(lambda v: ";".join(_list(v)))
        flat.to_csv(out, index=False)
        return
    if fmt == "jsonl":
        for record in frame.to_dict(orient="records"):
            out.write(json.dumps(_jsonable(record), ensure_ascii=False) + "\n")
        return
    if frame.empty:
        out.write("no events match\n")
        return
    for row in frame.itertuples(index=False):
        when = str(row.date)[:10] if not _is_missing(row.date) and row.date is not None else "????-??-??"
        aux = f" [{row.aux}]" if isinstance(row.aux, str) else ""
        out.write(f"{when}  {_codes(row.actor):<12} {row.event:<9} {_codes(row.recipient):<12}"
                  f" cameo {row.cameo or '-':<4} conf {row.confidence:.2f}{aux}  ({row.doc_id})\n")
        sentence = " ".join(str(row.sentence_text).split())
        out.write(textwrap.indent(textwrap.fill(f"“{sentence}”", width=96), "    ") + "\n")


def _jsonable(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if key in ("actor", "recipient", "actor_sector", "recipient_sector"):
            value = _list(value)
        elif hasattr(value, "tolist"):
            value = value.tolist()
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if value is not None and not isinstance(value, (list, str)) and _is_missing(value):
            value = None
        out[key] = value
    return out


def _is_missing(value) -> bool:
    try:
        return bool(value != value) or str(value) in ("<NA>", "NaT")
    except (TypeError, ValueError):
        return False
