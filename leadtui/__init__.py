"""Work a queue of marketing-qualified leads from the terminal."""


def __getattr__(name: str) -> str:
    """`leadtui.__version__`, read from the installed package's metadata when first
    asked for: importlib.metadata costs the app's start more than it is worth."""
    if name != "__version__":
        raise AttributeError(f"module 'leadtui' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("leadtui")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
