"""The model: what the graph holds, declared once, and read by every layer above it.

* :mod:`kg.model.kinds`: every kind of entity (its class, IRI slug, API name, filters, example id, style key)
  and every link predicate with its field names in both directions;
* :mod:`kg.model.formats`: every serialisation (name, aliases, media types, engine names, suffix).

Nothing here imports another seikg package: the model is the bottom layer.
"""
