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
3. **Rank**: a first, narrow pass scores the units once more and keeps only the ranked nodes'
   scores, to cut them at approximate quantiles into buckets (equal scores share one) and
   count each bucket. Then Spark moves each scored row to its bucket's partition and ranks
   each bucket by a window of its own; the counts of the buckets before it are added (as the
   core's `rank::rank_in_partition` adds partitions). No single-partition window, nothing
   left cached.

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
# The most buckets a ranking cuts its scores into: more windows, each smaller, until the nested
# conditions that find a score's bucket grow too deep for Spark's generated code (W10's ranking
# on 4M units, 8 partitions: 8 buckets 8.2 s, 64 buckets 7.1 s, 512 buckets 16.3 s).
BUCKETS = 64


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


def _score_schema(model: Model) -> tuple[list[str], list[str]]:
    """The nodes whose scores `score` gives (children before parents) and the banded nodes."""
    document = model.to_dict()
    nodes = [i for i, _ in _nodes(document["framework"])]
    banding = document["recipe"].get("banding")
    banded: list[str] = []
    if banding:
        roots = [r["id"] for r in document["framework"]["nodes"]]
        banded = list(banding.get("nodes") or roots)
    return nodes, banded


def _scorer(model_text: str, nodes: list[str], banded: list[str], *, units: bool = True) -> tuple[Any, str]:
    """A ``mapInArrow`` function scoring each Arrow batch with the model, and its schema:
    ``uCode`` (unless not `units`), ``aggregate``, ``score <node>`` for `nodes` and
    ``band <node>`` for `banded`."""
    fields = [f"{UNIT} string"] if units else []
    fields += ["aggregate boolean"]
    fields += [f"`score {n}` double" for n in nodes]
    fields += [f"`band {n}` string" for n in banded]

    def transform(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow.compute as pc

        local = Model.from_json(model_text)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            result = local.transform(pa.Table.from_batches([batch]))
            scores = result.to_arrow("scores")
            unit = scores.column("unit")
            columns: dict[str, Any] = {UNIT: unit} if units else {}
            columns["aggregate"] = pc.is_in(unit, value_set=pa.array(result.aggregates, pa.string()))
            for n in nodes:
                columns[f"score {n}"] = scores.column(n)
            bands = result.bands
            for n in banded:
                columns[f"band {n}"] = pa.array(list(bands[n]), pa.string())
            yield from pa.Table.from_pydict(columns).to_batches()

    return transform, ", ".join(fields)


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

    Fitting and the cut points of the ranks run when `score` is called; the scores and ranks
    themselves when the result is written. Nothing stays cached."""
    if period == "all":
        return _score_panel(df, framework, recipe, rank)
    df = _for_period(df, period if isinstance(period, int) else None)
    if model is None:
        model = fit(df, framework, recipe)
    nodes, banded = _score_schema(model)
    model_text = model.to_json()
    document = model.to_dict()
    ties = document["recipe"].get("rank", {}).get("ties", "min")
    ranked = rank if rank is not None else [r["id"] for r in document["framework"]["nodes"]]
    if ranked and ties == "first":
        raise _error(
            MethodError,
            "method.unavailable",
            "ties 'first' break ties by row order, which a Spark DataFrame does not have: "
            "choose min, max, average or dense",
        )
    scored = df.mapInArrow(*_scorer(model_text, nodes, banded))
    if not ranked:
        return scored
    # The ranked scores alone, scored once more, settle the buckets of every ranking.
    keys, schema = _scorer(model_text, ranked, [], units=False)
    narrow = df.mapInArrow(keys, schema)
    partitions = max(2, df.rdd.getNumPartitions())
    buckets = _buckets(narrow, ranked, ties, min(BUCKETS, 8 * partitions))
    for node in ranked:
        scored = _with_rank(scored, node, ties, *buckets[node], partitions)
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


def _key(node: str) -> Any:
    """The ranked score of `node`: none for an aggregate or a missing score (never ranked), and
    -0.0 made 0.0 (the two tie, as in the core)."""
    from pyspark.sql import functions as F  # noqa: N812

    value = F.col(f"`score {node}`")
    return F.when(~F.col("aggregate") & ~F.isnan(value), F.when(value == 0, 0.0).otherwise(value))


def _bucket(key: Any, cuts: list[float]) -> Any:
    """The number of `cuts` (descending) above `key`, by a binary search of nested conditions:
    monotone in the key, so equal scores share a bucket, and bucket 0 holds the highest."""
    from pyspark.sql import functions as F  # noqa: N812

    def search(lo: int, hi: int) -> Any:
        if lo == hi:
            return F.lit(lo)
        mid = (lo + hi) // 2
        return F.when(key < cuts[mid], search(mid + 1, hi)).otherwise(search(lo, mid))

    return F.when(key.isNull(), len(cuts)).otherwise(search(0, len(cuts)))


def _buckets(narrow: Any, nodes: list[str], ties: str, count: int) -> dict[str, tuple[list[float], list[int]]]:
    """For each node of `nodes`, cut points splitting its ranked scores into about `count`
    buckets of about equal size and the number of ranked scores before each bucket (distinct
    scores for ``dense``), from `narrow`, the ranked nodes' scores, cached while they are
    counted. The cuts are quantiles of a sample of about a hundred scores per bucket: the
    ranks are exact whatever the cuts, which only balance the buckets."""
    from pyspark.sql import functions as F  # noqa: N812

    names = [f"_k{k}" for k in range(len(nodes))]
    keys = narrow.select(*[_key(n).alias(k) for n, k in zip(nodes, names, strict=True)]).cache()
    try:
        units = keys.count()
        sample = keys.sample(fraction=min(1.0, 100 * count / max(units, 1)), seed=0).collect()
        out = {}
        for k, (node, name) in enumerate(zip(nodes, names, strict=True)):
            values = sorted(row[k] for row in sample if row[k] is not None)
            cuts = sorted({values[j * len(values) // count] for j in range(1, count)} if values else [], reverse=True)
            key = F.col(name)
            counted = F.countDistinct(key) if ties == "dense" else F.count(key)
            sizes = dict(keys.groupBy(_bucket(key, cuts).alias("b")).agg(counted).collect())
            offsets, total = [], 0
            for b in range(len(cuts) + 1):
                offsets.append(total)
                total += sizes.get(b, 0)
            out[node] = (cuts, offsets)
        return out
    finally:
        keys.unpersist()


def _with_rank(scored: Any, node: str, ties: str, cuts: list[float], offsets: list[int], partitions: int) -> Any:
    """`scored` with ``rank <node>``, ranked by Spark without a single-partition window: the
    rows go to their bucket of the score (`_buckets`), each bucket is ranked by a window of its
    own, highest first, and the ranked scores of the buckets before it are added. The ranks of
    one machine (as `rank::rank_in_partition` adds partitions); an aggregate's or a missing
    score's rank is NaN."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    key = F.col("_key")
    within = Window.partitionBy("_bucket").orderBy(key.desc())
    lowest = F.rank().over(within)
    # The default frame ends at the current row's last peer: its count is the highest rank.
    highest = F.count(key).over(within)
    by_rule = {"min": lowest, "max": highest, "average": (lowest + highest) / 2, "dense": F.dense_rank().over(within)}
    before = F.element_at(F.array(*[F.lit(o) for o in offsets]), F.col("_bucket") + 1)
    ranked = (by_rule[ties] + before).cast("double")
    return (
        scored.withColumn("_key", _key(node))
        .withColumn("_bucket", _bucket(key, cuts))
        .repartition(partitions, "_bucket")
        .withColumn(f"rank {node}", F.when(key.isNotNull(), ranked).otherwise(float("nan")))
        .drop("_key", "_bucket")
    )


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
