"""The one table of formats: every consumer reads it, so names, aliases and media types cannot drift."""
from __future__ import annotations

import pytest

from kg.errors import InvalidArgument
from kg.build.export import FORMATS as EXPORT_FORMATS
from kg.store.embedded import RESULT_FORMATS
from kg.model.formats import FORMATS, format_named, media_types


def test_formats_names_and_aliases_are_unique() -> None:
    names = [alias for fmt in FORMATS for alias in (fmt.name, *fmt.aliases)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_formats_each_has_an_engine_name(fmt) -> None:
    assert fmt.oxigraph_format() is not None and fmt.rdflib and fmt.suffix.startswith(".")


def test_formats_consumers_read_the_table() -> None:
    for name, (media, holds) in RESULT_FORMATS.items():
        assert format_named(name).media_type == media and format_named(name).holds == holds
    for name, (rdflib_name, suffix, _) in EXPORT_FORMATS.items():
        assert (format_named(name).rdflib, format_named(name).suffix) == (rdflib_name, suffix)
    assert media_types("graph")["application/ld+json"] == "jsonld"


def test_formats_unknown_name_is_a_bad_argument() -> None:
    with pytest.raises(InvalidArgument, match="format: 'bogus' is not one of turtle, nquads"):
        format_named("bogus", among=("turtle", "nquads"))
