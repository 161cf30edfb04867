"""Page views run a fixed number of queries, whatever the size of the catalogue (no N+1)."""

import pytest
from django.urls import reverse

from tests.factories import make_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE_SIZES = [5, 100]


@pytest.fixture(params=CATALOGUE_SIZES, ids=lambda size: f"{size}-hypervisors")
def catalogue(request, db):
    return make_catalogue(hypervisors=request.param)


def test_home(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(reverse("compare:home")).status_code == 200


def test_list(client, catalogue, django_assert_num_queries):
    # Hypervisors with their stale flag, then their containers cells.
    with django_assert_num_queries(2):
        response = client.get(reverse("compare:hypervisor_list"))
    assert len(response.context["hypervisors"]) == len(catalogue)


def test_filtered_list(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(reverse("compare:hypervisor_list"), {"type": "1", "containers": "no"})
    assert response.status_code == 200


def test_detail(client, catalogue, django_assert_num_queries):
    # The hypervisor, its ratings, its support cells, the criteria and their features.
    with django_assert_num_queries(5):
        response = client.get(catalogue[0].get_absolute_url())
    assert response.status_code == 200


def test_compare(client, catalogue, django_assert_num_queries):
    slugs = [hypervisor.slug for hypervisor in catalogue[:5]]
    # The chosen slugs, the hypervisors, ratings, support, criteria, features, the picker.
    with django_assert_num_queries(7):
        response = client.get(reverse("compare:compare"), {"h": slugs})
    assert len(response.context["comparison"].hypervisors) == 5
