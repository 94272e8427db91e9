"""The fixed addresses DCAT-AP-CZ 2024-05-28 ("Rozhraní katalogů otevřených dat") uses.

The catalogue's JSON-LD names its ``@context`` by the URL below, exactly as the standard's
examples do; the same context ships in ``context/`` so that reading our own records back
(tests, the Turtle serialisation) never fetches it from the network.
"""

from __future__ import annotations

from pathlib import Path

CONTEXT_URL = (
    "https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/"
    "kontexty/rozhraní-katalogů-otevřených-dat.jsonld"
)
CONTEXT_FILE = (
    Path(__file__).resolve().parent / "context" / "rozhraní-katalogů-otevřených-dat.jsonld"
)

# Publisher: an authority (orgán veřejné moci) of the Register of rights and duties, by IČO.
RPP_AUTHORITY = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"
# EU vocabularies the standard requires for theme, update frequency and file type.
DATA_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# The JSON-LD type names the context defines.
TYPE_CATALOGUE = "Katalog"
TYPE_DATASET = "Datová sada"
TYPE_DISTRIBUTION = "Distribuce"
TYPE_TERMS = "Specifikace podmínek užití"
TYPE_ORGANISATION = "Organizace"
TYPE_PERIOD = "Časový interval"

# Licences that name an author (the others are "not protected" statements).
LICENCES_WITH_AUTHOR = frozenset({"https://creativecommons.org/licenses/by/4.0/"})


def publisher_iri(ico: str) -> str:
    """The RPP IRI of the authority with IČO ``ico``."""
    return f"{RPP_AUTHORITY}{ico}"


def media_type_iri(media_type: str) -> str:
    """The IANA IRI of a media type; parameters (``; charset=utf-8``) are not part of it."""
    return IANA_MEDIA_TYPES + media_type.split(";", 1)[0].strip().lower()
