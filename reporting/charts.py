"""Server-rendered SVG bar charts in the DSFR palette, readable without colour: each series has its
own fill pattern, every bar carries its value as text, and a data table follows each chart."""

from __future__ import annotations

from dataclasses import dataclass

# DSFR colours (blue-france, and a contrasting "illustrative" colour) with distinct patterns.
SERIES_STYLES = (
    {"fill": "#000091", "pattern": "solid"},
    {"fill": "#e1000f", "pattern": "hatch"},
    {"fill": "#18753c", "pattern": "dots"},
    {"fill": "#b34000", "pattern": "cross"},
)

LABEL_WIDTH = 220
BAR_AREA = 360
VALUE_WIDTH = 110
BAR_HEIGHT = 16
BAR_GAP = 3
GROUP_GAP = 12


@dataclass
class Bar:
    series: int
    value: float
    text: str
    x: float = 0
    y: float = 0
    width: float = 0


@dataclass
class Group:
    label: str
    bars: list[Bar]
    y: float = 0
    height: float = 0


def bar_chart(
    *, chart_id: str, title: str, series: list[str], groups: list[tuple[str, list[tuple[float, str]]]]
) -> dict:
    """A horizontal grouped bar chart: ``groups`` = [(label, [(value, text) per series])]."""
    maximum = max((value for _label, values in groups for value, _text in values), default=0) or 1
    y = 24 + 20 * ((len(series) + 1) // 2)  # room for the legend
    built = []
    for label, values in groups:
        bars = []
        top = y
        for index, (value, text) in enumerate(values):
            width = max(BAR_AREA * float(value) / float(maximum), 1 if value else 0)
            bars.append(Bar(series=index, value=value, text=text, x=LABEL_WIDTH, y=y, width=width))
            y += BAR_HEIGHT + BAR_GAP
        built.append(Group(label=label, bars=bars, y=top, height=y - top - BAR_GAP))
        y += GROUP_GAP
    legend = [
        {
            "label": name,
            "style": SERIES_STYLES[i % len(SERIES_STYLES)],
            "index": i,
            "x": 8 + (i % 2) * 300,
            "y": 8 + 20 * (i // 2),
        }
        for i, name in enumerate(series)
    ]
    return {
        "id": chart_id,
        "title": title,
        "legend": legend,
        "groups": built,
        "styles": SERIES_STYLES,
        "width": LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        "height": y,
        "label_x": LABEL_WIDTH - 8,
        "value_offset": 6,
    }
