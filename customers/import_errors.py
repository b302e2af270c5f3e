"""The error of an import file that cannot be read as a whole (the readers and the import)."""


class ImportFileError(Exception):
    """The file as a whole cannot be imported (its kind, encoding, header); nothing was changed."""
