"""Scoring the coder against gold data: the dev format and the peers' formats."""
