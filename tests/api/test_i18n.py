"""The interface in two languages (issue 16): every UI string and every registry name has its Chinese, the
switch keeps the language in the URL, and with Chinese chosen Chinese labels come first."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.i18n import CATALOG_DIR, registry_messages

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def _translated(domain: str) -> dict[object, object]:
    with open(CATALOG_DIR / "zh" / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def test_issue_16_every_ui_string_of_the_templates_has_its_chinese() -> None:
    marked = {message for _, _, message, _, _ in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")], options_map={"**.html": {"extensions": "jinja2.ext.i18n"}})}
    translated = _translated("messages")
    missing = sorted(str(m) for m in marked if not translated.get(m if isinstance(m, str) else tuple(m)))
    assert marked and not missing, f"run the pybabel commands in api/i18n.py and translate: {missing}"


def test_issue_16_every_name_the_pages_take_from_the_registries_has_its_chinese() -> None:
    translated = _translated("registry")
    assert sorted(name for name in registry_messages() if not translated.get(name)) == []


def test_issue_16_chinese_is_chosen_in_the_url_and_puts_chinese_labels_first(client) -> None:
    english = client.get("/policies/example-notice").text
    assert '<html lang="en">' in english and "<h1>Example Notice on Joint Platforms</h1>" in english
    assert 'href="/policies/example-notice?lang=zh"' in english  # the switch
    chinese = client.get("/policies/example-notice", params={"lang": "zh"}).text
    assert '<html lang="zh-Hans">' in chinese
    assert '<h1><span lang="zh">示例通知</span></h1>' in chinese and "Example Notice on Joint Platforms" in chinese
    assert ">政策</a>" in chinese and "发文机关" in chinese and "引用本页" in chinese
    assert 'href="/policies/example-notice"' in chinese  # back to English
    listing = client.get("/policies", params={"lang": "zh"}).text
    assert re.search(r"<h1>政策文件</h1>", listing) and "示例通知" in listing
    assert client.get("/search", params={"q": "notice", "lang": "zh"}).text.count("示例通知") >= 1
    assert client.get("/policies", params={"lang": "xx"}).text.startswith("<!doctype html>\n<html lang=\"en\">")
