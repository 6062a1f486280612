"""Build: curated YAML read with line numbers, turned into RDF statements with evidence, and exported."""
