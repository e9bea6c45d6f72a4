"""Domain exceptions.  The CLI turns each into one line naming the file and the reason."""

from __future__ import annotations


class PapertrailError(Exception):
    """Base of every error papertrail reports to a user."""


class ParseError(PapertrailError):
    """A file could not be parsed; nothing of it is stored."""


class EmptyFileError(ParseError):
    """The file has no bytes."""


class UnsupportedFormatError(ParseError):
    """The content is none of the formats papertrail reads."""


class DamagedFileError(ParseError):
    """The file is truncated or corrupt."""


class EncryptedFileError(ParseError):
    """The file is password-protected."""


class FormatMismatchError(ParseError):
    """The extension promises a format the content is not."""


class ResourceLimitError(ParseError):
    """The file exceeded a time, memory or size limit while parsing."""


class MissingToolError(ParseError):
    """Reading the file needs a program that is not installed (LibreOffice, Tesseract)."""
