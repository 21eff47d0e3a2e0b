"""`diurna actors lookup NAME`: what a name resolves to on a date, and why."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from diurna.actors.sources import load_kb


def explain(name: str, on: date, user_files: Iterable[str | Path] = ()) -> str:
    # spaCy is loaded only when a name is looked up
    from diurna.nlp.pipeline import Parser, load_pipeline
    from diurna.actors.resolve import resolve_mentions

    kb = load_kb(user_files)
    lines = [f"{name!r} on {on.isoformat()}:"]
    hits = kb.lookup(name)
    for hit in hits:
        entry = hit.entry
        lines.append(f"  entry {entry.key} ({hit.form}) from {entry.source}")
        for role in entry.roles:
            mark = "*" if role.holds_on(on) else " "
            lines.append(f"   {mark} {role.code}/{role.sector or '-'} {role.office or ''} "
                         f"{role.start or '…'} – {role.end or 'now'}")
    doc = Parser(load_pipeline(), titles=kb.title_words())(name)
    mentions = resolve_mentions(doc, kb, on)
    if not mentions:
        lines.append("  resolves to nothing: not in the knowledge base and no title or country around it")
    for mention in mentions:
        ref = mention.ref
        lines.append(f"  → {ref.text!r}: code {ref.code or 'unresolved'}, sector {ref.sector or '-'}, "
                     f"office {ref.office or '-'}  [{ref.why}]")
    return "\n".join(lines)
