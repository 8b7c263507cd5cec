"""Stage 3a, web: facts → page sources (Markdown with HTML blocks), open data and reference pages."""
