"""Page views run a fixed number of queries, whatever the size of the catalogue (no N+1)."""

import pytest
from django.urls import reverse

from compare.models import CorrectionSuggestion, Support
from tests.factories import SOURCE, make_catalogue

pytestmark = pytest.mark.django_db

CATALOGUE_SIZES = [16, 100]


@pytest.fixture(params=CATALOGUE_SIZES, ids=lambda size: f"{size}-hypervisors")
def catalogue(request, db):
    return make_catalogue(hypervisors=request.param)


# The catalogue's pages are kept per catalogue version: each request reads the version (one
# query); the first one renders the page too, the next ones serve the process's copy.


def test_home(client, catalogue, django_assert_num_queries):
    # The version, then the counts by type.
    with django_assert_num_queries(1 + 1):
        first = client.get(reverse("compare:home"))
    with django_assert_num_queries(1):
        again = client.get(reverse("compare:home"))
    assert first.status_code == again.status_code == 200
    assert again.content == first.content


def test_list(client, catalogue, django_assert_num_queries):
    # The version; hypervisors with their stale flag, then their containers cells.
    with django_assert_num_queries(1 + 2):
        response = client.get(reverse("compare:hypervisor_list"))
    assert len(response.context["hypervisors"]) == len(catalogue)
    with django_assert_num_queries(1):
        assert client.get(reverse("compare:hypervisor_list")).content == response.content


def test_filtered_list(client, catalogue, django_assert_num_queries):
    filters = {"type": "1", "containers": "no"}
    with django_assert_num_queries(1 + 2):
        response = client.get(reverse("compare:hypervisor_list"), filters)
    assert response.status_code == 200
    with django_assert_num_queries(1):
        client.get(reverse("compare:hypervisor_list"), filters)


def test_searched_and_sorted_list(client, catalogue, django_assert_num_queries):
    # A search by name is not kept (any text makes a page): no version, the two queries.
    for _ in range(2):
        with django_assert_num_queries(2):
            response = client.get(
                reverse("compare:hypervisor_list"), {"q": "vendor", "sort": "release"}
            )
        assert len(response.context["hypervisors"]) == len(catalogue)  # "Vendor n" each


def test_detail(client, catalogue, django_assert_num_queries):
    # The version; the hypervisor, its ratings, its support cells, the sources of each of
    # the three, the criteria and their features.
    with django_assert_num_queries(1 + 8):
        response = client.get(catalogue[0].get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(1):
        assert client.get(catalogue[0].get_absolute_url()).content == response.content


@pytest.mark.parametrize("differences", [{}, {"diff": "1"}], ids=["all-rows", "differences"])
def test_compare(client, catalogue, differences, django_assert_num_queries):
    slugs = [hypervisor.slug for hypervisor in catalogue[:5]]
    query = {"h": slugs, **differences}
    # The chosen slugs, checked to name the page; the version; then the page: the chosen
    # slugs, the hypervisors, ratings, support (each with its sources), criteria, features,
    # the picker.
    with django_assert_num_queries(1 + 1 + 10):
        response = client.get(reverse("compare:compare"), query)
    assert len(response.context["comparison"].hypervisors) == 5
    with django_assert_num_queries(1 + 1):
        assert client.get(reverse("compare:compare"), query).content == response.content


def test_the_suggestion_form(client, catalogue, django_assert_num_queries):
    # The product, then the criteria and the features its fact choices list.
    with django_assert_num_queries(3):
        response = client.get(reverse("compare:suggest_correction", args=[catalogue[0].slug]))
    assert response.status_code == 200


def test_the_admin_home(admin_client, catalogue, django_assert_num_queries):
    admin_client.get(reverse("admin:index"))
    # Session and user; the texts without French, one count per translated model (10); the
    # pending suggestions; the stale facts of the products, ratings, cells and offers (4);
    # the recent actions.
    with django_assert_num_queries(17):
        response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_the_facts_by_age(admin_client, catalogue, django_assert_num_queries):
    # Session and user; the products, their ratings, cells and offers; the product picker.
    with django_assert_num_queries(7):
        response = admin_client.get(reverse("admin:facts_by_age"), {"older_than": 0})
    assert response.context["fact_count"] == len(catalogue) * (1 + 3 + 6)


def test_a_products_history(admin_client, catalogue, django_assert_num_queries):
    cells = list(Support.objects.filter(hypervisor=catalogue[0])[:2])
    for cell in cells:
        cell.save()  # the first record, as the loader writes it
        cell.level = "partial"
        cell.save()
    url = reverse("admin:compare_hypervisor_history", args=[catalogue[0].pk])
    admin_client.get(url)  # Django caches the content types it looks up
    # Session and user; the latest records of its ratings, cells and offers (3); the whole
    # history of the cells shown, with the sources of each record (2); the sources' titles;
    # the product and its own history (2).
    with django_assert_num_queries(2 + 3 + 2 + 1 + 2):
        response = admin_client.get(url)
    assert len(response.context["cell_changes"]) == 4


def test_the_suggestions_to_moderate(admin_client, catalogue, django_assert_num_queries):
    CorrectionSuggestion.objects.bulk_create(
        CorrectionSuggestion(hypervisor=h, fact="Security", proposed="p", source_url=SOURCE)
        for h in catalogue[:10]
    )
    # Session and user; the products of the filter; two counts; the page of suggestions with
    # their product and editor.
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("admin:compare_correctionsuggestion_changelist"))
    assert len(response.context["cl"].result_list) == 10
