"""Stage 4, the site: one build session from a body's data folder to its finished site folder (session.py), the record
pages stamped into the frames the engine renders (stamp.py), their links and the sitemap, the search index, and the
one cache every product keeps its work in (cache.py). Nothing here imports the site engine."""
