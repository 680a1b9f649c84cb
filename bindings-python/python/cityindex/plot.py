"""Charts of cityindex results, drawn with matplotlib (an optional dependency: ``pip install
matplotlib``). Each function takes an optional Axes and returns the Axes it drew on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Analysis, Result, Sensitivity, Uncertainty


def _axes(ax: Any, height: float, width: float = 7) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("cityindex's plots need matplotlib: pip install matplotlib") from error
    _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return ax


def _legend_above(ax: Any) -> None:
    """The legend in a row above the plot, where it covers no unit."""
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)


def ranking(result: Result, node: str | None = None, *, top: int = 30, ax: Any = None) -> Any:
    """Horizontal bars of the `top` units' scores on `node` (default: the top node), best first,
    labelled by name and rank (aggregates, unranked, by name alone)."""
    table = result.ranking(node).head(top)
    ax = _axes(ax, 0.25 * len(table) + 1)
    labels = [f"{int(r)}. {n}" if r == r else str(n) for n, r in zip(table["name"], table["rank"], strict=True)]
    ax.barh(labels[::-1], table["score"].to_numpy()[::-1], color="#3b6ea5")
    ax.set_xlabel(f"score on {node or max(result.levels, key=lambda n: result.levels[n])}")
    return ax


def rank_intervals(uncertainty: Uncertainty, node: str | None = None, *, ax: Any = None) -> Any:
    """Each unit's nominal rank (dot) and 5–95 % rank interval (bar) across the replicates, ordered
    by median rank: the usual chart of a composite indicator's uncertainty analysis."""
    table = uncertainty.summary(node)
    ax = _axes(ax, 0.22 * len(table) + 1)
    y = range(len(table))
    ax.hlines(y, table["q05"], table["q95"], color="#9bb7d4", linewidth=4, label="5–95 % interval")
    ax.plot(table["median"], y, "|", color="#1d3f66", markersize=10, label="median")
    ax.plot(table["nominal"], y, "o", color="#c0392b", markersize=4, label="nominal")
    names = uncertainty.nominal.names.reindex(table.index)
    ax.set_yticks(list(y), [str(n) for n in names])
    ax.invert_yaxis()
    ax.set_xlabel(f"rank on {node or uncertainty.nodes[0]}")
    _legend_above(ax)
    return ax


def correlation_heatmap(analysis: Analysis, *, ax: Any = None) -> Any:
    """The correlation matrix of the normalised indicators as a heatmap (blue negative, red
    positive), with the coefficient written in each cell when there are few indicators."""
    matrix = analysis.correlations
    size = len(matrix)
    # Square cells, the figure as wide as the matrix and its colour bar.
    ax = _axes(ax, 0.28 * size + 1.5, 0.28 * size + 2.5)
    image = ax.imshow(matrix.to_numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
    labels = [str(n) for n in matrix.index]
    ax.set_xticks(range(size), labels, rotation=90)
    ax.set_yticks(range(size), labels)
    if size <= 15:
        values = matrix.to_numpy(dtype=float)
        for i in range(size):
            for j in range(size):
                if values[i, j] == values[i, j]:
                    ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=7)
    ax.figure.colorbar(image, ax=ax, label=f"{analysis.method} correlation")
    return ax


def sensitivity(result: Sensitivity, *, ax: Any = None) -> Any:
    """Each uncertain input's first-order and total-effect Sobol' index on the rank shift, with
    95 % bootstrap intervals (COINr's ``plot_sensitivity`` bar chart)."""
    table = result.indices
    ax = _axes(ax, 0.35 * len(table) + 1.5)
    y = list(range(len(table)))
    ax.barh([k + 0.2 for k in y], table["first_order"], height=0.4, xerr=table["first_order_conf"], label="first order")
    ax.barh([k - 0.2 for k in y], table["total"], height=0.4, xerr=table["total_conf"], label="total effect")
    ax.set_yticks(y, list(table.index))
    ax.invert_yaxis()
    ax.set_xlabel(f"Sobol' index on the rank shift of {result.node}")
    _legend_above(ax)
    return ax
