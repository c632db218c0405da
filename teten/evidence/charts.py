"""SVG charts for the evidence reports, readable without colour: every bar and line carries its
own text label, series differ by fill pattern, dash and marker shape as well as colour, and each
chart has a <title> and <desc>. A data table always stands next to the chart.

No inline styles (the CSP forbids them): only SVG presentation attributes and CSS classes from
evidence/reports.css. The output is built from escaped text and numbers only.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
LABEL_WIDTH = 230
ROW = 26
BAR = 16
PATTERNS = ("solid", "hatch", "dots", "cross")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "star")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 5", "12 6")


@dataclass
class Bar:
    label: str  # the row, e.g. "Fase 4"
    value: float | Decimal | None  # None: nothing to draw (suppressed or no data)
    text: str  # what is written at the end of the bar, e.g. "60 %"
    series: int = 0
    indented: bool = False


@dataclass
class Line:
    label: str
    values: list[float | Decimal | None]  # one per x position, fractions 0..1


def _defs(key: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="pattern-bg"/><line x1="0" y1="0" x2="0" y2="6" class="pattern-ink" '
        'stroke-width="2.5"/></pattern>'
        f'<pattern id="{key}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" class="pattern-bg"/>'
        '<circle cx="2.5" cy="2.5" r="1.3" class="pattern-dot"/></pattern>'
        f'<pattern id="{key}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" class="pattern-bg"/><path d="M0 3H6M3 0V6" class="pattern-ink" stroke-width="1.2"/>'
        "</pattern></defs>"
    )


def _fill(key: str, series: int) -> str:
    pattern = PATTERNS[series % len(PATTERNS)]
    return f'class="chart-bar chart-bar-{series % len(PATTERNS)}"' + (
        "" if pattern == "solid" else f' fill="url(#{key}-{pattern})"'
    )


def _open(key: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" focusable="false">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>'
    )


def bar_chart(*, key: str, title: str, desc: str, bars: list[Bar], legend: list[str] = (), maximum=None) -> SafeString:
    """Horizontal bars, one per row, the row label on the left and the value written after the bar.
    `legend` names the series when there is more than one (bars of one row share its label)."""
    top = 8 + (ROW if legend else 0)
    height = top + ROW * len(bars) + 8
    scale_max = maximum or max([float(b.value) for b in bars if b.value is not None] + [0]) or 1
    plot = WIDTH - LABEL_WIDTH - 90
    parts = [_open(key, title, desc, height), _defs(key)]
    x = LABEL_WIDTH
    for i, name in enumerate(legend):
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" {_fill(key, i)}/>')
        parts.append(f'<text x="{x + 20}" y="18" class="chart-label">{escape(name)}</text>')
        x += 30 + 8 * len(name)
    previous = None
    for i, b in enumerate(bars):
        y = top + i * ROW
        if b.label != previous:
            indent = 16 if b.indented else 0
            parts.append(
                f'<text x="{LABEL_WIDTH - 8 - 0}" y="{y + BAR - 3}" text-anchor="end" class="chart-label'
                f'{" chart-label-sub" if indent else ""}">{escape(b.label)}</text>'
            )
        previous = b.label
        width = 0 if b.value is None else round(plot * float(b.value) / float(scale_max), 1)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" {_fill(key, b.series)}/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR - 3}" class="chart-value">{escape(b.text)}</text>'
        )
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{top - 4}" x2="{LABEL_WIDTH}" y2="{height - 4}" class="chart-axis"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()


def _marker(shape: str, x: float, y: float, series: int) -> str:
    cls = f'class="marker series-{series % len(MARKERS)}"'
    if shape == "circle":
        return f'<circle cx="{x}" cy="{y}" r="4" {cls}/>'
    if shape == "square":
        return f'<rect x="{x - 3.5}" y="{y - 3.5}" width="7" height="7" {cls}/>'
    if shape == "triangle":
        return f'<path d="M{x} {y - 5}L{x + 4.5} {y + 3.5}L{x - 4.5} {y + 3.5}Z" {cls}/>'
    if shape == "diamond":
        return f'<path d="M{x} {y - 5}L{x + 5} {y}L{x} {y + 5}L{x - 5} {y}Z" {cls}/>'
    if shape == "cross":
        return f'<path d="M{x - 4} {y - 4}L{x + 4} {y + 4}M{x - 4} {y + 4}L{x + 4} {y - 4}" {cls} stroke-width="2"/>'
    return (
        f'<path d="M{x} {y - 5}L{x + 1.5} {y - 1.5}L{x + 5} {y - 1.5}L{x + 2} {y + 1}L{x + 3} {y + 5}L{x} {y + 2.5}'
        f'L{x - 3} {y + 5}L{x - 2} {y + 1}L{x - 5} {y - 1.5}L{x - 1.5} {y - 1.5}Z" {cls}/>'
    )


def _spread(positions: list[tuple[float, int]], gap: float = 13) -> dict[int, float]:
    """Move end labels apart so that no two overlap: (y, index) → index → new y."""
    placed: dict[int, float] = {}
    last = None
    for y, i in sorted(positions):
        y = y if last is None else max(y, last + gap)
        placed[i] = last = y
    return placed


def line_chart(
    *, key: str, title: str, desc: str, x_labels: list[str], lines: list[Line], every: int = 1
) -> SafeString:
    """Shares 0-100 % over time; each line has its own dash and marker and its name at its end."""
    left, right, top, bottom = 50, 190, 12, 40
    height = 320
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    n = max(len(x_labels) - 1, 1)

    def px(i: int) -> float:
        if len(x_labels) == 1:  # one month: a point in the middle, not at the axis with an empty plot beside it
            return round(left + plot_w / 2, 1)
        return round(left + plot_w * i / n, 1)

    def py(v) -> float:
        return round(top + plot_h * (1 - float(v)), 1)

    parts = [_open(key, title, desc, height)]
    for pct in range(0, 101, 25):
        y = py(pct / 100)
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" class="chart-grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="chart-tick">{pct} %</text>')
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == len(x_labels) - 1:
            x, y = px(i), height - bottom + 16
            parts.append(f'<text x="{x}" y="{y}" text-anchor="middle" class="chart-tick">{escape(label)}</text>')
    ends: list[tuple[float, int]] = []
    for s, line in enumerate(lines):
        points = [(px(i), py(v)) for i, v in enumerate(line.values) if v is not None]
        if not points:
            continue
        dash = DASHES[s % len(DASHES)]
        path = "M" + "L".join(f"{x} {y}" for x, y in points)
        parts.append(
            f'<path d="{path}" class="line series-{s % len(MARKERS)}" fill="none"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        shape = MARKERS[s % len(MARKERS)]
        step = max(1, len(points) // 12)
        parts += [_marker(shape, x, y, s) for j, (x, y) in enumerate(points) if j % step == 0 or j == len(points) - 1]
        ends.append((points[-1][1], s))
    placed = _spread(ends)
    for s, y in placed.items():
        x = left + plot_w + 14
        parts.append(_marker(MARKERS[s % len(MARKERS)], x, y, s))
        parts.append(f'<text x="{x + 10}" y="{y + 4}" class="chart-label">{escape(lines[s].label)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="chart-axis"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through escape()
