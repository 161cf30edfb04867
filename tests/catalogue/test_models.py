import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from compare.catalogue.models import months_ago
from compare.models import Hypervisor, Rating, Source, Support, stale_cutoff
from tests.factories import (
    hypervisor_values,
    make_criterion,
    make_feature,
    make_hypervisor,
    make_rating,
    make_support,
    rating_values,
    support_values,
)

pytestmark = pytest.mark.django_db


def assert_database_refuses(constraint_name, create):
    """The database itself rejects the row, naming the constraint that protects it."""
    with pytest.raises(IntegrityError, match=constraint_name), transaction.atomic():
        create()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"slug": "Not A Slug"}, "hypervisor_slug_format"),
        ({"slug": "double--hyphen"}, "hypervisor_slug_format"),
        ({"hypervisor_type": 3}, "hypervisor_type_valid"),
        ({"licence_model": "freeware"}, "hypervisor_licence_model_valid"),
        ({"free_edition": "sometimes"}, "hypervisor_free_edition_valid"),
        ({"status": "zombie"}, "hypervisor_status_valid"),
        ({"included_with": "office"}, "hypervisor_included_with_valid"),
        ({"host_platforms": []}, "hypervisor_host_platforms_valid"),
        ({"host_platforms": ["amiga"]}, "hypervisor_host_platforms_valid"),
        ({"guest_os_families": []}, "hypervisor_guest_os_families_valid"),
        ({"admin_skills": ["cobol"]}, "hypervisor_admin_skills_valid"),
    ],
)
def test_database_refuses_an_invalid_hypervisor(fields, constraint):
    assert_database_refuses(
        constraint, lambda: Hypervisor.objects.create(**hypervisor_values(**fields))
    )


def test_database_refuses_duplicate_hypervisor_slugs_and_names():
    make_hypervisor(slug="proxmox-ve", name="Proxmox VE")
    assert_database_refuses("hypervisor_slug_unique", lambda: make_hypervisor(slug="proxmox-ve"))
    assert_database_refuses("hypervisor_name_unique", lambda: make_hypervisor(name="Proxmox VE"))


def test_database_refuses_invalid_criteria_and_features():
    criterion = make_criterion(key="security")
    assert_database_refuses("criterion_key_unique", lambda: make_criterion(key="security"))
    assert_database_refuses("criterion_key_format", lambda: make_criterion(key="Security Level"))
    assert_database_refuses(
        "criterion_default_weight_range", lambda: make_criterion(default_weight=6)
    )
    make_feature(criterion, key="rbac")
    assert_database_refuses("feature_key_unique", lambda: make_feature(criterion, key="rbac"))
    assert_database_refuses("feature_key_format", lambda: make_feature(criterion, key="2fa"))


def test_database_refuses_invalid_ratings():
    hypervisor, criterion = make_hypervisor(), make_criterion()
    assert_database_refuses(
        "rating_score_range", lambda: make_rating(hypervisor, criterion, score=11)
    )
    assert_database_refuses(
        "rating_free_edition_score_range",
        lambda: make_rating(hypervisor, criterion, free_edition_score=12),
    )
    make_rating(hypervisor, criterion)
    assert_database_refuses(
        "rating_unique_per_criterion", lambda: make_rating(hypervisor, criterion)
    )


def test_database_refuses_invalid_support_cells():
    hypervisor, feature = make_hypervisor(), make_feature()
    assert_database_refuses(
        "support_level_valid", lambda: make_support(hypervisor, feature, level="maybe")
    )
    assert_database_refuses(
        "support_confidence_valid", lambda: make_support(hypervisor, feature, confidence="meh")
    )
    make_support(hypervisor, feature)
    assert_database_refuses("support_unique_per_feature", lambda: make_support(hypervisor, feature))


def assert_refused_at_commit(table: str, write):
    """The sources of a fact are checked when its transaction commits (they are saved after
    the fact); SET CONSTRAINTS runs that check now."""
    with pytest.raises(IntegrityError, match=rf"{table} \d+ has no source"), transaction.atomic():
        write()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def commit_check():
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_the_database_refuses_a_known_fact_without_a_source():
    hypervisor, criterion, feature = make_hypervisor(), make_criterion(), make_feature()
    assert_refused_at_commit(
        "compare_hypervisor", lambda: Hypervisor.objects.create(**hypervisor_values())
    )
    assert_refused_at_commit(
        "compare_rating",
        lambda: Rating.objects.create(**rating_values(hypervisor, criterion)),
    )
    assert_refused_at_commit(
        "compare_support",
        lambda: Support.objects.create(**support_values(hypervisor, feature, level="full")),
    )
    unverified = Support.objects.create(**support_values(hypervisor, feature, level="unknown"))
    commit_check()  # an unverified cell needs no source...
    unverified.level = "full"
    assert_refused_at_commit("compare_support", unverified.save)  # ...a known one does


def test_the_database_refuses_removing_a_facts_last_source():
    rating = make_rating(make_hypervisor(), make_criterion())
    assert_refused_at_commit("compare_rating", rating.references.clear)
    second = Source.objects.create(
        url="https://example.org/second",
        title="t",
        publisher="p",
        kind="vendor_documentation",
        read_on=datetime.date(2026, 11, 30),
    )
    rating.references.set([second])  # replacing a source is fine
    commit_check()
    rating.hypervisor.delete()  # and so is deleting the fact with its links
    commit_check()


def test_validation_explains_what_the_database_would_refuse():
    """full_clean (what the admin runs) gives the editor a sentence, not an IntegrityError."""
    hypervisor, criterion = make_hypervisor(), make_criterion()

    with pytest.raises(ValidationError) as error:
        Rating(**rating_values(hypervisor, criterion, score=12)).full_clean()
    assert error.value.message_dict["score"] == ["Ensure this value is less than or equal to 10."]

    with pytest.raises(ValidationError) as error:
        Hypervisor(**hypervisor_values(slug=hypervisor.slug)).full_clean()
    assert "already uses this slug" in str(error.value)


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (datetime.date(2026, 11, 27), datetime.date(2025, 11, 27)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 2, 28)),
    ],
)
def test_facts_are_stale_after_twelve_months(today, cutoff):
    assert stale_cutoff(today) == cutoff


@pytest.mark.parametrize(
    ("today", "months", "day"),
    [
        (datetime.date(2026, 12, 1), 6, datetime.date(2026, 6, 1)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 24, datetime.date(2024, 1, 15)),
        (datetime.date(2025, 5, 31), 3, datetime.date(2025, 2, 28)),
    ],
)
def test_months_ago_keeps_the_day_or_the_months_last(today, months, day):
    assert months_ago(months, today) == day


def test_a_hypervisor_is_stale_when_any_of_its_facts_is():
    long_ago = stale_cutoff() - datetime.timedelta(days=1)
    fresh, with_old_rating, with_old_support, old_itself = (make_hypervisor() for _ in range(4))
    criterion, feature = make_criterion(), make_feature()
    make_rating(with_old_rating, criterion, verified_on=long_ago)
    make_support(with_old_support, feature, verified_on=long_ago)
    make_support(fresh, feature)
    Hypervisor.objects.filter(pk=old_itself.pk).update(verified_on=long_ago)

    assert set(Hypervisor.objects.stale()) == {with_old_rating, with_old_support, old_itself}
    assert list(Hypervisor.objects.fresh()) == [fresh]
