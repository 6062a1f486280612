"""SPARQL text: the named queries (``queries/*.rq``), the screen every user query passes, and the examples."""
