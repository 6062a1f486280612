"""The ``seikg`` command line: one module per command group; ``main`` is the entry point."""
from kg.cli.main import main

__all__ = ["main"]
