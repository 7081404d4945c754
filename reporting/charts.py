"""Server-rendered SVG bar charts in the DSFR palette, readable without colour: each series has its
own fill pattern, every bar carries its value as text, and a data table follows each chart."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

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
    chart = {
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
    chart["svg"] = render_svg(chart)
    return chart


_PATTERNS = {
    "solid": '<rect width="6" height="6" fill="{fill}"/>',
    "hatch": '<rect width="6" height="6" fill="#fff"/><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" '
    'stroke="{fill}" stroke-width="1.6"/>',
    "dots": '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="{fill}"/>',
    "cross": '<rect width="6" height="6" fill="#fff"/><path d="M0,0 l6,6 M6,0 l-6,6" '
    'stroke="{fill}" stroke-width="1.2"/>',
}


def _truncate(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def render_svg(chart: dict) -> SafeString:
    """The chart's SVG markup, built in Python (a dashboard draws hundreds of bars: a template loop
    per bar cost more than the queries). Every text is escaped."""
    cid = escape(chart["id"])
    out = [
        f'<svg role="img" aria-labelledby="{cid}-title" viewBox="0 0 {chart["width"]} {chart["height"]}" '
        f'width="100%" style="max-width: {chart["width"]}px" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Marianne, Arial, sans-serif" font-size="12">',
        f'<title id="{cid}-title">{escape(str(chart["title"]))} (les valeurs sont reprises dans le tableau qui '
        "suit)</title><defs>",
    ]
    for i, style in enumerate(chart["styles"]):
        body = _PATTERNS.get(style["pattern"], _PATTERNS["cross"]).format(fill=escape(style["fill"]))
        out.append(f'<pattern id="{cid}-p{i}" patternUnits="userSpaceOnUse" width="6" height="6">{body}</pattern>')
    out.append("</defs>")
    for item in chart["legend"]:
        out.append(
            f'<g><rect x="{item["x"]}" y="{item["y"]}" width="14" height="14" fill="url(#{cid}-p{item["index"]})" '
            f'stroke="{escape(item["style"]["fill"])}"/><text x="{item["x"] + 20}" y="{item["y"] + 11}" '
            f'fill="#161616">{escape(str(item["label"]))}</text></g>'
        )
    for group in chart["groups"]:
        label = escape(str(group.label))
        out.append(
            f'<g><text x="{chart["label_x"]}" y="{group.y}" dy="{group.height / 2:.0f}" dominant-baseline="middle" '
            f'text-anchor="end" fill="#161616">{escape(_truncate(str(group.label)))}</text>'
        )
        for bar in group.bars:
            stroke = escape(SERIES_STYLES[bar.series % len(SERIES_STYLES)]["fill"])
            text = escape(str(bar.text))
            out.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="url(#{cid}-p{bar.series})" stroke="{stroke}" stroke-width="0.8"><title>{label} — {text}'
                f'</title></rect><text x="{bar.x + bar.width:.0f}" dx="6" y="{bar.y + 12}" fill="#161616">{text}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every interpolated text above is escaped
