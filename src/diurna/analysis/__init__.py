"""Questions about a store: deduplicated counts, timelines, networks, exports, rendering.

``from diurna import analysis`` gives the counting functions of ``analysis.counts``.
"""
from __future__ import annotations

from diurna.analysis.counts import (dyads, make_filters, network, network_json, selected_events, timeline,
                                    top_actors, write_gexf, write_graphml)

__all__ = ["dyads", "make_filters", "network", "network_json", "selected_events", "timeline", "top_actors",
           "write_gexf", "write_graphml"]
