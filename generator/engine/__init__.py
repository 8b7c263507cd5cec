"""Stage 4, engine: the only MkDocs-aware code — the plugin, the atomic build, the search index."""
