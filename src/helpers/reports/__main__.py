"""``python -m helpers.reports``: the command line of :mod:`helpers.reports.cli`."""

import sys

from helpers.reports.cli import main

sys.exit(main())
