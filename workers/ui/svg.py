"""Geometry of the dashboard's server-drawn SVG: the claim graph and the mentions chart.

Pure functions from read models to shapes; the templates draw them, escaping every label.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from pipeline.store.browse import Edge

WIDTH, HEIGHT = 760, 520
NODE_RADIUS = 26


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    x: float
    y: float
    centre: bool


@dataclass(frozen=True, slots=True)
class DrawnEdge:
    edge: Edge
    path: str
    label_x: float
    label_y: float
    width: float

    @property
    def label(self) -> str:
        return ("not " if self.edge.negated else "") + self.edge.predicate


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: list[Node]
    edges: list[DrawnEdge]
    width: int = WIDTH
    height: int = HEIGHT


def layout(actor_id: str, edges: list[Edge], names: dict[str, str]) -> Graph:
    """The actor in the centre, its counterparts on a circle, one curve per edge."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    others = sorted({e.object if e.subject == actor_id else e.subject for e in edges})
    radius = min(WIDTH, HEIGHT) / 2 - 60
    nodes = {actor_id: Node(actor_id, names.get(actor_id, actor_id), cx, cy, True)}
    for i, other in enumerate(others):
        angle = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        nodes[other] = Node(other, names.get(other, other), x, y, False)
    return Graph(list(nodes.values()), _draw_edges(edges, nodes))


def _draw_edges(edges: list[Edge], nodes: dict[str, Node]) -> list[DrawnEdge]:
    by_pair: dict[frozenset[str], list[Edge]] = defaultdict(list)
    for e in edges:
        by_pair[frozenset((e.subject, e.object))].append(e)
    drawn = []
    for group in by_pair.values():
        for k, e in enumerate(group):
            bend = (k - (len(group) - 1) / 2) * 70
            drawn.append(_curve(e, nodes[e.subject], nodes[e.object], bend))
    return drawn


def _curve(e: Edge, a: Node, b: Node, bend: float) -> DrawnEdge:
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    # Bend to the left of the direction of travel, so a->b and b->a never overlap.
    nx, ny = -dy / length, dx / length
    bend = bend if bend else 0.0
    qx, qy = (a.x + b.x) / 2 + nx * (bend + 14), (a.y + b.y) / 2 + ny * (bend + 14)
    sx, sy = _towards(a.x, a.y, qx, qy, NODE_RADIUS)
    tx, ty = _towards(b.x, b.y, qx, qy, NODE_RADIUS + 6)
    lx, ly = 0.25 * sx + 0.5 * qx + 0.25 * tx, 0.25 * sy + 0.5 * qy + 0.25 * ty
    width = min(1.5 + 1.5 * e.outlets, 9.0)
    path = f"M{sx:.1f},{sy:.1f} Q{qx:.1f},{qy:.1f} {tx:.1f},{ty:.1f}"
    return DrawnEdge(e, path, lx, ly, width)


def _towards(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    d = math.hypot(tx - x, ty - y) or 1.0
    return x + (tx - x) * distance / d, y + (ty - y) * distance / d


@dataclass(frozen=True, slots=True)
class Bar:
    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


def bars(days: list[tuple[str, int]], width: int = 760, height: int = 140) -> list[Bar]:
    """One bar per day with mentions (days without any are left out, not drawn as zero)."""
    if not days:
        return []
    top = max(n for _, n in days)
    step = width / len(days)
    w = max(min(step * 0.8, 40), 2)
    return [
        Bar(day, n, i * step + (step - w) / 2, height - height * n / top, w, height * n / top)
        for i, (day, n) in enumerate(days)
    ]
