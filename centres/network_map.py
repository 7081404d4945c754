"""The shapes of the network map and the placing of a latitude/longitude on them.

The shapes ship with the application (``centres/static/centres/carte/regions.svg``, built once by
``tools/build_region_map.py`` and committed): one path per 2016 region (``data-code`` = INSEE code), the
overseas regions as insets, and in ``<metadata>`` the affine fit of each frame (Lambert-93 for metropolitan
France, longitude/latitude for Corsica and each inset), the inset frames and a label point per region.
Read once per process; no tile nor request leaves the server."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES_FILE = Path(__file__).resolve().parent / "static" / "centres" / "carte" / "regions.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"

# Lambert-93 (RGF93, GRS80 ellipsoid): the projection of the metropolitan drawing.
_A, _E = 6378137.0, 0.0818191910428158


@dataclass(frozen=True)
class MapShapes:
    view_box: str
    paths: dict[str, str]  # region code -> path data
    fits: dict[str, dict]
    insets: dict[str, list[int]]  # region code -> [x, y, width, height] of the inset's frame
    labels: dict[str, list[int]]  # region code -> [x, y] where its figures are written


@cache
def map_shapes() -> MapShapes:
    root = ET.parse(SHAPES_FILE).getroot()  # noqa: S314 (a file of the application, not user input)
    meta = json.loads(root.find(f"{SVG_NS}metadata").text)
    paths = {p.get("data-code"): p.get("d") for p in root.iter(f"{SVG_NS}path")}
    return MapShapes(
        view_box=root.get("viewBox"), paths=paths, fits=meta["fits"], insets=meta["insets"], labels=meta["labels"]
    )


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 longitude/latitude to Lambert-93 metres (conic conformal, standard parallels 44° and 49°)."""

    def m(phi):
        return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)

    def t(phi):
        return math.tan(math.pi / 4 - phi / 2) / ((1 - _E * math.sin(phi)) / (1 + _E * math.sin(phi))) ** (_E / 2)

    phi1, phi2, phi0, lam0 = (math.radians(v) for v in (49.0, 44.0, 46.5, 3.0))
    n = (math.log(m(phi1)) - math.log(m(phi2))) / (math.log(t(phi1)) - math.log(t(phi2)))
    f = m(phi1) / (n * t(phi1) ** n)
    rho0 = _A * f * t(phi0) ** n
    rho = _A * f * t(math.radians(lat)) ** n
    theta = n * (math.radians(lon) - lam0)
    return 700000 + rho * math.sin(theta), 6600000 + rho0 - rho * math.cos(theta)


def place(latitude, longitude, region_code: str) -> tuple[float, float]:
    """Where a point of ``region_code`` falls on the drawing: the region's own frame when it has one
    (overseas insets, Corsica), else metropolitan France's."""
    fits = map_shapes().fits
    fit = fits.get(region_code) or fits["metropole"]
    lon, lat = float(longitude), float(latitude)
    x, y = lambert93(lon, lat) if fit["kind"] == "lambert93" else (lon, lat)
    return round(fit["ax"] * x + fit["bx"], 1), round(fit["ay"] * y + fit["by"], 1)
