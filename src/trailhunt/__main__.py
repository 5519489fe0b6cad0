"""``python -m trailhunt``: the ``trailhunt`` command."""

import sys

from trailhunt.cli import main

sys.exit(main())
