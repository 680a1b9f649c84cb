"""cityindex on Apache Spark (PySpark 4): the same bits as `cityindex.score` on one machine.

`score(df, framework, recipe)` scores a Spark DataFrame (a ``uCode`` column of unit ids, one
column per indicator, group and denominator columns as the framework names them) in three
steps, none of which gathers the units in one place:

1. **Fit** (`fit`): a recipe that takes only counts and extremes from the data (min-max,
   goalposts, distance to max or target, ratios) is fitted from one pass of Spark's own
   aggregations (exact: counting and comparing). Otherwise each partition summarises its
   indicator columns in the Rust core (counts, extremes, exact sums, sorted values where a
   rank-based normalisation needs them); the summaries — one small record per partition — are
   merged on the driver by the core, exactly. Either way any partitioning gives the model one
   machine fits (a z-score takes a second pass for the squared deviations from the merged
   mean). Preparation steps and data-derived weights need the
   whole population: for recipes with them, the indicator columns are gathered to the driver
   and fitted there, sorted by unit id (every fitted statistic is independent of order).
2. **Transform**: ``mapInArrow`` hands each Arrow batch to the core with the frozen model:
   scores of every node and bands.
3. **Rank**: Spark partitions the rows by ranges of the ranked node's score (which puts equal
   scores in one partition) and sorts each partition; each partition's count gives the ranks
   before it, and the core ranks within the partition (ties as the recipe says). No
   single-partition window.

Panels are scored one period at a time (`period`). `uncertainty` distributes the replicates of
an uncertainty analysis over tasks: each replicate draws from its own ChaCha stream, so the
cluster's result is the local one, bit for bit.

The Python that Spark starts for its workers must import this cityindex (set ``PYSPARK_PYTHON``
to the interpreter of the environment it is installed in).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from . import _native
from ._documents import JsonLike, _error, _json
from .errors import DataError, MethodError
from .inputs import Framework, _as_framework
from .model import Model, from_summary, merge_summaries, summarise
from .model import fit as _fit_local
from .uncertainty import Uncertainty, combine, run_replicates

UNIT = "uCode"


def _recipe(recipe: JsonLike | None) -> tuple[str, dict[str, Any]]:
    text = _json(recipe)
    return text, (json.loads(text) if text else {})


def _needs_population(recipe: dict[str, Any]) -> bool:
    """Whether the recipe fits something that needs every unit at once: preparation steps or
    weights derived from the data."""
    return bool(recipe.get("prepare")) or bool(recipe.get("weighting"))


def _for_period(df: Any, period: int | None) -> Any:
    from pyspark.sql import functions as F  # noqa: N812

    if period is not None:
        return df.where(F.col("Time") == period).drop("Time")
    if "Time" in df.columns:
        periods = [r[0] for r in df.select("Time").distinct().limit(2).collect()]
        if len(periods) > 1:
            raise _error(DataError, "data.several_periods", "the data hold several periods: choose one with period=…")
        return df.drop("Time")
    return df


def fit(
    df: Any,
    framework: Framework | JsonLike,
    recipe: JsonLike | None = None,
    *,
    period: int | None = None,
) -> Model:
    """Fits `recipe` on the units of the Spark DataFrame `df` (one `period` of a panel) from
    partition summaries merged by the core: the model `cityindex.fit` makes on one machine, bit
    for bit, whatever the partitioning."""
    fw = _as_framework(framework)
    recipe_text, recipe_dict = _recipe(recipe)
    df = _for_period(df, period)
    if _needs_population(recipe_dict):
        population = df.toPandas().sort_values(UNIT, kind="stable").set_index(UNIT)
        return _fit_local(fw, population, recipe_text or None)
    if _native.extremes_suffice(fw._handle, recipe_text):
        return _fit_by_aggregates(df, fw, recipe_text)
    framework_text = json.dumps(fw.to_dict())

    def partition_summaries(means: str | None) -> Any:
        def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            local = Framework(framework_text)
            parts = [
                summarise(local, pa.Table.from_batches([batch]), recipe_text, means)
                for batch in batches
                if batch.num_rows > 0
            ]
            merged, _ = merge_summaries(parts)
            yield pa.RecordBatch.from_pydict({"summary": [merged]})

        return run

    rows = df.mapInArrow(partition_summaries(None), "summary string").collect()
    total, means = merge_summaries([r["summary"] for r in rows])
    if means is not None:
        rows = df.mapInArrow(partition_summaries(means), "summary string").collect()
        total, _ = merge_summaries([r["summary"] for r in rows])
    return from_summary(fw, recipe_text, total)


def _fit_by_aggregates(df: Any, fw: Framework, recipe_text: str) -> Model:
    """The model of a recipe that takes only counts and extremes from the data, from one pass of
    Spark's own aggregations (exact: comparisons and counting), the units only."""
    from pyspark.sql import functions as F  # noqa: N812

    document = fw.to_dict()
    units = df.where(~F.col(UNIT).isin(document.get("aggregate_units") or []))
    ids = [i for i, indicator in _nodes(document) if indicator and i in df.columns]
    aggregates = [F.count("*").alias("_units")]
    for i in ids:
        value = F.col(f"`{i}`").cast("double")
        present = F.when(value.isNotNull() & ~F.isnan(value), value)
        aggregates += [F.count(present), F.min(present), F.max(present)]
    row = units.agg(*aggregates).first()
    columns = {i: (row[1 + 3 * k], row[2 + 3 * k], row[3 + 3 * k]) for k, i in enumerate(ids)}
    summary = _native.summary_from_extremes(fw._handle, recipe_text, row["_units"], columns)
    return from_summary(fw, recipe_text, summary)


