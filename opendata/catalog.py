"""The DCAT-AP-SE catalogue of the open datasets, as JSON-LD, for Sweden's data portal.

DCAT-AP-SE (the Swedish profile of DCAT-AP) asks of a catalogue a title, a description, a
publisher and its datasets; of a dataset a title, a description and a publisher; of a
distribution an access URL, and the portal wants its format and licence. Titles and
descriptions are given in Swedish and English. The context is written out in the document, so
a harvester needs nothing else to read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .datasets import DATASETS, Dataset
from .schema import LICENSE_URL

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority"
FORMATS = {
    "csv": (f"{EU}/file-type/CSV", "text/csv"),
    "json": (f"{EU}/file-type/JSON", "application/json"),
}
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/NationalAuthority"
THEME_GOVERNMENT = f"{EU}/data-theme/GOVE"
ACCESS_PUBLIC = f"{EU}/access-right/PUBLIC"
LANGUAGE_SWEDISH = f"{EU}/language/SWE"


def _both(text: Promise | str) -> list[dict[str, str]]:
    """A text in Swedish and English, as language-tagged literals."""
    values = []
    for language in ("sv", "en"):
        with translation.override(language):
            values.append({"@language": language, "@value": str(text)})
    return values


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _publisher() -> dict[str, Any]:
    return {
        "@id": settings.OPENDATA_PUBLISHER_URL,
        "@type": "foaf:Agent",
        "foaf:name": settings.OPENDATA_PUBLISHER_NAME,
        "dcterms:type": _iri(PUBLISHER_TYPE),
    }


def _contact() -> dict[str, Any]:
    return {
        "@type": "vcard:Organization",
        "vcard:fn": settings.OPENDATA_PUBLISHER_NAME,
        "vcard:hasEmail": _iri(f"mailto:{settings.OPENDATA_CONTACT_EMAIL}"),
    }


def _distribution(dataset: Dataset, extension: str, absolute: Callable[[str], str]) -> dict:
    file_type, media_type = FORMATS[extension]
    url = absolute(reverse(f"opendata_{extension}", kwargs={"dataset": dataset.slug}))
    distribution = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dcterms:title": [
            {**title, "@value": f"{title['@value']} ({extension.upper()})"}
            for title in _both(dataset.title)
        ],
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        "dcterms:format": _iri(file_type),
        "dcat:mediaType": _iri(f"https://www.iana.org/assignments/media-types/{media_type}"),
        "dcterms:license": _iri(LICENSE_URL),
    }
    if extension == "json":
        schema = absolute(reverse("opendata_schema", kwargs={"dataset": dataset.slug}))
        distribution["dcterms:conformsTo"] = _iri(schema)
    return distribution


def _dataset(dataset: Dataset, absolute: Callable[[str], str]) -> dict[str, Any]:
    landing = absolute(reverse("opendata_index"))
    return {
        "@id": f"{landing}#{dataset.slug}",
        "@type": "dcat:Dataset",
        "dcterms:identifier": f"{landing}#{dataset.slug}",
        "dcterms:title": _both(dataset.title),
        "dcterms:description": _both(dataset.description),
        "dcterms:publisher": _iri(settings.OPENDATA_PUBLISHER_URL),
        "dcat:contactPoint": _contact(),
        "dcat:theme": _iri(THEME_GOVERNMENT),
        "dcterms:language": _iri(LANGUAGE_SWEDISH),
        "dcterms:accessRights": _iri(ACCESS_PUBLIC),
        "dcat:landingPage": _iri(landing),
        "dcat:distribution": [_distribution(dataset, extension, absolute) for extension in FORMATS],
    }


def catalog_document(absolute: Callable[[str], str]) -> dict[str, Any]:
    landing = absolute(reverse("opendata_index"))
    return {
        "@context": CONTEXT,
        "@graph": [
            {
                "@id": absolute(reverse("opendata_catalog")),
                "@type": "dcat:Catalog",
                "dcterms:title": _both(_("Samverkan open data")),
                "dcterms:description": _both(
                    _(
                        "Open data about the public cases of the committee for cross-sector "
                        "collaboration on societal challenges: cases, participating "
                        "organisations, joint actions and approved measurements."
                    )
                ),
                "dcterms:publisher": _iri(settings.OPENDATA_PUBLISHER_URL),
                "dcterms:license": _iri(LICENSE_URL),
                "dcterms:language": _iri(LANGUAGE_SWEDISH),
                "foaf:homepage": _iri(landing),
                "dcat:dataset": [_dataset(d, absolute) for d in DATASETS.values()],
            },
            _publisher(),
        ],
    }
