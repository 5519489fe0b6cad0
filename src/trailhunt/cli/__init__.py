"""The ``trailhunt`` command line: argument parsing and exit codes only."""

from trailhunt.cli.main import main

__all__ = ["main"]
