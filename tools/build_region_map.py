"""Build ``centres/static/centres/carte/regions.svg`` (the network map's shapes) once, from the French
departments map of the PyPI package ``pygal_maps_fr`` 1.1.0 (Kozea, GNU LGPL v3+).

Run by hand, never at run time (the output is committed):

    python -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install shapely==2.1.2
    /tmp/mapvenv/bin/pip download --no-deps pygal_maps_fr==1.1.0 -d /tmp/pygal && unzip ... (wheel)
    /tmp/mapvenv/bin/python tools/build_region_map.py /path/to/pygal_maps_fr/fr.departments.svg

What it does: parses every department's path (absolute/relative M, L, C, Z, flattened), merges the
departments into the 18 regions of 2016 (INSEE codes, as ``centres/data/regions.csv``), drops
Saint-Pierre-et-Miquelon (not a region), simplifies the outlines and writes one ``<path>`` per region
with ``data-code``. It also writes, in the SVG's ``<metadata>``, the affine fit that places a latitude and
longitude on the drawing (``centres.map`` reads it): Lambert-93 for metropolitan France (fitted on four
extreme points of the mainland), a local equirectangular fit on each overseas inset's bounding box.
"""

from __future__ import annotations

import json
import re
import sys
from functools import reduce
from pathlib import Path

from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from centres.network_map import lambert93  # noqa: E402 (the projection the application places points with)

OUTPUT = ROOT / "centres" / "static" / "centres" / "carte" / "regions.svg"

# INSEE: the departments of each 2016 region.
REGION_DEPARTMENTS = {
    "84": "01 03 07 15 26 38 42 43 63 69 73 74",
    "27": "21 25 39 58 70 71 89 90",
    "53": "22 29 35 56",
    "24": "18 28 36 37 41 45",
    "94": "2A 2B",
    "44": "08 10 51 52 54 55 57 67 68 88",
    "32": "02 59 60 62 80",
    "11": "75 77 78 91 92 93 94 95",
    "28": "14 27 50 61 76",
    "75": "16 17 19 23 24 33 40 47 64 79 86 87",
    "76": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "52": "44 49 53 72 85",
    "93": "04 05 06 13 83 84",
    "01": "971",
    "02": "972",
    "03": "973",
    "04": "974",
    "06": "976",
}
OVERSEAS = {"01", "02", "03", "04", "06"}

# Geographic extremes used to fit the drawing (longitude, latitude), each checked against one side of one
# department's bounding box: north (Nord, Bray-Dunes), east (Bas-Rhin, Lauterbourg), south (Pyrénées-
# Orientales, Puig de Comanegra), west (Finistère, pointe de Corsen; the map has no Ouessant).
EXTREMES = {
    "north": ("59", (2.5456, 51.0891)),
    "east": ("67", (8.2303, 48.9660)),
    "south": ("66", (2.6533, 42.3327)),
    "west": ("29", (-4.7950, 48.4130)),
}
# Bounding boxes of the overseas regions (longitude min, latitude min, longitude max, latitude max).
# Corsica is moved closer to the mainland in the source, so it gets its own fit like the overseas insets.
OVERSEAS_BOUNDS = {
    "94": (8.534, 41.333, 9.560, 43.028),
    "01": (-61.81, 15.83, -61.00, 16.52),
    "02": (-61.23, 14.39, -60.81, 14.88),
    "03": (-54.60, 2.11, -51.61, 5.75),
    "04": (55.21, -21.39, 55.84, -20.87),
    "06": (45.01, -13.00, 45.30, -12.64),
}

