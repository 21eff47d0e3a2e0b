"""`python -m diurna`: the command line, as the `diurna` console script."""
from __future__ import annotations

import sys

from diurna.cli import main

sys.exit(main())
