"""Which RDF serialisation a client asked for: JSON-LD unless Turtle is preferred."""

from __future__ import annotations

JSONLD = "application/ld+json"
TURTLE = "text/turtle"

# Media types that count as asking for one of the two; anything else (*/*, text/html, none)
# gets JSON-LD, the standard's default.
_KINDS = {
    JSONLD: JSONLD,
    "application/json": JSONLD,
    TURTLE: TURTLE,
    "application/x-turtle": TURTLE,
}


def preferred_serialisation(accept: str) -> str:
    """``TURTLE`` when the Accept header ranks Turtle above JSON-LD, else ``JSONLD``.

    Equal weights keep JSON-LD; ``q=0`` refuses a type.
    """
    best = {JSONLD: -1.0, TURTLE: -1.0}
    for part in accept.split(","):
        media_type, *params = (piece.strip() for piece in part.split(";"))
        kind = _KINDS.get(media_type.lower())
        if kind is None:
            continue
        quality = 1.0
        for param in params:
            name, _sep, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        best[kind] = max(best[kind], quality)
    if best[TURTLE] > 0 and best[TURTLE] > best[JSONLD]:
        return TURTLE
    return JSONLD
