"""The computed "what we saw" sections of the notebooks: one module per notebook.

Each module turns the tables its notebook has already computed into a short list of
sentences (:func:`helpers.display.bullets`), every number computed, every corpus value
escaped and isolated (:func:`helpers.display.bdi`), and where the corpus is too small for
an analysis the sentence says so instead of reporting a number that means nothing.

- ``load_and_clean`` (01): :func:`what_we_saw`
- ``explore`` (02): :func:`what_we_saw_explore`
- ``statistics`` (03): :func:`what_we_saw_statistics`
- ``charts`` (04): :func:`what_we_saw_charts`
- ``compare_sources`` (05) and ``scale_out`` (06)
- ``sentences``: the small sentence pieces the modules share (counts with their noun, the
  closing "too few articles" sentence, ...)

Prose computes sentences, not analyses: it reads the tables it is given and imports the
analyses only for what they already define (``helpers.overview`` for counts per outlet).
Nothing here touches the disk. The public functions are reachable as ``helpers.<name>``.
"""
