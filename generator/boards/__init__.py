"""Stage 3b, boards: facts → wall-board PDFs, typeset by Typst (templates/*.typ)."""