TOKEN = re.compile(r"[MmLlCcZzHhVv]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def parse_path(d: str, offset=(0.0, 0.0)) -> list[list[tuple[float, float]]]:
    """Rings of an SVG path (M/L/C/H/V/Z, absolute or relative), curves flattened to 4 segments."""
    tokens = TOKEN.findall(d)
    rings, ring = [], []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    i = 0

    def number():
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
                continue
        if command in "Mm":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "m" else (dx, dy)
            if ring:
                rings.append(ring)
            ring = [(x, y)]
            start = (x, y)
            command = "l" if command == "m" else "L"  # implicit lineto after a moveto
        elif command in "Ll":
            dx, dy = number(), number()
            x, y = (x + dx, y + dy) if command == "l" else (dx, dy)
            ring.append((x, y))
        elif command in "Hh":
            dx = number()
            x = x + dx if command == "h" else dx
            ring.append((x, y))
        elif command in "Vv":
            dy = number()
            y = y + dy if command == "v" else dy
            ring.append((x, y))
        elif command in "Cc":
            values = [number() for _ in range(6)]
            if command == "c":
                values = [v + (x if k % 2 == 0 else y) for k, v in enumerate(values)]
            x1, y1, x2, y2, x3, y3 = values
            for step in (0.25, 0.5, 0.75, 1.0):
                u = 1 - step
                ring.append(
                    (
                        u**3 * x + 3 * u * u * step * x1 + 3 * u * step * step * x2 + step**3 * x3,
                        u**3 * y + 3 * u * u * step * y1 + 3 * u * step * step * y2 + step**3 * y3,
                    )
                )
            x, y = x3, y3
        else:
            raise ValueError(f"unsupported path command {command!r}")
    if ring:
        rings.append(ring)
    ox, oy = offset
    return [[(px + ox, py + oy) for px, py in r] for r in rings if len(r) >= 3]


def department_shapes(svg_text: str) -> dict[str, object]:
    """{department code: geometry}; a department's rings combine even-odd (enclaves stay holes)."""
    shapes = {}
    metro_offset = (-42.932808, 96.039162)  # the source's translate() on its metropolitan group
    dom_start = svg_text.index('id="dom-com"')
    for match in re.finditer(r'<g class="z(\w+) departement[^"]*">\s*((?:<path[^>]*>\s*)+)</g>', svg_text):
        code = match.group(1)
        if code in shapes:
            continue  # the source repeats Paris and its inner suburbs in an enlarged inset: keep the map's own
        offset = (0.0, 0.0) if match.start() > dom_start else metro_offset
        rings = []
        for d in re.findall(r' d="([^"]*)"', match.group(2)):
            rings += parse_path(d, offset)
        polygons = [Polygon(r).buffer(0) for r in rings]
        shape = reduce(lambda a, b: a.symmetric_difference(b), polygons)
        shapes[code] = shape
    return shapes


def fit_metropole(shapes) -> dict:
    """x = ax·X + bx, y = ay·Y + by from Lambert-93 (X, Y), on the four extremes."""
    bounds = {code: shapes[code].bounds for code, _ in EXTREMES.values()}
    north, east, south, west = (lambert93(*EXTREMES[k][1]) for k in ("north", "east", "south", "west"))
    x_west, x_east = bounds[EXTREMES["west"][0]][0], bounds[EXTREMES["east"][0]][2]
    y_north, y_south = bounds[EXTREMES["north"][0]][1], bounds[EXTREMES["south"][0]][3]
    ax = (x_east - x_west) / (east[0] - west[0])
    ay = (y_south - y_north) / (south[1] - north[1])
    print(f"scale x {ax:.6g}, scale y {-ay:.6g} (equal when the source is Lambert-93)", file=sys.stderr)
    return {"kind": "lambert93", "ax": ax, "bx": x_west - ax * west[0], "ay": ay, "by": y_north - ay * north[1]}


def fit_inset(shape, bounds) -> dict:
    """Equirectangular fit of an island's bounding box on its drawing (small areas)."""
    lon0, lat0, lon1, lat1 = bounds
    x0, y0, x1, y1 = shape.bounds
    ax = (x1 - x0) / (lon1 - lon0)
    ay = (y0 - y1) / (lat1 - lat0)
    return {"kind": "lonlat", "ax": ax, "bx": x0 - ax * lon0, "ay": ay, "by": y1 - ay * lat0}


def path_data(geometry, precision: int = 1) -> str:
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = list(ring.coords)[:-1]
            px, py = round(coords[0][0], precision), round(coords[0][1], precision)
            out = [f"M{px:g} {py:g}"]
            for cx, cy in coords[1:]:
                cx, cy = round(cx, precision), round(cy, precision)
                dx, dy = round(cx - px, precision), round(cy - py, precision)
                if dx or dy:
                    out.append(f"{dx:g} {dy:g}")
                px, py = cx, cy
            parts.append(out[0] + "l" + " ".join(out[1:]) + "z")
    return "".join(parts)


def main(source: str) -> None:
    shapes = department_shapes(Path(source).read_text(encoding="utf-8"))
    fits = {"metropole": fit_metropole(shapes)}
    regions = {}
    for region, departments in REGION_DEPARTMENTS.items():
        merged = unary_union([shapes[d] for d in departments.split()])
        # Close the hairline gaps between neighbouring departments, then simplify (about 1 px at 600 px).
        merged = merged.buffer(1.2, join_style="mitre").buffer(-1.2, join_style="mitre")
        tolerance = 0.6 if region in OVERSEAS else 1.6
        merged = merged.simplify(tolerance, preserve_topology=True)
        # Drop islets smaller than a few pixels.
        if isinstance(merged, MultiPolygon):
            merged = MultiPolygon([p for p in merged.geoms if p.area > 25]) if region not in OVERSEAS else merged
        regions[region] = merged
        if region in OVERSEAS_BOUNDS:
            fits[region] = fit_inset(unary_union([shapes[d] for d in departments.split()]), OVERSEAS_BOUNDS[region])
    # Where each region's figures are written: a point inside its largest part.
    labels = {}
    for region, geometry in regions.items():
        largest = max(geometry.geoms, key=lambda p: p.area) if isinstance(geometry, MultiPolygon) else geometry
        point = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
        labels[region] = [round(point.x), round(point.y)]
    # Île-de-France is small and Paris (AP-HP) sits near its middle: its figures go to its lower right.
    ix0, iy0, ix1, iy1 = regions["11"].bounds
    labels["11"] = [round(ix0 + 0.65 * (ix1 - ix0)), round(iy0 + 0.78 * (iy1 - iy0))]
    assert regions["11"].contains(Point(*labels["11"]))
    # The frame drawn around each overseas inset (x, y, width, height), 12 units from its shape.
    insets = {}
    for region in sorted(OVERSEAS):
        ix0, iy0, ix1, iy1 = regions[region].bounds
        insets[region] = [round(ix0 - 12), round(iy0 - 12), round(ix1 - ix0 + 24), round(iy1 - iy0 + 24)]
    everything = unary_union(list(regions.values()))
    x0, y0, x1, y1 = everything.bounds
    margin = 50  # room for the inset frames and their names
    view_box = f"{x0 - margin:.0f} {y0 - margin:.0f} {x1 - x0 + 2 * margin:.0f} {y1 - y0 + 2 * margin:.0f}"
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">',
        "<title>Régions de France (2016), outre-mer en encarts</title>",
        "<desc>Contours : pygal_maps_fr 1.1.0 (Kozea), licence GNU LGPL v3 ou ultérieure ; départements fusionnés"
        " en régions et simplifiés par tools/build_region_map.py.</desc>",
        f"<metadata>{json.dumps({'fits': fits, 'insets': insets, 'labels': labels}, separators=(',', ':'))}</metadata>",
    ]
    for region, geometry in sorted(regions.items()):
        lines.append(f'<path id="region-{region}" data-code="{region}" d="{path_data(geometry)}"/>')
    lines.append("</svg>")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size} bytes, viewBox {view_box}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
