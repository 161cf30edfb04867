"""French is complete: no untranslated or fuzzy message in the interface's catalogue."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from compare.reports.services import recommendation_create

PO = Path(__file__).resolve().parent.parent / "locale/fr/LC_MESSAGES/django.po"


def entries(text: str):
    """(flags, msgid, [msgstr...]) of each entry but the header."""
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        strings, current = {}, None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                strings[current] = match.group(2)
            elif line.startswith('"') and current:
                strings[current] += line[1:-1]
        if strings.get("msgid"):
            yield flags, strings["msgid"], [v for k, v in strings.items() if k.startswith("msgstr")]


def test_the_french_catalogue_has_no_untranslated_or_fuzzy_message():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    found = list(entries(text))
    assert len(found) > 300
    untranslated = [msgid for _, msgid, strs in found if not all(strs)]
    assert untranslated == []


def test_french_punctuation_is_held_by_non_breaking_spaces():
    """French typography: a non-breaking space before : ; ! ? % and », and after «, so that
    a line never starts with the punctuation."""
    loose = re.compile(r"( [:;!?»]| %(?![(])|« )")
    wrong = [
        text
        for _, _msgid, strs in entries(PO.read_text(encoding="utf-8"))
        for text in strs
        if loose.search(re.sub(r"https?://\S+", "", text))
    ]
    assert wrong == []


def test_the_compiled_catalogue_is_there():
    assert PO.with_suffix(".mo").exists()


@pytest.mark.django_db
def test_french_pages_speak_french(client, reference_data):
    page = client.get(reverse("compare:home").replace("/en/", "/fr/")).content.decode()
    assert '<html lang="fr">' in page
    assert "hyperviseur" in page.lower()
    detail = client.get("/fr/hypervisors/proxmox-ve/").content.decode()
    assert "Haute disponibilité" in detail


@pytest.mark.django_db
def test_the_language_switcher_keeps_the_current_page(client, reference_data):
    page = client.get("/en/hypervisors/proxmox-ve/").content.decode()
    assert 'href="/fr/hypervisors/proxmox-ve/" hreflang="fr"' in page
    page = client.get("/fr/compare/?h=utm&h=incus").content.decode()
    assert 'href="/en/compare/?h=utm&amp;h=incus" hreflang="en"' in page


@pytest.mark.django_db
def test_an_address_without_language_follows_the_browser(client):
    assert client.get("/hypervisors/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").url == (
        "/fr/hypervisors/"
    )
    assert client.get("/hypervisors/", HTTP_ACCEPT_LANGUAGE="de-DE").url == "/en/hypervisors/"


@pytest.mark.django_db
def test_a_recommendation_made_in_french_is_written_and_shown_in_french(client, reference_data):
    answers = json.loads(
        (PO.parents[3] / "docs/examples/assurmer.json").read_text(encoding="utf-8")
    )
    with translation.override("fr"):
        saved = recommendation_create(answers=answers)
    assert saved.language == "fr"
    assert saved.result["conclusion"].startswith(
        "Pour Assurmer (3 serveurs hôtes, environ 40 machines virtuelles), "
        "HVSelect recommande Proxmox VE, avec un score de 83,0 sur 100."
    )
    # The page reads in French whatever the visitor's browser says...
    page = client.get(saved.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in page and "Produits écartés, et pourquoi" in page
    # ...and its charts keep their figures machine-readable.
    assert 'width="83.0"' in page
    assert not re.search(r'(x1|y2|x|y)="\d+,\d+"', page)
