"""The ``trailhunt`` command line: argument parsing and exit codes only."""

from trailhunt.cli.commands import main as main
