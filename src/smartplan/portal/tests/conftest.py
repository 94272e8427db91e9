from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """Pages kept by portal.http_cache in one test are not served in the next."""
    cache.clear()
    yield
    cache.clear()
