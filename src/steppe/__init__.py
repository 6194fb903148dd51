"""steppe: open event data from Eurasian news.

    import steppe
    events = steppe.load("events")          # a table of the latest release, typed
    con = steppe.connect()                   # DuckDB views over every table
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("steppe")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def load(table, version="latest", root=None):
    """One table of a published release as a typed pandas DataFrame (see steppe.loader.load)."""
    from steppe.loader import load as _load

    return _load(table, version, root)


def load_release(version="latest", root=None):
    """Every table of a published release, by name."""
    from steppe.loader import load_release as _load_release

    return _load_release(version, root)


def connect(version="latest", root=None):
    """An in-memory DuckDB connection with one view per table of a published release."""
    from steppe.loader import connect as _connect

    return _connect(version, root)
