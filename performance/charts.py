"""Server-rendered SVG charts: no JavaScript, no inline styles (CSP), colour only in support of words.

Each chart is drawn from rows the selectors already counted; the page shows the same rows as a table
beside the chart, and every bar segment carries a <title> naming its rating in words.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

RAG_ORDER = (("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("not_reported", "Not reported"))
#: Each rating's fill as an SVG presentation attribute, for renderers that do not apply the page's stylesheet
#: to inline SVG (WeasyPrint, printing the quarterly pack); the stylesheet's classes win where it applies.
RAG_FILLS = {"red": "#d4351c", "amber": "#b58840", "green": "#00703c", "not_reported": "#b1b4b6"}

LABEL_WIDTH = 190
BAR_AREA = 420
ROW_HEIGHT = 26
BAR_HEIGHT = 18


@dataclass(frozen=True)
class Chart:
    """An SVG chart with the id of its title and description, for a <figure>."""

    svg: SafeString
    title: str


def _svg(width: int, height: int, chart_id: str, title: str, description: str, body: list[str]) -> SafeString:
    head = format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every piece above is escaped


def rag_stacked_bars(rows: list[dict], *, chart_id: str, title: str, label_key: str = "label") -> Chart:
    """Horizontal bars, one per row, stacked red, amber, green, not reported; widths scaled to the longest."""
    longest = max((sum(row.get(key) or 0 for key, _ in RAG_ORDER) for row in rows), default=0) or 1
    body = []
    for index, row in enumerate(rows):
        y = index * ROW_HEIGHT + 4
        label = str(row.get(label_key, ""))
        body.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                label,
            )
        )
        x = Decimal(LABEL_WIDTH)
        for key, word in RAG_ORDER:
            count = row.get(key) or 0
            if not count:
                continue
            width = Decimal(BAR_AREA) * count / longest
            body.append(
                format_html(
                    '<rect class="chart__bar--{}" fill="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} {}</title></rect>",
                    key,
                    RAG_FILLS[key],
                    round(x, 1),
                    y,
                    round(width, 1),
                    BAR_HEIGHT,
                    label,
                    count,
                    word,
                )
            )
            x += width
        total = sum(row.get(key) or 0 for key, _ in RAG_ORDER)
        body.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}">{}</text>', round(x, 1) + 6, y + BAR_HEIGHT - 4, total
            )
        )
    height = max(len(rows), 1) * ROW_HEIGHT + 8
    description = "; ".join(
        f"{row.get(label_key, '')}: " + ", ".join(f"{row.get(key) or 0} {word.lower()}" for key, word in RAG_ORDER)
        for row in rows
    )
    return Chart(_svg(LABEL_WIDTH + BAR_AREA + 50, height, chart_id, title, description, body), title)


def line_with_target(series: list[dict], *, chart_id: str, title: str) -> Chart:
    """A line of ``actual`` per period with the ``target`` drawn as a dashed line, both labelled."""
    width, height, left, right, bottom, top = 640, 260, 80, 60, 40, 20
    values = [row[key] for row in series for key in ("actual", "target") if row.get(key) is not None]
    highest = max(values, default=Decimal(1)) or Decimal(1)
    step = (width - left - right) / max(len(series) - 1, 1)

    def point(index, value):
        x = left + step * index if len(series) > 1 else left + (width - left - right) / 2
        y = height - bottom - (height - bottom - top) * float(value) / float(highest)
        return round(x, 1), round(y, 1)

    body = [
        format_html(
            '<line class="chart__axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
            left,
            height - bottom,
            width - right,
            height - bottom,
        ),
        format_html(
            '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>', left - 6, top + 5, _number(highest)
        ),
        format_html('<text class="chart__label" x="{}" y="{}" text-anchor="end">0</text>', left - 6, height - bottom),
    ]
    for key, css in (("target", "chart__target"), ("actual", "chart__line")):
        points = [point(i, row[key]) for i, row in enumerate(series) if row.get(key) is not None]
        if len(points) > 1:
            body.append(
                format_html(
                    '<polyline class="{}" points="{}"></polyline>', css, " ".join(f"{x},{y}" for x, y in points)
                )
            )
        for (x, y), row in zip(points, [row for row in series if row.get(key) is not None], strict=True):
            name = "Target" if key == "target" else "Actual"
            body.append(
                format_html(
                    '<circle class="{}" cx="{}" cy="{}" r="4"><title>{} {}: {}</title></circle>',
                    css,
                    x,
                    y,
                    row["label"],
                    name.lower(),
                    _number(row[key]),
                )
            )
    for i, row in enumerate(series):
        x, _ = point(i, 0)
        body.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                x,
                height - bottom + 20,
                row["label"],
            )
        )
    description = "; ".join(
        f"{row['label']}: actual {_number(row.get('actual'))}, target {_number(row.get('target'))}" for row in series
    )
    return Chart(_svg(width, height, chart_id, title, description or "No figures reported.", body), title)


def _number(value) -> str:
    if value is None:
        return "not reported"
    value = Decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
