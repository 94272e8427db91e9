import pytest

from smartplan.lkod.negotiation import JSONLD, TURTLE, preferred_serialisation


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", JSONLD),
        ("*/*", JSONLD),
        ("text/html,application/xhtml+xml,*/*;q=0.8", JSONLD),
        ("application/ld+json", JSONLD),
        ("application/json", JSONLD),
        ("text/turtle", TURTLE),
        ("text/turtle;q=0.9, application/ld+json;q=0.5", TURTLE),
        ("application/ld+json, text/turtle", JSONLD),  # equal weight: the default
        ("application/ld+json;q=0.2, text/turtle;q=0.8", TURTLE),
        ("text/turtle;q=0", JSONLD),
        ("TEXT/TURTLE", TURTLE),
        ("text/turtle;q=abc", JSONLD),
    ],
)
def test_preferred_serialisation(accept, expected):
    assert preferred_serialisation(accept) == expected
