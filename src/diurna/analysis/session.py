"""The Python API's ``Store``: the event store with the analysis layer's questions as methods."""
from __future__ import annotations

from typing import Any

import pandas as pd

from diurna.analysis.counts import dyads, make_filters
from diurna.store import database
from diurna.store.query import events


class Store(database.Store):
    """``diurna.Store``: a store you can ask questions of, with keyword filters as in
    ``Filters.parse`` (``actor="RUS"``, ``since="2024-07-01"``, ``quad_class=4`` …)."""

    def events(self, limit: int | None = None, **filters: Any) -> pd.DataFrame:
        """Raw per-sentence event records, newest first."""
        return events(self.con, make_filters(**filters), limit=limit)

    def dyads(self, by: str = "month", actor: Any = None, recipient: Any = None, **filters: Any) -> pd.DataFrame:
        """Deduplicated counts per actor→recipient pair and period (see analysis.counts.dyads)."""
        return dyads(self.con, make_filters(**filters), by=by, actor=actor, recipient=recipient)
