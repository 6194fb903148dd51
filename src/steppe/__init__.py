"""steppe: open event data from Eurasian news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("steppe")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
