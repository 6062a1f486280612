"""The interface in English and Chinese: gettext catalogs (Babel) read by Jinja2's i18n extension.

Every UI string of the templates is marked (``{{ _("…") }}``); its Chinese is in
``api/translations/zh/LC_MESSAGES/messages.po``. The names the pages take from the registries (kinds,
filters, link and value headings, support levels: :func:`registry_messages`) are in ``registry.po`` beside
it. Babel reads both and compiles them in memory when an app is built (no compiled ``.mo`` is kept). A page's language is its ``lang`` parameter (``?lang=zh``), kept in the
URL: the header's switch sets it, and the page carries it on to its links and forms. With Chinese chosen,
pages put Chinese labels first wherever the graph has them.

Update the catalog after changing the templates (``tests/api/test_i18n.py`` fails until every string has
its Chinese)::

    .venv/bin/pybabel extract -F api/translations/babel.cfg -o api/translations/messages.pot api/templates
    .venv/bin/pybabel update -i api/translations/messages.pot -d api/translations -l zh
"""
from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from starlette.requests import Request

__all__ = ["CATALOG_DIR", "DOMAINS", "LANGUAGES", "install_translations", "language_of", "load_translations",
           "registry_messages"]

#: language code -> its name, in itself; the first is the default
LANGUAGES = {"en": "English", "zh": "中文"}
#: where the catalogs are: <lang>/LC_MESSAGES/<domain>.po
CATALOG_DIR = Path(__file__).with_name("translations")
#: the catalogs of each language: the templates' strings (pybabel-managed) and the registries' names
DOMAINS = ("messages", "registry")


def load_translations(folder: Path = CATALOG_DIR) -> dict[str, NullTranslations]:
    """Each language's translations, compiled in memory from its ``.po`` file (English is the source text).

    Raises
    ------
    FileNotFoundError
        If a language other than English has no catalog.
    """
    found: dict[str, NullTranslations] = {"en": NullTranslations()}
    for code in LANGUAGES:
        if code == "en":
            continue
        merged: Translations | None = None
        for domain in DOMAINS:
            with open(folder / code / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
                catalog = read_po(po, locale=code)
            compiled = BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            translations = Translations(compiled, domain=domain)
            merged = translations if merged is None else merged.merge(translations)
        found[code] = merged or NullTranslations()
    return found


def registry_messages() -> set[str]:
    """The English names pages show from the registries, each of which ``registry.po`` translates: the kinds'
    titles, the filters' and facets' names, the links' and values' headings, and the support levels."""
    from kg.model.kinds import KINDS, LINKS
    from kg.reading.entities import VALUE_TITLES

    names = {kind.title for kind in KINDS.values()} | {"year", "type", "stated", "implied", "resolved"}
    names |= {f.name.replace("_", " ") for kind in KINDS.values() for f in kind.filters}
    names |= {link.title(direction) for link in LINKS.values() for direction in ("out", "in")}
    return names | set(VALUE_TITLES.values())


def language_of(request: Request) -> str:
    """The language a request asks for: its ``lang`` parameter if it is one of :data:`LANGUAGES`, else English."""
    code = request.query_params.get("lang", "")
    return code if code in LANGUAGES else next(iter(LANGUAGES))


def install_translations(env: Environment, translations: dict[str, NullTranslations]) -> Callable[[Request], dict]:
    """Give ``env`` gettext functions that translate into the language of the page being rendered, and return
    the context processor that tells each page its language and the switch's links."""
    env.add_extension("jinja2.ext.i18n")

    @pass_context
    def gettext(context: Any, message: str) -> str:
        return translations[context.get("lang", "en")].gettext(message)

    @pass_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        return translations[context.get("lang", "en")].ngettext(singular, plural, n)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]

    def language_context(request: Request) -> dict[str, object]:
        lang = language_of(request)
        switch = {}
        for code in LANGUAGES:
            url = request.url.include_query_params(lang=code) if code != "en" else request.url.remove_query_params("lang")
            switch[code] = url.path + (f"?{url.query}" if url.query else "")
        return {"lang": lang, "languages": LANGUAGES, "language_switch": switch}

    return language_context
