"""Reliability plots as PNG with Pillow (no matplotlib here): answered share (x) vs accuracy (y),
one line per series, and calibration bins (predicted P(answerable) vs observed share)."""
from __future__ import annotations

import math
from pathlib import Path

COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189)]


def plot_png(path: Path, *, title: str, series: dict[str, list[tuple[float, float]]], xlabel: str,
             ylabel: str, diagonal: bool = False) -> None:
    """Draw ``series`` (``{label: [(x, y), ...]}`` with x, y in [0, 1]; NaN points skipped) into ``path``."""
    from PIL import Image, ImageDraw

    w, h, m = 640, 480, 60
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)

    def xy(x: float, y: float) -> tuple[float, float]:
        return m + x * (w - 2 * m), h - m - y * (h - 2 * m)

    d.rectangle([xy(0, 1), xy(1, 0)], outline="black")
    for t in range(0, 11, 2):
        v = t / 10
        d.line([xy(v, 0), xy(v, -0.015)], fill="black")
        d.text((xy(v, 0)[0] - 8, h - m + 8), f"{v:.1f}", fill="black")
        d.line([xy(0, v), xy(-0.015, v)], fill="black")
        d.text((m - 34, xy(0, v)[1] - 6), f"{v:.1f}", fill="black")
    if diagonal:
        d.line([xy(0, 0), xy(1, 1)], fill=(180, 180, 180))
    d.text((m, 20), title, fill="black")
    d.text((w // 2 - 60, h - 25), xlabel, fill="black")
    d.text((5, 35), ylabel, fill="black")
    for n, (label, points) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        pts = [xy(x, y) for x, y in points if not (math.isnan(x) or math.isnan(y))]
        if len(pts) > 1:
            d.line(pts, fill=colour, width=2)
        for px, py in pts:
            d.ellipse([px - 3, py - 3, px + 3, py + 3], fill=colour)
        d.text((w - m - 200, m + 10 + 16 * n), label, fill=colour)
    img.save(path)
