"""W10: 10,000,000 units × 20 indicators generated inside Spark (local[2]), scored three ways in
separate processes (so each peak memory is its own):

- ``sql``: the pipeline written in Spark SQL alone — min-max by column aggregates, weighted
  sums into 4 pillars and the index, ``rank()`` over the index;
- ``spark``: ``cityindex.spark.score`` (Spark's aggregates for the model, ``mapInArrow`` with
  the frozen model, ranks by buckets of the score, each ranked by a window of its own);
- ``arrow``: the rows through ``mapInArrow`` to Python and back unchanged, to the same sink:
  what any integration scoring in Python pays per pass, before it computes anything;
- ``single``: the same rows collected to one pandas DataFrame and scored by ``cityindex.score``
  (timed from the DataFrame in memory: every node's scores and the index's ranking, as the
  Spark path gives).

Each writes its result to Spark's ``noop`` sink (or, single, holds it) and prints one JSON line:
seconds (median of `--repeat` runs after one warm-up), the JVM's and Python's peak resident
memory. Run: ``python benches/python/w10_spark.py`` (all three) or ``--variant NAME``."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

UNITS = 10_000_000
INDICATORS = 20
PILLARS = 4


def framework() -> dict[str, Any]:
    per = INDICATORS // PILLARS
    return {
        "nodes": [
            {
                "id": "index",
                "children": [
                    {
                        "id": f"p{p}",
                        "children": [{"id": f"i{p * per + k}"} for k in range(per)],
                    }
                    for p in range(PILLARS)
                ],
            }
        ]
    }


def session(memory: str) -> Any:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", memory)
        .config("spark.driver.maxResultSize", "0")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100000")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def generate(spark: Any, units: int) -> Any:
    """The data, generated in Spark: uniform values on 0–100 with a seed per column, cached."""
    from pyspark.sql import functions as F  # noqa: N812

    df = spark.range(units).select(
        F.format_string("u%08d", F.col("id")).alias("uCode"),
        *[(F.rand(seed=j) * 100).alias(f"i{j}") for j in range(INDICATORS)],
    )
    df = df.repartition(8).cache()
    df.count()
    return df


def sql_pipeline(df: Any) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    ids = [f"i{j}" for j in range(INDICATORS)]
    bounds = df.agg(
        *[F.min(i).alias(f"min_{i}") for i in ids],
        *[F.max(i).alias(f"max_{i}") for i in ids],
    ).first()
    per = INDICATORS // PILLARS
    normalised = [
        (
            (F.col(i) - bounds[f"min_{i}"])
            / (bounds[f"max_{i}"] - bounds[f"min_{i}"])
            * 100
        ).alias(i)
        for i in ids
    ]
    out = df.select("uCode", *normalised)
    pillars = [
        (sum(F.col(f"i{p * per + k}") for k in range(per)) / per).alias(f"p{p}")
        for p in range(PILLARS)
    ]
    out = out.select("uCode", *ids, *pillars)
    out = out.withColumn("index", sum(F.col(f"p{p}") for p in range(PILLARS)) / PILLARS)
    return out.withColumn("rank", F.rank().over(Window.orderBy(F.desc("index"))))


def peaks(spark: Any | None) -> dict[str, float]:
    out = {"python_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if spark is not None:
        pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    out["jvm_peak_mb"] = int(line.split()[1]) / 1024
    return out


def run(variant: str, units: int, repeat: int) -> dict[str, Any]:
    import cityindex
    import cityindex.spark

    spark = session("10g")
    df = generate(spark, units)
    fw = cityindex.Framework(framework())
    recipe = {"normalise": {"default": {"method": "min_max"}}}
    if variant == "single":
        data = df.toPandas().set_index("uCode")

        def once() -> float:
            start = time.perf_counter()
            # What the Spark path gives: every node's scores and the index's ranks.
            result = cityindex.score(fw, data, recipe)
            result.scores  # noqa: B018
            result.ranking("index")
            return time.perf_counter() - start

    elif variant == "sql":

        def once() -> float:
            start = time.perf_counter()
            sql_pipeline(df).write.format("noop").mode("overwrite").save()
            return time.perf_counter() - start

    elif variant == "arrow":

        def unchanged(batches: Any) -> Any:
            yield from batches

        def once() -> float:
            start = time.perf_counter()
            df.mapInArrow(unchanged, df.schema).write.format("noop").mode("overwrite").save()
            return time.perf_counter() - start

    else:

        def once() -> float:
            start = time.perf_counter()
            cityindex.spark.score(df, fw, recipe).write.format("noop").mode(
                "overwrite"
            ).save()
            return time.perf_counter() - start

    once()
    times = [once() for _ in range(repeat)]
    result = {
        "variant": variant,
        "units": units,
        "seconds": statistics.median(times),
        "runs": times,
    }
    result.update(peaks(spark))
    spark.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", choices=["sql", "spark", "arrow", "single"])
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.variant:
        print(json.dumps(run(args.variant, args.units, args.repeat)), flush=True)
        return
    for variant in ["sql", "spark", "arrow", "single"]:
        command = [
            sys.executable,
            __file__,
            "--variant",
            variant,
            "--units",
            str(args.units),
            "--repeat",
            str(args.repeat),
        ]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
