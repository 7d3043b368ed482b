"""Build the Storyline digest: `python build.py --help`."""

import sys

from storyline.cli import main

if __name__ == "__main__":
    sys.exit(main())
