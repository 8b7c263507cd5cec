"""Stage 1, records: data/ → (Dataset, Report).

The field registry, file readers, value conversion, typed records and the
checks that locate every problem. Nothing here renders: no Jinja, Typst or
MkDocs (a test keeps it so).
"""
