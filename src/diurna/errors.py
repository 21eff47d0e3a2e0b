"""Diurna's errors. Each message says what was wrong, where, and what to do."""
from __future__ import annotations


class DiurnaError(Exception):
    """Base class of every error Diurna raises: the CLI prints the message and exits
    non-zero, the HTTP API answers with its message."""


class InputError(DiurnaError):
    """An input file or document could not be read."""

    def __init__(self, where: str, reason: str, hint: str = ""):
        self.where, self.reason, self.hint = where, reason, hint
        super().__init__(f"{where}: {reason}" + (f" ({hint})" if hint else ""))


class SkippedDocument(InputError):
    """One document was skipped; the run goes on and the summary counts it."""


class ModelError(DiurnaError):
    """The spaCy pipeline could not be loaded."""


class KnowledgeBaseError(DiurnaError):
    """An actor file is malformed."""


class LexiconError(DiurnaError):
    """The trigger lexicon or a word list (events/data, nlp/data) is malformed."""


class InvalidValue(DiurnaError, ValueError):
    """A value given to a library function is not valid (a date, a choice among options)."""


class FilterError(InvalidValue):
    """A filter value (CLI option or API query parameter) is not valid: a usage error."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


class StoreError(DiurnaError):
    """The event store could not be opened or written."""


class MissingExtra(DiurnaError):
    """An optional feature needs packages that are not installed."""

    def __init__(self, feature: str, extra: str):
        super().__init__(f"{feature} needs optional packages: run  pip install 'diurna[{extra}]'")
