"""Errors an import stops on: the person at the terminal can fix them."""


class ImportFileError(Exception):
    """The export or feed cannot be read at all; nothing was imported."""


class ItemError(Exception):
    """One item cannot be imported; it is skipped with this reason and the rest go on."""
