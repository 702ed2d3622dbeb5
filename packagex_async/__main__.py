"""``python -m packagex_async``: the command line (see ``_cli``)."""

import sys

from ._cli import main

sys.exit(main())
