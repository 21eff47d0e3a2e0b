"""Public code tables the exports add to an event: the Goldstein scale value of its
CAMEO code (as GDELT assigns it), and the Gleditsch–Ward and Correlates of War codes
of a state given by its ISO alpha-3 code.

The tables are data in ``analysis/data`` (their sources are named in the README.md
beside them), read once. A code a table does not list has no value: an IGO, an armed
group, a territory outside both state lists, a GW microstate (see the README).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class StateCodes:
    gw_num: int | None = None       # Gleditsch & Ward state number, e.g. 365
    gw_code: str | None = None      # its letter code, e.g. RUS
    cow_num: int | None = None      # Correlates of War ccode, e.g. 365
    cow_code: str | None = None     # COW state abbreviation, e.g. RUS


NO_CODES = StateCodes()


def goldstein(cameo: str | None) -> float | None:
    """The Goldstein scale value GDELT gives this CAMEO code (-10…10), or None."""
    return _goldstein().get(cameo or "")


def state_codes(iso3: str | None) -> StateCodes:
    return _states().get(iso3 or "", NO_CODES)


@lru_cache(maxsize=1)
def _goldstein() -> dict[str, float]:
    return {row["cameo"]: float(row["goldstein"]) for row in _rows("cameo_goldstein.tsv")}


@lru_cache(maxsize=1)
def _states() -> dict[str, StateCodes]:
    return {row["iso3"]: StateCodes(_int(row["gw_num"]), row["gw_code"] or None,
                                    _int(row["cow_num"]), row["cow_code"] or None)
            for row in _rows("state_codes.tsv")}


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("diurna.analysis").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t"))


def _int(value: str) -> int | None:
    return int(value) if value else None
