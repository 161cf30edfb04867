"""The API's catalogue reads run a fixed number of queries, whatever the size of the catalogue
(no N+1): 16 products as shipped, and 100."""

from decimal import Decimal

import pytest
from django.utils import timezone

from compare.models import Offer
from tests.factories import cite, make_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE_SIZES = [16, 100]


@pytest.fixture(params=CATALOGUE_SIZES, ids=lambda size: f"{size}-hypervisors")
def catalogue(request):
    """Every product rated on 3 criteria, with 6 support cells and 2 offers (one unlocking a
    feature), every fact cited."""
    products = make_catalogue(hypervisors=request.param)
    offers = Offer.objects.bulk_create(
        Offer(
            hypervisor=product,
            key=key,
            name=key.title(),
            metric=metric,
            amount=amount,
            currency="EUR" if amount else "",
            verified_on=timezone.localdate(),
        )
        for product in products
        for key, metric, amount in [
            ("standard", "per_host_year", Decimal("500")),
            ("enterprise", "quote", None),
        ]
    )
    cite(offers)
    feature = products[0].supports.first().feature
    Offer.unlocks.through.objects.bulk_create(
        Offer.unlocks.through(offer_id=offer.pk, feature_id=feature.pk) for offer in offers
    )
    return products


def test_list(client, catalogue, django_assert_num_queries):
    # The products with their stale flag, in one query.
    with django_assert_num_queries(1):
        response = client.get("/api/v1/hypervisors", {"type": 1, "containers": "no"})
    assert len(response.json()) == len(catalogue)


def test_detail(client, catalogue, django_assert_num_queries):
    # The product; its sources; its ratings and their sources; its support cells and their
    # sources; its offers, the features they unlock and their sources.
    with django_assert_num_queries(1 + 1 + 2 + 2 + 3):
        response = client.get(f"/api/v1/hypervisors/{catalogue[-1].slug}")
    detail = response.json()
    assert (len(detail["ratings"]), len(detail["support"]), len(detail["offers"])) == (3, 6, 2)
    assert detail["offers"][0]["unlocks"] == [catalogue[0].supports.first().feature.key]


def test_criteria_and_features(client, catalogue, django_assert_num_queries):
    # The criteria, then their features.
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/criteria").json()) == 3
    # The features with their criterion.
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/features").json()) == 6
