"""Diurna: news text in, PLOVER political event data out."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Coder", "Store", "Filters", "__version__"]


def __getattr__(name: str):
    # Lazy, so `import diurna` stays cheap and does not load spaCy.
    if name == "Coder":
        from diurna.events.coder import Coder
        return Coder
    if name == "Store":
        from diurna.analysis.session import Store
        return Store
    if name == "Filters":
        from diurna.store.query import Filters
        return Filters
    raise AttributeError(name)
