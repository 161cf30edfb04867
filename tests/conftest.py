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


@pytest.fixture(autouse=True)
def fresh_page_copies():
    """Every test starts without the process's copies of rendered pages: a test that wrote
    catalogue history under a frozen clock would otherwise leave a page a later test reads."""
    from django.core.cache import caches

    caches["pages"].clear()
