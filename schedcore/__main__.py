"""``python -m schedcore``: the ``schedcore`` command line, see :mod:`schedcore.cli`."""

import sys

from schedcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
