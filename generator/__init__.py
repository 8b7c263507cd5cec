"""阳光公示: turn a public body's power catalogue, flows, risks and commitments into a site and wall boards."""
