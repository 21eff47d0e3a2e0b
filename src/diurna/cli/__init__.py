"""`diurna` on the command line: one module per command, shared options in ``options``."""
from __future__ import annotations

from diurna.cli.main import main
from diurna.cli.options import EXIT_ERROR, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_SKIPPED"]
