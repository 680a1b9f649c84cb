#!/usr/bin/env python3
"""Builds the embedded frameworks' files in core/data/ from the reference tables in
tests/fixtures (DESI 2022, UN EGDI data, the eGovernment Benchmark method and 2023 results, the
UserCentriCities, LOSI and U4SSC structures; tests/fixtures/PROVENANCE.md says where each came
from). Run from anywhere:

    python3 core/data/build.py            # rewrites core/data/*/
    python3 core/data/build.py --check    # fails, naming them, if the committed files are stale

Standard library only. The outputs are committed; this script documents where every number and
code came from, and rebuilds them the same way (scripts/test runs the check).
"""

import csv
import filecmp
import json
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # nothing left beside the committed files
import desi_2022  # noqa: E402

here = Path(__file__).resolve().parent
ref = here.parent.parent / "tests" / "fixtures"
check = "--check" in sys.argv[1:]
out = Path(tempfile.mkdtemp(prefix="cityindex-data-")) if check else here


def write(folder: str, framework: dict, recipe: dict, header: list[str], rows: list[list]) -> None:
    d = out / folder
    d.mkdir(exist_ok=True)
    (d / "framework.json").write_text(json.dumps(framework, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (d / "recipe.json").write_text(json.dumps(recipe, indent=1) + "\n", encoding="utf-8")
    with open(d / "data.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def reference_csv(path: Path) -> list[dict]:
    """A reference table whose first line is a `# provenance` comment."""
    with open(path, encoding="utf-8") as f:
        f.readline()
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- UN EGDI 2014-2024
countries = list(csv.DictReader(open(ref / "un-egdi/countries.csv", encoding="utf-8-sig"), delimiter=";"))
by_name = {c["COMMON NAME"]: c for c in countries} | {c["OFFICIAL NAME"]: c for c in countries}
aliases = {  # survey name -> countries.csv COMMON NAME, where they differ
    "Georgia (Country)": "Georgia", "United Republic of Tanzania": "Tanzania", "Türkiye": "Turkey",
    "Sao Tome and Principe": "São Tomé and Príncipe", "Iran (Islamic Republic of)": "Iran",
    "Micronesia (Federated States of)": "Micronesia", "Democratic People's Republic of Korea": "North Korea",
    "Czech Republic": "Czechia", "Lao People's Democratic Republic": "Laos", "Republic of Moldova": "Moldova",
    "United Kingdom of Great Britain and Northern Ireland": "United Kingdom", "United States of America": "United States",
    "Gambia": "The Gambia", "Russian Federation": "Russia", "Syrian Arab Republic": "Syria", "Brunei Darussalam": "Brunei",
}
rows = []
unmatched = set()
for year in [2014, 2016, 2018, 2020, 2022, 2024]:
    for r in csv.DictReader(open(ref / f"un-egdi/EGOV_DATA_{year}.csv", encoding="utf-8-sig")):
        name = r["Country Name"]
        c = by_name.get(name) or by_name.get(aliases.get(name, ""))
        if c is None:
            unmatched.add(name)
            code, region, income = name, "", ""
        else:
            code, region, income = c["COUNTRY CODE"], c["REGION"], c["INCOME"]
        rows.append([code, name, year, region, income, r["Online Service Index"], r["Human Capital Index"],
                     r["Telecommunication Infrastructure Index"]])
if unmatched:
    sys.exit(f"no country code for {sorted(unmatched)}")
rows.sort(key=lambda r: (r[0], r[2]))
write(
    "un-egdi",
    {
        "id": "un-egdi",
        "name": "UN E-Government Development Index (EGDI)",
        "description": "Summary: the UN E-Government Survey's EGDI is the unweighted mean of three "
        "normalised component indices, each already on a 0-1 scale: the Online Service Index (OSI), "
        "the Human Capital Index (HCI) and the Telecommunication Infrastructure Index (TII). Countries "
        "are grouped by EGDI into very high (0.75-1), high (0.50-0.75), middle (0.25-0.50) and low "
        "(below 0.25). Sample data: the three components for the 193 UN Member States in the "
        "2014-2024 editions, with region and income group; EGDI reproduces the published index to "
        "1e-4 (the components are published rounded to 4-5 decimals).",
        "source": "UN DESA, E-Government Survey 2014-2024, E-Government Knowledge Base data exports "
        "(publicadministration.un.org/egovkb); country codes, regions and income groups from the same source",
        "licence": "UN DESA data, free to reuse with attribution to the United Nations",
        "level_names": ["Component", "Index"],
        "data_columns": [{"id": "Region", "kind": "group"}, {"id": "Income", "kind": "group"}],
        "nodes": [{"id": "EGDI", "name": "E-Government Development Index", "children": [
            {"id": "OSI", "name": "Online Service Index"},
            {"id": "HCI", "name": "Human Capital Index"},
            {"id": "TII", "name": "Telecommunication Infrastructure Index"}]}],
    },
    {"normalise": {"default": {"method": "none"}},
     "banding": {"nodes": ["EGDI"], "bands": [{"label": "very high", "min": 0.75}, {"label": "high", "min": 0.5},
                                                {"label": "middle", "min": 0.25}, {"label": "low"}]}},
    ["uCode", "uName", "Time", "Region", "Income", "OSI", "HCI", "TII"],
    rows,
)


# ---------------------------------------------------------------- eGovernment Benchmark 2023
method = {(r["dimension"], r["indicator"]): r for r in reference_csv(ref / "frameworks/egov_benchmark.csv")}
scores = list(csv.DictReader(open(ref / "egov-benchmark-2023/egov_benchmark_2023_scores.csv", encoding="utf-8")))


def ind(code: str, name: str, dimension: str, method_name: str | None = None) -> dict:
    row = method[(dimension, method_name or name)]
    return {"id": code, "name": name, "unit": "score 0-100", "source": f"questions {row['questions']}"}


def weighted(node: dict, weight: float) -> dict:
    return {**node, "weight": weight}


egov_nodes = [{"id": "0", "name": "eGovernment Benchmark overall score", "children": [
    {"id": "1", "name": "User centricity", "children": [
        weighted(ind("1.1", "Online availability", "User centricity"), 2 / 3),
        {"id": "1.S", "name": "User support and mobile friendliness", "weight": 1 / 3, "children": [
            weighted(ind("1.3", "User support", "User centricity"), 2 / 3),
            weighted(ind("1.2", "Mobile friendliness", "User centricity"), 1 / 3)]}]},
    {"id": "2", "name": "Transparency", "children": [
        ind("2.1", "Transparency of service delivery", "Transparency"),
        ind("2.2", "Transparency of personal data", "Transparency"),
        ind("2.3", "Transparency of service design", "Transparency")]},
    {"id": "3", "name": "Key enablers", "children": [
        ind("3.1", "eID", "Key enablers"),
        ind("3.2", "eDocuments", "Key enablers"),
        ind("3.3", "Pre-filled forms", "Key enablers", "Authentic sources"),
        ind("3.4", "Digital post", "Key enablers")]},
    {"id": "4", "name": "Cross-border services", "children": [
        weighted(ind("4.1", "Cross-border online availability", "Cross-border services"), 1 / 2),
        weighted(ind("4.2", "Cross-border user support", "Cross-border services"), 1 / 4),
        {"id": "4.K", "name": "Cross-border key enablers", "weight": 1 / 4, "children": [
            ind("4.3", "Cross-border eID", "Cross-border services"),
            ind("4.4", "Cross-border eDocuments", "Cross-border services")]}]}]}]
codes = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "4.4"]
# The Benchmark's country codes (Eurostat's, EL for Greece) and averages.
EGOV_NAMES = {
    "AL": "Albania", "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CH": "Switzerland",
    "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany", "DK": "Denmark", "EE": "Estonia",
    "EL": "Greece", "ES": "Spain", "FI": "Finland", "FR": "France", "HR": "Croatia",
    "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy", "LT": "Lithuania",
    "LU": "Luxembourg", "LV": "Latvia", "ME": "Montenegro", "MK": "North Macedonia", "MT": "Malta",
    "NL": "Netherlands", "NO": "Norway", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "RS": "Serbia", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "TR": "Türkiye",
    "AVERAGE_EU27": "EU27 average", "EU27+": "EU27+ average (the 35 participating countries)",
}
values: dict[str, dict[str, str]] = {}
for r in scores:
    code = r["indicator"].split(" ", 1)[0]
    if code in codes:
        v = r["biennial_2021_2022"].strip()
        values.setdefault(r["country"], {})[code] = "" if v in ("", ".") else v
write(
    "egov-benchmark-2023",
    {
        "id": "egov-benchmark-2023",
        "name": "EU eGovernment Benchmark 2023 (method 2020-2023)",
        "description": "Summary: the European Commission's eGovernment Benchmark scores life-event "
        "services of 35 European countries on four key dimensions from 14 indicators (0-100, from "
        "mystery-shopping questions A1-J10). User centricity = 2/3 online availability + 1/3 x (2/3 "
        "user support + 1/3 mobile friendliness); Transparency = equal thirds of service delivery, "
        "personal data and service design; Key enablers = equal quarters of eID, eDocuments, "
        "authentic sources (pre-filled forms) and digital post (Security is reported with weight 0 "
        "and not included); Cross-border services = 1/2 online availability + 1/4 user support + "
        "1/4 x (equal halves of eID and eDocuments); the overall score is the unweighted mean of "
        "the four key dimensions. Items that are not applicable are dropped and the weights of the "
        "rest renormalised. Sample data: the 2023 report's country-level indicator scores "
        "(biennial average 2021-2022). The Commission computes key dimensions per life event and "
        "then averages them, so from these country-level indicators User centricity and "
        "Transparency reproduce the published values (to their 4 decimals) but Key enablers and "
        "Cross-border services do so only where no item was inapplicable in some life event.",
        "source": "eGovernment Benchmark Method Paper 2020-2023 (DG CONNECT; Capgemini, Sogeti, IDC, "
        "Politecnico di Milano; Feb 2023; ISBN 978-92-68-05661-5; doi 10.2759/263717), Annex B; "
        "results: eGovernment Benchmark 2023 Final Results workbook, sheet '1. Scores 2022'",
        "licence": "CC BY 4.0, (c) European Union (Commission Decision 2011/833/EU)",
        # Published beside the countries and never ranked among them.
        "aggregate_units": ["AVERAGE_EU27", "EU27+"],
        "level_names": ["Indicator", "Group", "Key dimension", "Overall"],
        "nodes": egov_nodes,
    },
    {"normalise": {"default": {"method": "none"}}},
    ["uCode", "uName", *codes],
    [[c, EGOV_NAMES[c], *(values[c].get(k, "") for k in codes)] for c in sorted(values)],
)


# ---------------------------------------------------------------- UserCentriCities 2022
ucc = [r for r in reference_csv(ref / "frameworks/usercentricities.csv") if r["status"] == "final_structure"]
pillars: dict[str, list[dict]] = {}
for r in ucc:
    pillars.setdefault(r["pillar"], []).append(r)
ucc_nodes = [{"id": "UCC", "name": "UserCentriCities user-centricity score", "children": [
    {"id": p.split(".")[0], "name": p.split(". ", 1)[1], "weight": float(len(cats)), "children": [
        {"id": c["category_code"], "name": c["category"], "unit": f"share of {c['n_indicators_final']} yes/no indicators met",
         "goalposts": {"min": 0, "max": 1}}
        for c in cats]}
    for p, cats in pillars.items()]}]
assert sum(int(c["n_indicators_final"]) for c in ucc) == 41 and len(ucc) == 12
write(
    "usercentricities-2022",
    {
        "id": "usercentricities-2022",
        "name": "UserCentriCities dashboard (2022 data)",
        "description": "Summary: the UserCentriCities benchmarking dashboard rates European cities' "
        "user-centric digital public services with 41 yes/no indicators in 12 categories and 3 "
        "pillars (Enablers: Skills 4, Strategies 6, Ecosystem 3; User-centricity performance: "
        "Co-creation 5, Supply of online services 5, Useability 4, Security and privacy 3, Redress "
        "and feedback 2, Interoperability 3; Outcome: Adoption 2, Reduction of burden 2, "
        "Satisfaction 2). Each category scores the share of its indicators a city meets; the city "
        "score is the unweighted mean of the 12 category shares, which is what the pillar weights "
        "(their number of categories) give. The final wording of the 41 indicators is not "
        "published, so this framework ships the most detailed published level: the 12 categories, "
        "each entered as a share between 0 and 1. No sample data are published.",
        "source": "UserCentriCities Benchmarking Dashboard, living-in.eu/ucdashboard and "
        "usercentricities.eu/ucdashboard ('ranking based on 2022 data'); H2020 project 101004603",
        "licence": "Structure and counts only (facts); indicator texts are not reproduced",
        "level_names": ["Category", "Pillar", "Score"],
        "nodes": ucc_nodes,
    },
    {"normalise": {"default": {"method": "goalposts", "scale": 100}}},
    ["uCode", "uName"] + [c["category_code"] for c in ucc],
    [],
)


# ---------------------------------------------------------------- UN LOSI 2024
losi = reference_csv(ref / "frameworks/losi_2024.csv")
criteria: dict[str, list[dict]] = {}
for r in losi:
    criteria.setdefault(r["criterion"], []).append(r)
seen: set[str] = set()
losi_nodes = []
for k, (criterion, items) in enumerate(criteria.items(), start=1):
    children = []
    for r in items:
        code = f"LOSI{r['losi_code']}"
        if code in seen:  # the guidance lists code 236 twice: keep both, by their place
            code = f"{code}.{r['number_in_criterion']}"
        seen.add(code)
        children.append({"id": code, "name": r["indicator_title"] or "", "scale": {"type": "yes_no"}})
    losi_nodes.append({"id": f"C{k}", "name": criterion, "weight": float(len(items)), "children": children})
write(
    "un-losi-2024",
    {
        "id": "un-losi-2024",
        "name": "UN Local Online Service Index (LOSI) 2024",
        "description": "Summary: UN DESA's LOSI assesses a city's official portal with yes/no "
        f"indicators in six criteria ({', '.join(f'{c} {len(v)}' for c, v in criteria.items())}; "
        f"{len(losi)} in all). The index is the share of indicators met (criteria weighted by their "
        "number of indicators, so the index is the mean of all indicators), grouped as very high "
        "(>= 0.75), high (0.50-0.75), middle (0.25-0.50) and low (< 0.25). Provenance caveats: the "
        "list comes from a third-party extraction of UN DESA's 2024 guidance modules; the "
        "per-criterion counts were not confirmed against the Survey text; code 236 appears twice "
        "(both kept, the second as LOSI236.<position>); short titles were recoverable for five "
        "indicators only, the others carry their LOSI code and no name (see the guidance for their "
        "definitions). No sample data are published.",
        "source": "UN DESA, LOSI 2024 guidance modules 2.1-2.6, as extracted in the public repository "
        "nithinrightagents/UN-POC at commit b461f389; five titles from rinenweb/LOSI-scanner",
        "licence": "Codes and structure only (facts); definitions are not reproduced",
        "level_names": ["Indicator", "Criterion", "Index"],
        "nodes": [{"id": "LOSI", "name": "Local Online Service Index", "children": losi_nodes}],
    },
    {"normalise": {"default": {"method": "categorical", "yes": 1, "no": 0}},
     "banding": {"nodes": ["LOSI"], "bands": [{"label": "very high", "min": 0.75}, {"label": "high", "min": 0.5},
                                               {"label": "middle", "min": 0.25}, {"label": "low"}]}},
    ["uCode", "uName"] + [c["id"] for n in losi_nodes for c in n["children"]],
    [],
)


# ---------------------------------------------------------------- ITU U4SSC KPIs
kpis = reference_csv(ref / "frameworks/u4ssc_kpis.csv")
tree: dict[str, dict[str, dict[str, list[dict]]]] = {}
for r in kpis:
    tree.setdefault(r["dimension"], {}).setdefault(r["sub_dimension"], {}).setdefault(r["category"], []).append(r)
abbrev = {"Economy": "EC", "Environment": "EN", "Society and Culture": "SC"}


def kpi_node(r: dict) -> dict:
    # ITU's codes ("EC: ICT: ICT: 1C") as ids a data header holds without quoting or spaces
    # ("EC-ICT-ICT-1C"); the code as ITU writes it stays in the source.
    node = {"id": r["kpi_code"].replace(": ", "-"), "name": r["kpi_name"]}
    if r["unit"]:
        node["unit"] = r["unit"]
    node["source"] = (
        f"ITU U4SSC KPI {r['kpi_code']}, {r['core_or_advanced'].lower()} KPI ({r['smart_or_sustainable'].lower()})"
    )
    return node


u4ssc_nodes = [{"id": "U4SSC", "name": "U4SSC KPIs for smart sustainable cities", "children": [
    {"id": abbrev[d], "name": d, "children": [
        {"id": f"{abbrev[d]}/{s}", "name": s, "children": [
            {"id": f"{abbrev[d]}/{s}/{c}", "name": c, "children": [kpi_node(r) for r in items]}
            for c, items in cats.items()]}
        for s, cats in subs.items()]}
    for d, subs in tree.items()]}]
assert len(kpis) == 91 and len({r["category"] for r in kpis}) == 22
write(
    "u4ssc",
    {
        "id": "u4ssc",
        "name": "ITU U4SSC Key Performance Indicators for Smart Sustainable Cities",
        "description": "Summary: ITU's United for Smart Sustainable Cities (U4SSC) KPIs: 91 KPIs "
        "(55 core, 36 advanced) in 3 dimensions (Economy; Environment; Society and Culture), 7 "
        "sub-dimensions and 22 categories. Four category names occur under two or three "
        "sub-dimensions (e.g. Water and Sanitation under ICT, Infrastructure and Environment), so "
        "the tree has 27 category nodes. ITU's scoring: each KPI's value as a share of the city's "
        "own target earns 1-4 points (< 33 %, 33-66 %, 66-95 %, >= 95 % of the target); each "
        "category, sub-dimension and dimension scores its points over its maximum points, KPIs "
        "without a value or a target left out. ITU publishes no list of targets: give each KPI's "
        "target in the recipe (normalise.indicators.<KPI>: {method: target_bands, target: ...}) or "
        "in the framework. All KPIs are taken as higher-is-better; ITU's pages confirm this for 11 "
        "of them and the direction of the others is not in the reference list, so set "
        "direction -1 in the framework for a KPI where lower is better. No sample data are "
        "published.",
        "source": "ITU U4SSC Collection Methodology for KPIs for Smart Sustainable Cities (2017) and "
        "U4SSC KPIs Verification Manual (2022); banding as in the U4SSC city factsheets",
        "licence": "Codes, names and structure only (facts); definitions are not reproduced",
        "level_names": ["KPI", "Category", "Sub-dimension", "Dimension", "Index"],
        "nodes": u4ssc_nodes,
    },
    {"normalise": {"default": {"method": "target_bands"}}, "aggregate": {"default": {"method": "pooled_mean"}}},
    ["uCode", "uName"] + [r["kpi_code"].replace(": ", "-") for r in kpis],
    [],
)
print("built", ", ".join(p.name for p in sorted(out.iterdir()) if p.is_dir()))


desi_2022.build(str(ref / "desi-2022"), str(out / "desi-2022"))

if check:
    stale = []
    for built in sorted(out.rglob("*")):
        if built.is_file():
            committed = here / built.relative_to(out)
            if not committed.exists() or not filecmp.cmp(built, committed, shallow=False):
                stale.append(str(committed.relative_to(here.parent.parent)))
    if stale:
        sys.exit("stale embedded framework files (run python3 core/data/build.py): " + ", ".join(stale))
    print("core/data is current: every file rebuilds to the committed bytes")
