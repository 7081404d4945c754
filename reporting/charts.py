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

TARGET_STROKE = "#3a3a3a"  # grey-200 of the DSFR: contrast above 3:1 on white for a graphical object
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
    show_text: bool = True  # stacked segments carry their value in the tooltip only


@dataclass
class Group:
    label: str
    bars: list[Bar]
    y: float = 0
    height: float = 0
    target: Bar | None = None  # stacked charts: the outline of the objective (a quota, the expected reports)
    end_text: str = ""  # stacked charts: one value text after the lane, the segments carrying none


def bar_chart(
    *,
    chart_id: str,
    title: str,
    series: list[str],
    groups: list[tuple[str, list[tuple[float, str]]]],
    skip_zero: bool = False,
    label_width: int = LABEL_WIDTH,
    bar_area: int = BAR_AREA,
) -> dict:
    """A horizontal grouped bar chart: ``groups`` = [(label, [(value, text) per series])].

    ``skip_zero`` draws no bar for a zero and no group whose values are all zero (the data table beside
    the chart still lists them): a state with no dossier is not a stack of "0" labels."""
    if skip_zero:
        groups = [(label, values) for label, values in groups if any(value for value, _text in values)]
    maximum = max((value for _label, values in groups for value, _text in values), default=0) or 1
    y = 24 + 20 * ((len(series) + 1) // 2)  # room for the legend
    built = []
    for label, values in groups:
        bars = []
        top = y
        for index, (value, text) in enumerate(values):
            if skip_zero and not value:
                continue
            width = max(bar_area * float(value) / float(maximum), 1 if value else 0)
            bars.append(Bar(series=index, value=value, text=text, x=label_width, y=y, width=width))
            y += BAR_HEIGHT + BAR_GAP
        built.append(Group(label=label, bars=bars, y=top, height=y - top - BAR_GAP))
        y += GROUP_GAP
    return _finish(chart_id, title, series, built, y, label_width, bar_area)


def stacked_chart(
    *,
    chart_id: str,
    title: str,
    series: list[str],
    rows: list[tuple[str, list[float], float | None, str]],
    target_label: str = "",
    label_width: int = LABEL_WIDTH,
    bar_area: int = BAR_AREA,
) -> dict:
    """One lane per row: the series' segments end to end, over the outline of a target (``None``: no
    target), one value text after the lane. ``rows`` = [(label, [value per series], target, text)].
    Compact: a region's quota, its labelled centres and its applications in progress on one line."""
    maximum = max((max(sum(values), target or 0) for _label, values, target, _text in rows), default=0) or 1
    legend_entries = len(series) + (1 if target_label else 0)
    y = 24 + 20 * ((legend_entries + 1) // 2)
    built = []
    for label, values, target, text in rows:
        x = label_width
        bars = []
        for index, value in enumerate(values):
            if not value:
                continue
            width = max(bar_area * float(value) / float(maximum), 1)
            bars.append(
                Bar(
                    series=index,
                    value=value,
                    text=f"{series[index]} : {value:g}",
                    x=x,
                    y=y,
                    width=width,
                    show_text=False,
                )
            )
            x += width
        outline = None
        if target:
            outline = Bar(series=-1, value=target, text="", x=label_width, y=y, width=bar_area * target / maximum)
        built.append(Group(label=label, bars=bars, y=y, height=BAR_HEIGHT, target=outline, end_text=text))
        y += BAR_HEIGHT + BAR_GAP + 4
    return _finish(chart_id, title, series, built, y + GROUP_GAP, label_width, bar_area, target_label)


def _finish(chart_id, title, series, built, height, label_width, bar_area, target_label="") -> dict:
    column = (label_width + bar_area + VALUE_WIDTH) // 2
    legend = [
        {
            "label": name,
            "style": SERIES_STYLES[i % len(SERIES_STYLES)],
            "index": i,
            "x": 8 + (i % 2) * column,
            "y": 8 + 20 * (i // 2),
        }
        for i, name in enumerate(series)
    ]
    if target_label:
        i = len(series)
        legend.append(
            {"label": target_label, "style": None, "index": -1, "x": 8 + (i % 2) * column, "y": 8 + 20 * (i // 2)}
        )
    chart = {
        "id": chart_id,
        "title": title,
        "legend": legend,
        "groups": built,
        "styles": SERIES_STYLES,
        "width": label_width + bar_area + VALUE_WIDTH,
        "height": height,
        "label_x": label_width - 8,
        "value_offset": 6,
        "empty": not any(group.bars or group.target for group in built),
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
        if item["style"] is None:  # the target's outline
            out.append(
                f'<g><rect x="{item["x"]}" y="{item["y"]}" width="14" height="14" fill="none" stroke="{TARGET_STROKE}" '
                f'stroke-dasharray="3 2"/><text x="{item["x"] + 20}" y="{item["y"] + 11}" fill="#161616">'
                f"{escape(str(item['label']))}</text></g>"
            )
            continue
        out.append(
            f'<g><rect x="{item["x"]}" y="{item["y"]}" width="14" height="14" fill="url(#{cid}-p{item["index"]})" '
            f'stroke="{escape(item["style"]["fill"])}"/><text x="{item["x"] + 20}" y="{item["y"] + 11}" '
            f'fill="#161616">{escape(str(item["label"]))}</text></g>'
        )
    label_length = int(chart["label_x"] / 6.6)  # characters that fit left of the bars at 12 px
    for group in chart["groups"]:
        label = escape(str(group.label))
        out.append(
            f'<g><text x="{chart["label_x"]}" y="{group.y}" dy="{group.height / 2:.0f}" dominant-baseline="middle" '
            f'text-anchor="end" fill="#161616">{escape(_truncate(str(group.label), label_length))}</text>'
        )
        if group.target is not None:
            out.append(
                f'<rect x="{group.target.x}" y="{group.y}" width="{group.target.width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="none" stroke="{TARGET_STROKE}" stroke-dasharray="3 2"/>'
            )
        for bar in group.bars:
            stroke = escape(SERIES_STYLES[bar.series % len(SERIES_STYLES)]["fill"])
            text = escape(str(bar.text))
            out.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="url(#{cid}-p{bar.series})" stroke="{stroke}" stroke-width="0.8"><title>{label} — {text}'
                f"</title></rect>"
                + (
                    f'<text x="{bar.x + bar.width:.0f}" dx="6" y="{bar.y + 12}" fill="#161616">{text}</text>'
                    if bar.show_text
                    else ""
                )
            )
        if group.end_text:
            end = max(
                [b.x + b.width for b in group.bars] + [group.target.x + group.target.width if group.target else 0]
            )
            out.append(
                f'<text x="{end:.0f}" dx="6" y="{group.y + 12}" fill="#161616">{escape(str(group.end_text))}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every interpolated text above is escaped
