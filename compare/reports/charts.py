"""Geometry of the server-rendered SVG charts: they print, and need no JavaScript."""

import math
from dataclasses import dataclass

from django.utils.html import format_html_join

RADAR_SIZE = 360
RADAR_RADIUS = 120
LABEL_RADIUS = 140
LABEL_ROOM = 100  # on each side, for the criteria's names
SERIES_COLOURS = ["#0d6efd", "#d63384", "#198754"]
# Told apart without colour too (printed in black and white): a line pattern and a marker
# shape per candidate, repeated in the legend.
SERIES_DASHES = ["", "6 3", "2 2"]
SERIES_MARKERS = ["circle", "square", "triangle"]
MARKER_SIZE = 4


@dataclass(frozen=True)
class RadarAxis:
    name: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class RadarSeries:
    name: str
    colour: str
    points: str  # the polygon's "x,y x,y ..."
    dash: str  # stroke-dasharray, "" for a solid line
    marker: str  # circle, square or triangle, drawn at each vertex
    vertices: list[tuple[float, float]]

    @property
    def markers(self) -> str:
        """The marker at each vertex, as SVG."""
        return self._markers(self.vertices)

    @property
    def legend_marker(self) -> str:
        """The same marker, on the legend's 36 x 12 line sample."""
        return self._markers([(18, 6)])

    def _markers(self, vertices) -> str:
        size = MARKER_SIZE
        if self.marker == "circle":
            shape = '<circle cx="{}" cy="{}" r="{}" fill="{}"/>'
            rows = [(x, y, size, self.colour) for x, y in vertices]
        elif self.marker == "square":
            shape = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
            rows = [(x - size, y - size, 2 * size, 2 * size, self.colour) for x, y in vertices]
        else:
            shape = '<polygon points="{},{} {},{} {},{}" fill="{}"/>'
            rows = [
                (x, y - size - 1, x - size - 1, y + size, x + size + 1, y + size, self.colour)
                for x, y in vertices
            ]
        return format_html_join("", shape, [tuple(_svg(v) for v in row) for row in rows])


@dataclass(frozen=True)
class Radar:
    size: int
    view_box: str
    centre: float
    axes: list[RadarAxis]
    rings: list[str]  # polygons of the 2, 4, 6, 8 and 10 circles
    series: list[RadarSeries]


def _point(index: int, count: int, radius: float) -> tuple[float, float]:
    angle = 2 * math.pi * index / count - math.pi / 2
    centre = RADAR_SIZE / 2
    return round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1)


def _svg(value) -> str:
    """A coordinate with a dot whatever the language (SVG is not localised)."""
    return f"{round(value, 1):g}" if isinstance(value, float | int) else value


def _vertices(values: list[float], count: int) -> list[tuple[float, float]]:
    return [_point(i, count, RADAR_RADIUS * value / 10) for i, value in enumerate(values)]


def _polygon(values: list[float], count: int) -> str:
    return " ".join("{},{}".format(*vertex) for vertex in _vertices(values, count))


def radar(criteria: list[dict], candidates: list[dict]) -> Radar:
    """Candidates' 0-10 values on every criterion, as polygons on one axis per criterion."""
    count = len(criteria)
    axes = []
    for index, criterion in enumerate(criteria):
        x, y = _point(index, count, RADAR_RADIUS)
        label_x, label_y = _point(index, count, LABEL_RADIUS)
        anchor = (
            "middle"
            if abs(label_x - RADAR_SIZE / 2) < 5
            else ("start" if label_x > RADAR_SIZE / 2 else "end")
        )
        axes.append(RadarAxis(criterion["name"], x, y, label_x, label_y, anchor))
    return Radar(
        size=RADAR_SIZE,
        view_box=f"{-LABEL_ROOM} 0 {RADAR_SIZE + 2 * LABEL_ROOM} {RADAR_SIZE}",
        centre=RADAR_SIZE / 2,
        axes=axes,
        rings=[_polygon([level] * count, count) for level in (2, 4, 6, 8, 10)],
        series=[
            RadarSeries(
                candidate["name"],
                colour,
                _polygon(values, count),
                dash,
                marker,
                _vertices(values, count),
            )
            for candidate, colour, dash, marker in zip(
                candidates, SERIES_COLOURS, SERIES_DASHES, SERIES_MARKERS, strict=False
            )
            for values in [[candidate["values"][c["key"]] for c in criteria]]
        ],
    )


COST_BAR_HEIGHT = 22
COST_LABEL_WIDTH = 190
COST_CHART_WIDTH = 640


@dataclass(frozen=True)
class CostBar:
    name: str
    text: str  # the total as the page writes it
    y: float
    width: float  # of the bar, in the chart's units
    text_x: float


@dataclass(frozen=True)
class CostChart:
    view_box: str
    label_width: int
    bar_height: int
    bars: list[CostBar]


def cost_chart(items: list[dict]) -> CostChart | None:
    """Horizontal bars of the totals in the report's currency, longest for the dearest; free
    products get no bar, and products on quote are left to the table."""
    known = [item for item in items if item["total_in_report_currency"] is not None]
    if not known:
        return None
    room = COST_CHART_WIDTH - COST_LABEL_WIDTH - 110  # and the figure after the bar
    dearest = max(item["total_in_report_currency"] for item in known) or 1
    bars = []
    for index, item in enumerate(known):
        width = room * item["total_in_report_currency"] / dearest
        bars.append(
            CostBar(
                name=item["name"],
                text=item["total_text"],
                y=index * (COST_BAR_HEIGHT + 8),
                width=round(width, 1),
                text_x=round(COST_LABEL_WIDTH + width + 6, 1),
            )
        )
    height = len(bars) * (COST_BAR_HEIGHT + 8)
    return CostChart(f"0 0 {COST_CHART_WIDTH} {height}", COST_LABEL_WIDTH, COST_BAR_HEIGHT, bars)
