#!/usr/bin/env python3
"""Builds the embedded DESI 2022 framework and data (desi-2022/) from the European Commission's
DESI 2022 workbook as extracted in tests/fixtures/desi-2022 (framework.csv, indicators_wide.csv;
see its README for provenance). Nothing is retyped: ids, names, weights, goalposts, units and
sources are copied; levels become COINr's numbering (indicator 1, sub-dimension 2, dimension 3,
DESI 4). The sub-dimension "multiplier" of 100 is expressed in the recipe instead (goalpost
normalisation with scale 100). Called by build.py.
"""

import csv
import json
import os

NAMES = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain",
    "EU": "European Union", "FI": "Finland", "FR": "France", "HR": "Croatia", "HU": "Hungary",
    "IE": "Ireland", "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia",
    "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia",
}


def build(SRC: str, OUT: str) -> None:
    """Reads the workbook's tables in SRC, writes framework.json, data.csv and recipe.json to OUT."""
    with open(os.path.join(SRC, "framework.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    children = {}
    for r in rows:
        children.setdefault(r["parent"], []).append(r)

    # The Digital Decade's 2030 targets (Decision (EU) 2022/2481, Article 4) on the DESI
    # indicators that measure them, in the indicators' own units: 80 % of adults with at least
    # basic digital skills, gigabit (VHCN) and 5G coverage for all, 90 % of SMEs with at least
    # basic digital intensity, 75 % of enterprises using cloud, big data and AI, and 100 % online
    # provision of key public services (DESI's 0-100 scores).
    targets = {"1a1": 0.8, "2b2": 1.0, "2c2": 1.0, "3a1": 0.9, "3b3": 0.75, "3b4": 0.75,
               "3b5": 0.75, "4a3": 100.0, "4a4": 100.0}

    def node(r):
        d = {"id": r["id"], "name": r["name"]}
        w = float(r["weight"])
        if w != 1.0:
            d["weight"] = w
        kids = children.get(r["id"], [])
        if kids:
            d["children"] = [node(k) for k in kids]
        else:
            if r["unit"]:
                d["unit"] = r["unit"]
            if r["direction"] and int(r["direction"]) != 1:
                d["direction"] = int(r["direction"])
            d["goalposts"] = {"min": float(r["goalpost_min"]), "max": float(r["goalpost_max"])}
            if r["id"] in targets:
                d["target"] = targets[r["id"]]
                d["target_year"] = 2030
            if r["source"]:
                d["source"] = r["source"]
        return d

    doc = {
        "id": "desi-2022",
        "name": "Digital Economy and Society Index (DESI) 2022",
        "description": (
            "The European Commission's DESI, 2022 edition: 33 indicators in 10 sub-dimensions "
            "and 4 dimensions (human capital, connectivity, integration of digital technology, "
            "digital public services). Each indicator is scaled against fixed goalposts "
            "(x - min)/(max - min), without capping, times 100; sub-dimensions are weighted means "
            "of their indicators (weight 2 for Digital Decade KPIs, 1 otherwise), dimensions "
            "weighted means of their sub-dimensions, DESI the mean of the 4 dimensions. Sample "
            "data: DESI 2017-2022 for the 27 Member States and the EU aggregate, with the "
            "Commission's imputed and back-cast values."
        ),
        "source": (
            "European Commission (DG CONNECT), DESI 2022 final.xlsx (methodological note and "
            "workbook), via the public repository Annaspella/DESI_statistical_assessment at "
            "commit 16bf1ef; every published score reproduces to 1e-9"
        ),
        "licence": "European Commission data, reuse authorised under Commission Decision 2011/833/EU (CC BY 4.0)",
        # The Commission publishes the EU's DESI beside the Member States' and ranks the 27 alone.
        "aggregate_units": ["EU"],
        "level_names": ["Indicator", "Sub-dimension", "Dimension", "Index"],
        "nodes": [node(r) for r in children[""]],
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "framework.json"), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
        fh.write("\n")

    with open(os.path.join(SRC, "indicators_wide.csv"), newline="", encoding="utf-8") as fh:
        data = list(csv.DictReader(fh))
    indicators = [r["id"] for r in rows if r["level"] == "indicator"]
    with open(os.path.join(OUT, "data.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["uCode", "uName", "Time"] + indicators)
        for r in data:
            w.writerow([r["country"], NAMES[r["country"]], r["desi_year"]] + [r[i] for i in indicators])

    recipe = {"normalise": {"default": {"method": "goalposts", "scale": 100, "clamp": False}}}
    with open(os.path.join(OUT, "recipe.json"), "w", encoding="utf-8") as fh:
        json.dump(recipe, fh, indent=2)
        fh.write("\n")
