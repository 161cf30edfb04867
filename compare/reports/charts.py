"""Geometry of the server-rendered SVG charts: they print, and need no JavaScript."""

import math
from dataclasses import dataclass

from django.utils import formats
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


SENSITIVITY_WIDTH = 320
SENSITIVITY_HEIGHT = 170
SENSITIVITY_PLOT = (44, 12, 308, 140)  # left, top, right, bottom of the plotting area
# A fourth line when a challenger at a flip point is not among the first three.
SENSITIVITY_COLOURS = [*SERIES_COLOURS, "#6f42c1"]
SENSITIVITY_DASHES = [*SERIES_DASHES, "8 2 2 2"]


@dataclass(frozen=True)
class SensitivityLine:
    name: str
    colour: str
    dash: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class SensitivityMark:
    x: float
    y: float
    label: str  # the weight, "14 %"

    @property
    def diamond(self) -> str:
        x, y, r = self.x, self.y, 5
        return " ".join(
            f"{_svg(a)},{_svg(b)}" for a, b in ((x, y - r), (x + r, y), (x, y + r), (x - r, y))
        )


@dataclass(frozen=True)
class SensitivityChart:
    view_box: str
    plot: tuple[float, float, float, float]
    lines: list[SensitivityLine]
    current: SensitivityMark  # the weight now, a vertical line
    flips: list[SensitivityMark]  # where the winner changes
    y_labels: list[SensitivityMark]  # the score scale's ends
    x_labels: list[SensitivityMark]  # 0 % and 100 %

    @property
    def frame(self) -> dict:
        left, top, right, bottom = self.plot
        return {"x": left, "y": top, "width": right - left, "height": bottom - top}

    @property
    def flip_label_y(self) -> float:
        return self.plot[3] - 4

    @property
    def current_label_y(self) -> float:
        return self.plot[1] - 2


def sensitivity_chart(data: dict | None) -> SensitivityChart | None:
    """One criterion's one-at-a-time chart: the drawn candidates' scores (straight lines) as
    its weight goes from 0 to 100 %, the current weight, and each flip point on the winner's
    line, where another candidate overtakes it."""
    if not data or not data["lines"]:
        return None
    left, top, right, bottom = SENSITIVITY_PLOT
    ends = [value for line in data["lines"] for value in (line["start"], line["end"])]
    low, high = math.floor(min(ends) / 10) * 10, math.ceil(max(ends) / 10) * 10
    high = high if high > low else low + 10

    def x(weight):
        return left + (right - left) * weight

    def y(score):
        return bottom - (bottom - top) * (score - low) / (high - low)

    def on(line, weight):
        return line["start"] + weight * (line["end"] - line["start"])

    winner = data["lines"][0]
    lines = [
        SensitivityLine(
            line["name"],
            SENSITIVITY_COLOURS[index % len(SENSITIVITY_COLOURS)],
            SENSITIVITY_DASHES[index % len(SENSITIVITY_DASHES)],
            round(x(0), 1),
            round(y(line["start"]), 1),
            round(x(1), 1),
            round(y(line["end"]), 1),
        )
        for index, line in enumerate(data["lines"])
    ]
    flips = [
        SensitivityMark(round(x(weight), 1), round(y(on(winner, weight)), 1), _percent(weight))
        for weight in (data["lower"], data["upper"])
        if weight is not None
    ]
    return SensitivityChart(
        view_box=f"0 0 {SENSITIVITY_WIDTH} {SENSITIVITY_HEIGHT}",
        plot=SENSITIVITY_PLOT,
        lines=lines,
        current=SensitivityMark(round(x(data["weight"]), 1), top, _percent(data["weight"])),
        flips=flips,
        y_labels=[SensitivityMark(left - 4, round(y(v), 1) + 4, f"{v:g}") for v in (low, high)],
        x_labels=[SensitivityMark(x(t), bottom + 14, _percent(t)) for t in (0, 1)],  # start, end
    )


def _percent(weight: float) -> str:
    return formats.number_format(round(100 * weight), 0) + "\u00a0%"
