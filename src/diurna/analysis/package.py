"""Frictionless Data Package descriptors (``datapackage.json``) for exports written to
files: what each file is, its columns with their Table Schema types and meanings, and
where the data came from (coder version, knowledge-base date, filters, licence).

Data Package v1 and Table Schema v1 (specs.frictionlessdata.io); the export tests
validate the descriptors and the data with the ``frictionless`` package.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from diurna import __version__
from diurna.settings import KNOWLEDGE_BASE_DATE
from diurna.store.query import Filters

# Arrow type names (store/rows.py's spelling) → Table Schema types.
_TABLE_TYPES = {"string": "string", "int32": "integer", "int64": "integer", "float64": "number",
                "date32": "date", "bool": "boolean", "timestamp": "datetime"}
# Files by format: (media type, Table Schema dialect or None).
MEDIA = {
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", {"delimiter": "\t"}),
    "jsonl": ("application/x-ndjson", None),
    "parquet": ("application/vnd.apache.parquet", None),
}
NOT_SPECIFIED = {"name": "notspecified", "title": "Licence not specified: the events quote the "
                 "coded documents, whose terms are their publishers'; give one with --license"}


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    type: str           # an Arrow type name ("list<string>" for lists) or a Table Schema type
    description: str

    def table_schema(self, lists_as_text: bool = False) -> dict[str, str]:
        """The Table Schema field; a list is an ``array``, or a ``string`` where it is
        written joined with ';' (CSV)."""
        if self.type.startswith("list<"):
            kind = "string" if lists_as_text else "array"
        else:
            kind = _TABLE_TYPES.get(self.type, self.type)
        return {"name": self.name, "type": kind, "description": self.description}


def resource(name: str, path: str, fmt: str, fields: list[Field], header: bool = True,
             lists_as_text: bool = False) -> dict[str, Any]:
    """One data file: ``path`` relative to the descriptor, ``fmt`` a key of MEDIA."""
    mediatype, dialect = MEDIA[fmt]
    out: dict[str, Any] = {"name": name, "path": path, "format": fmt, "mediatype": mediatype,
                           "encoding": "utf-8", "profile": "tabular-data-resource"}
    if dialect is not None or not header:
        out["dialect"] = {**(dialect or {}), "header": header}
    out["schema"] = {"fields": [f.table_schema(lists_as_text) for f in fields], "missingValues": [""]}
    return out


def write_descriptor(path: Path, resources: list[dict[str, Any]], export_format: str, f: Filters,
                     license: str | None = None) -> None:
    descriptor = {
        "profile": "tabular-data-package",
        "name": "diurna-events",
        "title": f"Diurna event data ({export_format})",
        "description": "Political events coded from news text by Diurna; every column is "
                       "described in Diurna's docs/exports.md.",
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "licenses": [{"name": license} if license else NOT_SPECIFIED],
        "sources": [{"title": "Diurna event store, coded with Diurna's actor knowledge base "
                              f"as of {KNOWLEDGE_BASE_DATE}"}],
        # Diurna's own properties (the Data Package spec allows more than its own).
        "diurna": {"version": __version__, "knowledge_base_date": KNOWLEDGE_BASE_DATE,
                   "format": export_format, "filters": _filters(f)},
        "resources": resources,
    }
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _filters(f: Filters) -> dict[str, Any]:
    """The filters that select something (defaults left out), in JSON values."""
    chosen = {}
    for spec in dataclasses.fields(f):
        value = getattr(f, spec.name)
        if value != spec.default:
            chosen[spec.name] = list(value) if isinstance(value, tuple) else \
                value.isoformat() if hasattr(value, "isoformat") else value
    return chosen
