"""Many bodies, one portal: each body's site built on its own (a job of its own in CI), then the portal's pages, its
cross-body search and comparison, and its open data made from what the bodies' jobs wrote (docs/portal.md)."""
