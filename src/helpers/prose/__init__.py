"""The computed "what we saw" prose of the notebooks: one module per notebook."""
