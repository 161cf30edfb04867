"""Offers are data an editor keeps in the admin: every metric says what it needs, in a clear
message next to the field, and the database holds the same rules."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from compare.models import ExchangeRate, Offer
from tests.factories import SOURCE, make_catalogue, the_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def hypervisor(db):
    return make_catalogue(hypervisors=1)[0]


def offer_form(hypervisor, **fields):
    data = {
        "hypervisor": hypervisor.pk,
        "key": "basic",
        "name_en": "Basic subscription",
        "name_fr": "Abonnement Basic",
        "position": 1,
        "metric": "per_socket_year",
        "amount": "370",
        "currency": "EUR",
        "support": "business_hours",
        "references": [the_source().pk],
        "verified_on": "2026-11-30",
        "confidence": "likely",
        "notes_en": "",
        "notes_fr": "",
    }
    return {**data, **fields}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": ""}, "amount", "Give the price of one unit, above 0."),
        ({"amount": "0"}, "amount", "Give the price of one unit, above 0."),
        ({"currency": ""}, "currency", "Give the currency of the price."),
        ({"metric": "quote"}, "amount", "never write 0 for “on quote”"),
        ({"metric": "free", "amount": "0"}, "amount", "never write 0 for “on quote”"),
        ({"metric": "per_core_year"}, "min_cores_per_cpu", "This metric needs this figure."),
        ({"metric": "per_socket_pair_year"}, "core_cap", "This metric needs this figure."),
        (
            {"metric": "per_core_pack_perpetual", "min_cores_per_cpu": "8"},
            "cores_per_pack",
            "This metric needs this figure.",
        ),
        (
            {"metric": "per_core_year", "min_cores_per_cpu": "16", "order_minimum_active": "on"},
            "min_cores_per_order",
            "An order minimum needs its number of cores.",
        ),
    ],
)
def test_the_admin_names_what_a_metric_lacks(admin_client, hypervisor, fields, field, message):
    response = admin_client.post(
        reverse("admin:compare_offer_add"), offer_form(hypervisor, **fields)
    )
    assert response.status_code == 200  # the form again, never a server error
    errors = response.context["adminform"].form.errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"metric": "free", "amount": "", "currency": ""},
        {"metric": "quote", "amount": "", "currency": "", "support": "24x7"},
        {"metric": "per_core_year", "amount": "135", "currency": "USD", "min_cores_per_cpu": "16"},
        {
            "metric": "per_core_pack_perpetual",
            "amount": "6771",
            "currency": "USD",
            "cores_per_pack": "16",
            "min_cores_per_cpu": "8",
            "min_cores_per_server": "16",
            "vms_per_licence": "0",
        },
        {"metric": "per_socket_pair_year", "core_cap": "128"},
        {"metric": "per_host_year"},
    ],
)
def test_every_metric_saves_with_what_it_needs(admin_client, hypervisor, fields):
    response = admin_client.post(
        reverse("admin:compare_offer_add"), offer_form(hypervisor, **fields)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    offer = Offer.objects.get()
    assert offer.history.first().history_user.is_superuser  # audited, with its editor


def test_the_database_refuses_a_quote_written_as_zero(hypervisor):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Offer.objects.create(
            hypervisor=hypervisor,
            key="quote",
            name="On quote",
            metric="quote",
            amount=0,
            currency="USD",
            verified_on=datetime.date(2026, 11, 30),
        )


def test_one_exchange_rate_per_day(db):
    ExchangeRate.objects.create(usd_per_eur="1.0800", on="2026-11-27", source=SOURCE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ExchangeRate.objects.create(usd_per_eur="1.0900", on="2026-11-27", source=SOURCE)
