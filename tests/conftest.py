import pytest

from compare.catalogue.reference import load_reference_data


@pytest.fixture
def reference_data(db):
    """The catalogue shipped with HVSelect, as `make run` loads it."""
    return load_reference_data()
