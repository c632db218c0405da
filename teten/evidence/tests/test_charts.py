"""The SVG charts' geometry (the numbers in them are checked with the reports)."""

import re

from teten.evidence.charts import Line, line_chart


def _markers_x(svg: str) -> set[float]:
    return {float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)}


def test_a_line_chart_of_one_month_puts_the_month_in_the_middle():
    svg = str(line_chart(key="t", title="T", desc="D", x_labels=["oktober 2026"], lines=[Line("Fase 4", [0.67])]))
    plot_left, plot_right = 50, 760 - 190
    middle = (plot_left + plot_right) / 2
    (label_x,) = re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="middle" class="chart-tick">oktober 2026<', svg)
    assert float(label_x) == middle
    assert middle in _markers_x(svg)


def test_a_line_chart_of_several_months_runs_from_axis_to_axis():
    svg = str(
        line_chart(key="t", title="T", desc="D", x_labels=["a", "b", "c"], lines=[Line("Fase 4", [0.1, 0.2, 0.3])])
    )
    path = re.search(r'<path d="M([\d.]+) [\d.]+L[\d.]+ [\d.]+L([\d.]+) ', svg)
    assert (float(path.group(1)), float(path.group(2))) == (50, 570)
