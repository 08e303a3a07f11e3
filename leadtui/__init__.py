"""Work a queue of marketing-qualified leads from the terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leadtui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
