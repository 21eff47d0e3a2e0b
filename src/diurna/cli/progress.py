"""A progress bar on a terminal; silence everywhere else."""
from __future__ import annotations

import sys


class Progress:
    def __init__(self, enabled: bool, unit: str = "doc"):
        self._bar = None
        if enabled:
            from tqdm import tqdm
            self._bar = tqdm(unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def write(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