def _nodes(document: dict[str, Any]) -> list[tuple[str, bool]]:
    """Every node of a framework document, children before their parent (the order of the
    scores), with whether it is an indicator."""
    nodes: list[tuple[str, bool]] = []

    def walk(node: dict[str, Any]) -> None:
        children = node.get("children") or []
        for child in children:
            walk(child)
        nodes.append((node["id"], not children))

    for root in document["nodes"]:
        walk(root)
    return nodes


def _score_schema(model: Model) -> tuple[list[str], list[str], str]:
    document = model.to_dict()
    nodes = [i for i, _ in _nodes(document["framework"])]
    banding = document["recipe"].get("banding")
    banded: list[str] = []
    if banding:
        roots = [r["id"] for r in document["framework"]["nodes"]]
        banded = list(banding.get("nodes") or roots)
    fields = [f"{UNIT} string", "aggregate boolean"]
    fields += [f"`score {n}` double" for n in nodes]
    fields += [f"`band {n}` string" for n in banded]
    return nodes, banded, ", ".join(fields)


def score(
    df: Any,
    framework: Framework | JsonLike,
    recipe: JsonLike | None = None,
    *,
    model: Model | None = None,
    period: int | str | None = None,
    rank: list[str] | None = None,
) -> Any:
    """Scores the Spark DataFrame `df` (see the module docs): a Spark DataFrame with ``uCode``,
    ``aggregate``, ``score <node>`` for every node, ``band <node>`` for banded nodes and
    ``rank <node>`` for the nodes in `rank` (default: the roots), the same bits as
    `cityindex.score`. ``period="all"`` scores every period of a panel (a ``Time`` column), each
    fitted on its own units as `cityindex.score_panel` does, into one DataFrame with ``Time``.
    With `model` (from `fit`, `cityindex.fit` or a file) nothing is fitted: the units are scored
    against the model's population.

    Each ranked node caches its sorted rows, so that the counts per partition and the ranks come
    from the same sort; ``spark.catalog.clearCache()`` frees them once the result is written."""
    if period == "all":
        return _score_panel(df, framework, recipe, rank)
    df = _for_period(df, period if isinstance(period, int) else None)
    if model is None:
        model = fit(df, framework, recipe)
    nodes, banded, schema = _score_schema(model)
    model_text = model.to_json()

    def transform(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        local = Model.from_json(model_text)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            result = local.transform(pa.Table.from_batches([batch]))
            scores = result.to_arrow("scores")
            units = scores.column("unit").to_pylist()
            aggregates = set(result.aggregates)
            columns: dict[str, Any] = {
                UNIT: pa.array(units, pa.string()),
                "aggregate": pa.array([u in aggregates for u in units], pa.bool_()),
            }
            for n in nodes:
                columns[f"score {n}"] = scores.column(n)
            bands = result.bands
            for n in banded:
                columns[f"band {n}"] = pa.array(list(bands[n]), pa.string())
            yield from pa.Table.from_pydict(columns).to_batches()

    scored = df.mapInArrow(transform, schema)
    ties = model.to_dict()["recipe"].get("rank", {}).get("ties", "min")
    roots = [r["id"] for r in model.to_dict()["framework"]["nodes"]]
    ranked = rank if rank is not None else roots
    if ranked:
        # Scored once: the range partitioning samples the scores before it moves them.
        scored = scored.cache()
    for node in ranked:
        scored = _with_rank(scored, node, ties)
    return scored


def _score_panel(df: Any, framework: Framework | JsonLike, recipe: JsonLike | None, rank: list[str] | None) -> Any:
    """Every period of a panel scored on its own (`score_panel`'s per-period statistics)."""
    from pyspark.sql import functions as F  # noqa: N812

    _, recipe_dict = _recipe(recipe)
    if recipe_dict.get("normalise", {}).get("panel_bounds") == "all_periods":
        raise _error(
            MethodError,
            "method.unavailable",
            "normalise.panel_bounds = all_periods pools every period: fit one model on the whole panel "
            "with cityindex.fit and pass it as model= for each period",
        )
    periods = sorted(r[0] for r in df.select("Time").distinct().collect())
    scored = [
        score(df, framework, recipe, period=p, rank=rank).withColumn("Time", F.lit(p).cast("long")) for p in periods
    ]
    result = scored[0]
    for other in scored[1:]:
        result = result.unionByName(other)
    return result


def _with_rank(scored: Any, node: str, ties: str) -> Any:
    """`scored` with ``rank <node>``: the rows partitioned by ranges of the score and sorted, a
    count per partition, the core's ranks within each partition after those before it."""
    from pyspark.sql import functions as F  # noqa: N812
    from pyspark.sql.types import DoubleType, StructField, StructType

    if ties == "first":
        raise _error(
            MethodError,
            "method.unavailable",
            "ties 'first' break ties by row order, which a Spark DataFrame does not have: "
            "choose min, max, average or dense",
        )
    column = f"score {node}"
    ranked_name = f"rank {node}"
    score_of = F.col(f"`{column}`")
    # The ranked score: none for an aggregate or a missing score (sorted last, never ranked).
    key = F.when(~F.col("aggregate") & ~F.isnan(score_of), score_of)
    order = F.col("_key").desc_nulls_last()
    # A range partitioning by the score (equal scores in one partition, partition 0 the highest),
    # as many partitions as the scores have, each sorted: Spark's sort without a single-partition
    # window. Cached, so that the counts and the ranks come from the same rows.
    partitions = scored.rdd.getNumPartitions()
    ranked = (
        scored.withColumn("_key", key)
        .repartitionByRange(partitions, order)
        .sortWithinPartitions(order)
        .withColumn("_part", F.spark_partition_id())
        .cache()
    )
    distinct = F.countDistinct("_key") if ties == "dense" else F.lit(0)
    per_partition = {
        row["_part"]: (row["n"], row["d"])
        for row in ranked.groupBy("_part").agg(F.count("_key").alias("n"), distinct.alias("d")).collect()
    }
    counts = [per_partition.get(p, (0, 0)) for p in range(max(per_partition, default=-1) + 1)]
    schema = StructType([*ranked.schema.fields, StructField(ranked_name, DoubleType())])

    def assign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = pa.Table.from_batches(list(batches))
        if table.num_rows == 0:
            return
        part = table.column("_part")[0].as_py()
        values = table.column("_key").to_numpy(zero_copy_only=False)
        ranks = _native.rank_in_partition(values, ties, counts[:part])
        out = table.append_column(ranked_name, pa.array(ranks, pa.float64()))
        yield from out.to_batches()

    return ranked.mapInArrow(assign, schema).drop("_part", "_key")


def uncertainty(
    df: Any,
    framework: Framework | JsonLike,
    recipe: JsonLike | None,
    spec: JsonLike,
    *,
    period: int | None = None,
    tasks: int | None = None,
) -> Uncertainty:
    """The uncertainty analysis of `cityindex.uncertainty`, its replicates run in Spark tasks:
    split into `tasks` ranges (default: Spark's default parallelism), each run by the core with
    every replicate drawing from its own ChaCha stream (seed, replicate), and combined on the
    driver — the result of one machine, bit for bit. Every replicate scores every unit, so the
    units' data (one `period`) are gathered to the driver, sorted by unit id, and shipped to each
    task; what comes back is each replicate's ranks of the summarised nodes."""
    from pyspark.sql import SparkSession

    fw = _as_framework(framework)
    recipe_text, _ = _recipe(recipe)
    spec_text = _json(spec, "specification")
    replicates = int(json.loads(spec_text)["replicates"])
    data = _for_period(df, period).toPandas().sort_values(UNIT, kind="stable").set_index(UNIT)
    context = SparkSession.getActiveSession() or df.sparkSession
    count = max(1, min(replicates, tasks or context.sparkContext.defaultParallelism))
    size = -(-replicates // count)
    ranges = [(start, min(start + size, replicates)) for start in range(0, replicates, size)]
    framework_text = json.dumps(fw.to_dict())

    def run(bounds: tuple[int, int]) -> str:
        return run_replicates(Framework(framework_text), data, recipe_text or None, spec_text, *bounds)

    runs = context.sparkContext.parallelize(ranges, len(ranges)).map(run).collect()
    return combine(fw, data, recipe_text or None, spec_text, runs)
