"""Errors raised for bad input. Every message names the file (and sheet, row, header or value) at fault."""


class DataError(Exception):
    """A raw or processed data file does not fit what the pipeline expects."""


class SourceError(Exception):
    """A raw file could not be obtained or failed verification."""
