"""Geometry of the server-rendered SVG charts: they print, and need no JavaScript."""

import math
from dataclasses import dataclass

RADAR_SIZE = 360
RADAR_RADIUS = 120
LABEL_RADIUS = 140
LABEL_ROOM = 100  # on each side, for the criteria's names
SERIES_COLOURS = ["#0d6efd", "#d63384", "#198754"]


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


def _polygon(values: list[float], count: int) -> str:
    return " ".join(
        "{},{}".format(*_point(i, count, RADAR_RADIUS * value / 10))
        for i, value in enumerate(values)
    )


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
                _polygon([candidate["values"][c["key"]] for c in criteria], count),
            )
            for candidate, colour in zip(candidates, SERIES_COLOURS, strict=False)
        ],
    )
