"""The map of Sweden, drawn on the server: the shipped outlines (portfolio/geo/, see its
SOURCES.md) projected to SVG paths, with the län and municipality names of the reference data.

Outlines are read once per process and kept; a page only chooses the shading.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from agencies.reference import DATA_DIR

GEO_DIR = Path(__file__).resolve().parent / "geo"
X_SCALE = math.cos(math.radians(62))  # x = lon · cos(62°), y = −lat: Sweden's middle undistorted
MAP_WIDTH = 400.0  # SVG user units; the height follows the outline's shape
MARGIN = 4.0


@dataclass(frozen=True)
class Area:
    """A län or municipality: its code and official name (reference data)."""

    code: str
    name: str


@dataclass(frozen=True)
class Shape:
    code: str
    path: str  # SVG path data in the map's viewBox


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    shapes: dict[str, Shape]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def _csv(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def counties() -> tuple[Area, ...]:
    """The 21 län in code order, with their official names ("Stockholms län")."""
    rows = _csv("counties.csv")
    return tuple(Area(row["county_code"], row["county_name"]) for row in rows)


def county(code: str) -> Area | None:
    return next((area for area in counties() if area.code == code), None)


@cache
def municipalities_of(county_code: str) -> tuple[Area, ...]:
    """A län's municipalities in code order, by the name they call themselves."""
    return tuple(
        Area(row["municipality_code"], row["common_name"] or row["legal_name"])
        for row in _csv("municipalities.csv")
        if row["county_code"] == county_code
    )


def _features(filename: str) -> list[dict[str, Any]]:
    with (GEO_DIR / filename).open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _project(point: list[float]) -> tuple[float, float]:
    lon, lat = point[0], point[1]
    return lon * X_SCALE, -lat


def _drawing(outlines: dict[str, list[list[list[float]]]]) -> Drawing:
    """Fit the outlines into MAP_WIDTH wide, keeping their shape."""
    points = [_project(p) for rings in outlines.values() for ring in rings for p in ring]
    min_x, max_x = min(x for x, _ in points), max(x for x, _ in points)
    min_y, max_y = min(y for _, y in points), max(y for _, y in points)
    scale = (MAP_WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = (max_y - min_y) * scale + 2 * MARGIN

    def path(rings: list[list[list[float]]]) -> str:
        parts = []
        for ring in rings:
            coordinates = []
            for point in ring:
                x, y = _project(point)
                coordinates.append(
                    f"{(x - min_x) * scale + MARGIN:.1f},{(y - min_y) * scale + MARGIN:.1f}"
                )
            parts.append("M" + "L".join(coordinates) + "Z")
        return "".join(parts)

    shapes = {code: Shape(code, path(rings)) for code, rings in outlines.items()}
    return Drawing(MAP_WIDTH, height, shapes)


@cache
def sweden() -> Drawing:
    """The 21 län, keyed by two-digit länskod."""
    outlines = {
        f"{int(feature['properties']['l_id']):02d}": _rings(feature["geometry"])
        for feature in _features("regions.geojson")
    }
    return _drawing(outlines)


@cache
def _municipality_outlines() -> dict[str, tuple[str, list[list[list[float]]]]]:
    return {
        properties["id"]: (properties["lan_code"], _rings(feature["geometry"]))
        for feature in _features("municipalities.geojson")
        for properties in [feature["properties"]]
    }


@cache
def county_drawing(county_code: str) -> Drawing:
    """One län's municipalities, keyed by four-digit kommunkod."""
    outlines = {
        code: rings for code, (lan, rings) in _municipality_outlines().items() if lan == county_code
    }
    return _drawing(outlines)


SHADES = 5  # 0 (none) … 4 (most)


def shade(count: int, most: int) -> int:
    """The shade class of a count: 0 for none, else 1…4 by its share of the largest count."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, math.ceil(count / most * (SHADES - 1)))
