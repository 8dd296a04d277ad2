"""The DCAT-AP-SE catalogue: valid JSON-LD that a harvester reads with every mandatory property."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF

from opendata.datasets import DATASETS

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@pytest.fixture
def catalog(demo, client) -> Graph:
    response = client.get("/data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content.decode(), format="json-ld")


def _one(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    values = list(graph.objects(subject, predicate))
    assert values, f"{subject} has no {predicate}"
    return values[0]


def _languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def test_the_catalog_has_title_description_publisher_and_its_datasets(catalog) -> None:
    (node,) = catalog.subjects(RDF.type, DCAT.Catalog)
    assert _languages(catalog, node, DCTERMS.title) == {"sv", "en"}
    assert _languages(catalog, node, DCTERMS.description) == {"sv", "en"}
    publisher = _one(catalog, node, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in catalog
    assert str(_one(catalog, publisher, FOAF.name)) == "Samverkan"
    assert _one(catalog, node, DCTERMS.license) == CC0
    datasets = set(catalog.objects(node, DCAT.dataset))
    assert len(datasets) == len(DATASETS) == 4


def test_every_dataset_has_title_description_publisher_and_distributions(catalog) -> None:
    for dataset in catalog.subjects(RDF.type, DCAT.Dataset):
        assert _languages(catalog, dataset, DCTERMS.title) == {"sv", "en"}
        assert _languages(catalog, dataset, DCTERMS.description) == {"sv", "en"}
        assert (_one(catalog, dataset, DCTERMS.publisher), FOAF.name, None) in catalog
        contact = _one(catalog, dataset, DCAT.contactPoint)
        assert str(_one(catalog, contact, VCARD.hasEmail)).startswith("mailto:")
        formats = {
            str(_one(catalog, d, DCTERMS.format)).removeprefix(FILE_TYPE)
            for d in catalog.objects(dataset, DCAT.distribution)
        }
        assert formats == {"CSV", "JSON"}


def test_every_distribution_has_access_url_format_and_the_cc0_licence(catalog, client) -> None:
    distributions = list(catalog.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 8
    for distribution in distributions:
        url = str(_one(catalog, distribution, DCAT.accessURL))
        assert url.startswith("http://testserver/data/")
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
        assert str(_one(catalog, distribution, DCTERMS.format)).startswith(FILE_TYPE)
        assert _one(catalog, distribution, DCTERMS.license) == CC0


def test_json_distributions_name_the_schema_they_conform_to(catalog, client) -> None:
    for distribution in catalog.subjects(RDF.type, DCAT.Distribution):
        if str(distribution).endswith(".json"):
            schema = str(_one(catalog, distribution, DCTERMS.conformsTo))
            assert client.get(schema.removeprefix("http://testserver")).json()["$id"] == schema
