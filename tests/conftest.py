import pytest

from compare.catalogue.reference import load_reference_data


@pytest.fixture
def reference_data(db):
    """The catalogue shipped with HVSelect, as `make run` loads it."""
    return load_reference_data()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in English: a request to a /fr/ page leaves French active in the
    thread (LocaleMiddleware activates, nothing deactivates), and `reverse()` would follow."""
    from django.utils import translation

    with translation.override("en"):
        yield
