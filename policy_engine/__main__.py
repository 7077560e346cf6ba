"""`python -m policy_engine` — see cli.py."""

import sys

from policy_engine.cli import main

if __name__ == "__main__":  # the chart worker (figures.py) re-imports this module when it starts
    sys.exit(main())
