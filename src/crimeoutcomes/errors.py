"""Errors for expected failures. Each message is one clear line (what, where, what to do); the command line
prints it without a traceback (unless --debug) and exits non-zero."""


class UserError(Exception):
    """An expected failure the user can fix: bad input, missing data, a busy lock."""


class DataError(UserError):
    """A raw, processed or configuration file does not fit what the pipeline expects."""


class SourceError(UserError):
    """A raw file could not be obtained or failed verification, or the sources manifest is malformed."""


class BusyError(UserError):
    """Another run holds the lock on the same output."""
