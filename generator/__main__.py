"""阳光公示: turn a public body's power catalogue, flows, risks and commitments into a site and wall boards."""
import sys

from .cli import main

if __name__ == "__main__":  # not when a spawned worker process loads this module again
    sys.exit(main())
