"""The "percentage up to date over time" chart, drawn as SVG on the server (no script, no CDN)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT, PAD = 600, 160, 34


@dataclass(frozen=True)
class Line:
    edition: str
    points: str  # SVG polyline points
    last: float
    end: tuple[float, float]  # where the latest day is drawn: a dot, seen even on day one


def lines(
    history: Mapping[str, Sequence[tuple[date, float]]], first: date, last: date
) -> list[Line]:
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (day - first).days / span, 1)

    def y(percent: float) -> float:
        return round(PAD + (HEIGHT - 2 * PAD) * (100 - percent) / 100, 1)

    return [
        Line(
            edition,
            " ".join(f"{x(day)},{y(percent)}" for day, percent in points),
            points[-1][1],
            (x(points[-1][0]), y(points[-1][1])),
        )
        for edition, points in history.items()
        if points
    ]
