"""Document fingerprints for near-duplicate detection (see dedup.py): a text's 5-word
shingles, their MinHash signature, and the signature's LSH band buckets.

Only numpy and the standard library, so that workers of a parallel run can fingerprint
the documents they code and the driver only stores the buckets.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 128
BANDS = 32                         # 32 bands × 4 rows: a pair at J=0.7 shares a band with p>0.9998
_PRIME = (1 << 31) - 1             # hash values are reduced mod this prime so products fit in uint64
_rng = np.random.default_rng(20240601)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")

Bands = list[tuple[int, int]]      # (band, bucket) pairs, as stored in document_lsh


def shingles(text: str, width: int = SHINGLE_WORDS) -> set[int]:
    """Hashes of the overlapping ``width``-word runs of the normalised text."""
    words = _WORD.findall(text.lower())
    if len(words) < width:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + width]).encode()) for i in range(len(words) - width + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def minhash(hashes: set[int]) -> np.ndarray:
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes)) % np.uint64(_PRIME)
    return np.asarray(((np.outer(_A, values) + _B[:, None]) % np.uint64(_PRIME)).min(axis=1))


def lsh_buckets(signature: np.ndarray) -> list[int]:
    """One bucket hash per band: documents sharing any bucket are candidates."""
    rows = PERMUTATIONS // BANDS
    return [zlib.crc32(signature[i * rows:(i + 1) * rows].tobytes()) for i in range(BANDS)]


def bands(hashes: set[int]) -> Bands:
    """The (band, bucket) rows of a shingle set."""
    if not hashes:
        return [(-1, 0)]           # marks an empty document as fingerprinted
    return list(enumerate(lsh_buckets(minhash(hashes))))


def fingerprint(text: str) -> Bands:
    return bands(shingles(text))
