"""Stage 2, facts: what follows from a valid Dataset, computed once per build.

The public view (non-public records removed), links both ways, commitment
status, page and board paths. Pure Python; every renderer reads these.
"""
