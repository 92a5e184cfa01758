"""The collocation network: strongest word pairs as a graph, each cluster laid out on its own.

``networkx`` is imported only when a network is drawn.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd

from helpers.charts.axes import ensure_axes, nothing_to_draw, rtl_axis
from helpers.charts.theme import PALETTE
from helpers.rtl import for_matplotlib

__all__ = ["collocation_network"]


def _upright(layout: dict) -> dict:
    """Turn a component's layout so its long axis is vertical: words are wide, so a chain
    of words stacked one above the other keeps its labels apart; a pair stays diagonal."""
    if len(layout) < 3:
        return layout
    xy = np.array(list(layout.values()), dtype=float)
    xy -= xy.mean(axis=0)
    _, _, axes = np.linalg.svd(xy, full_matrices=False)
    turned = xy @ axes.T[:, ::-1]  # long axis (first component) -> y
    return dict(zip(layout, map(tuple, turned)))


def _component_layout(graph, *, seed: int = 0) -> dict:
    """Lay out each connected component on its own, packed in rows from the top right.

    (One spring layout of the whole graph pushes many small components onto a ring and
    piles their labels on top of each other.) A component gets room in proportion to its
    size, so the largest cluster, usually the most telling, is drawn first (top right,
    where an Arabic reader starts) and widest; clusters of three words or more use the
    Kamada-Kawai layout, which spaces nodes evenly, pairs a short diagonal line.
    """
    import networkx as nx

    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    boxes = []
    for nodes in components:
        sub = graph.subgraph(nodes)
        radius = 0.6 * math.sqrt(len(nodes))  # 2 words: 0.85, 9 words: 1.8
        layout = (nx.kamada_kawai_layout(sub, weight=None, scale=radius) if len(nodes) > 2
                  else nx.spring_layout(sub, seed=seed, scale=radius))
        boxes.append((_upright(layout), radius))
    side = [2 * r + 1.0 for _, r in boxes]  # each component's square, with a margin
    width = max(side[0], 1.1 * math.sqrt(sum(w * w for w in side)))
    pos, x, y, row_height = {}, 0.0, 0.0, 0.0
    for (layout, r), w in zip(boxes, side):
        if x > 0 and x + w > width:  # next row
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in layout.items():
            pos[node] = (-(x + w / 2) + px, y - w / 2 + py)  # rows run right to left
        x += w
        row_height = max(row_height, w)
    return pos


def collocation_network(data: pd.DataFrame, *, source: str = "w1", target: str = "w2",
                        weight: str = "score", n: int = 40, ax=None, seed: int = 0,
                        title: str | None = None,
                        empty: str = "No word pairs to draw: too few pairs repeat."):
    """A network of the ``n`` strongest collocations, with Arabic node labels.

    Args:
        data: one row per word pair (e.g. ``helpers`` collocations: w1, w2, count, score).
        source, target: the two word columns.
        weight: strength column (edges are thicker for stronger pairs).
        n: how many pairs.
        ax: Axes to draw on.
        seed: seed of the spring layout, so the picture is reproducible.
        title: chart title.
        empty: note drawn instead of the chart when there are no pairs.

    Returns:
        The Axes. Example: ``collocation_network(coll, source="w1", target="w2", weight="score")``.
    """
    import networkx as nx

    top = data.nlargest(n, weight)
    graph = nx.Graph()
    for a, b, w in zip(top[source], top[target], top[weight].astype(float)):
        graph.add_edge(a, b, weight=w)
    if graph.number_of_nodes() == 0:
        return nothing_to_draw(ax, empty, title=title)
    ax = ensure_axes(ax, figsize=(8, 8))
    pos = _component_layout(graph, seed=seed)
    weights = np.array([d["weight"] for *_, d in graph.edges(data=True)])
    widths = 0.5 + 3 * (weights - weights.min()) / (np.ptp(weights) or 1)
    degree = np.array([graph.degree(node) for node in graph.nodes])
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="0.7")
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=80 + 60 * degree,
                           node_color=PALETTE[0], alpha=0.25)
    nx.draw_networkx_labels(graph, pos, ax=ax,
                            labels={node: for_matplotlib(node) for node in graph.nodes},
                            font_family=mpl.rcParams["font.family"], font_size=11)
    ax.set_axis_off()
    ax.margins(0.12)
    return rtl_axis(ax, title=title)
