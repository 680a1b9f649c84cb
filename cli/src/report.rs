//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network) a
//! city's policy team can show: an executive summary (leaders, bands, movers, targets), the
//! ranking with dimension scores, bands and rank moves, a profile of every unit, a comparison of
//! two units, and the methodology (framework, recipe, preparation, uncertainty, correlations).
//! Print styles make it a clean PDF from a browser.

use std::fmt::Write as _;

use cityindex::analysis::{Analysis, TargetProgress};
use cityindex::prepare::StepReport;
use cityindex::prepare::treat::TreatmentReport;
use cityindex::uncertainty::Uncertainty;
use cityindex::{Framework, Recipe, Scores, Trend};

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn number(v: f64, decimals: usize) -> String {
    if v.is_nan() {
        "–".to_owned()
    } else {
        format!("{v:.decimals$}")
    }
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2733;padding:0 1rem}\
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d5dde5}.muted{color:#5b6875}\
table{border-collapse:collapse}td,th{padding:.15rem .6rem;text-align:right;white-space:nowrap}\
td.l,th.l{text-align:left;white-space:normal}.card svg{display:block;margin:.3rem 0}\
tbody tr:nth-child(odd){background:#f4f7fa}ul.tree{list-style:none;padding-left:1.1rem}\
ul.tree li{margin:.1rem 0}.w{color:#5b6875;font-size:.9em}svg text{font-size:11px;fill:#1d2733}\
.grid{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}\
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(21rem,1fr));gap:1rem}\
.card{border:1px solid #d5dde5;border-radius:6px;padding:.6rem .8rem;break-inside:avoid}\
.card h3{margin:.1rem 0 .3rem;font-size:1.05rem}.kpi{font-size:1.6rem;font-weight:600}\
.up{color:#1e7b34}.down{color:#b03a2e}.band{display:inline-block;padding:0 .4rem;border-radius:3px;background:#e8eef5}\
pre{background:#f4f7fa;padding:.6rem;overflow:auto;font-size:12px}\
@page{size:A4;margin:14mm}\
@media print{body{margin:0;max-width:none;font-size:10.5px}h2,h3{break-after:avoid}\
section{break-before:page}section#summary{break-before:auto}.card,svg,tr{break-inside:avoid}\
.cards{grid-template-columns:1fr 1fr;gap:.6rem}.grid{display:block}svg{max-width:100%;height:auto}}";

/// The first and last period, and each unit's trend on the top node between them.
pub type Trends = (i64, i64, Vec<(String, Trend)>);

/// What the report shows beyond the scores of one period.
pub struct Extras<'a> {
    /// The recipe the scores came from.
    pub recipe: &'a Recipe,
    /// Each unit's trend on the top node from the first to the last period, when the data hold
    /// several.
    pub trends: Option<Trends>,
    /// Progress towards the framework's targets.
    pub targets: Vec<TargetProgress>,
    /// The two units compared (ids).
    pub compare: (String, String),
}

/// Renders the report.
pub fn render(
    framework: &Framework,
    scores: &Scores,
    analysis: &Analysis,
    uncertainty: &Uncertainty,
    extras: &Extras<'_>,
) -> String {
    let info = framework.info();
    let title = info
        .name
        .as_deref()
        .or(info.id.as_deref())
        .unwrap_or("cityindex report");
    let top = &framework.nodes()[framework.roots()[0]].id;
    let mut html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>{STYLE}</style></head><body><h1>{t}</h1><p class=\"muted\">{d}</p>\
         <p class=\"muted\">Source: {s}. Licence: {l}. Computed by cityindex {v}.</p>",
        t = esc(title),
        d = esc(info.description.as_deref().unwrap_or("")),
        s = esc(info.source.as_deref().unwrap_or("not stated")),
        l = esc(info.licence.as_deref().unwrap_or("not stated")),
        v = env!("CARGO_PKG_VERSION"),
    );
    let moves = moves(extras);
    summary_section(&mut html, framework, scores, top, extras);
    html.push_str("<section id=\"ranking-section\">");
    ranking_section(&mut html, framework, scores, top, &moves);
    html.push_str("</section><section id=\"profiles\">");
    profiles_section(&mut html, framework, scores, analysis, uncertainty, extras);
    html.push_str("</section><section id=\"compare\">");
    compare_section(&mut html, framework, scores, top, &extras.compare);
    let _ = write!(
        html,
        "</section><section id=\"methodology\"><h2>Methodology</h2><p class=\"muted\">How the \
         scores were made: the framework's tree and weights, the recipe (normalisation, \
         aggregation, weights), what preparation did to the data, how robust the ranks are to the \
         weights, and how the indicators correlate.</p><h3>Recipe</h3><pre id=\"recipe\">{}</pre>",
        esc(&extras.recipe.to_json())
    );
    tree_section(&mut html, framework, analysis);
    preparation_section(&mut html, scores);
    intervals_section(&mut html, scores, uncertainty);
    heatmap_section(&mut html, analysis);
    standings_section(&mut html, scores, analysis);
    html.push_str("</section></body></html>\n");
    html
}

fn ranking_section(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    top: &str,
    moves: &std::collections::HashMap<String, f64>,
) {
    let ranking = scores.ranking(top).unwrap_or_default();
    let children = children_of(framework, top);
    let bands = scores.band(top);
    let _ = write!(
        html,
        "<h2>Ranking on {}</h2><div class=\"grid\"><table id=\"ranking\"><thead><tr><th>rank</th>\
         <th class=\"l\">unit</th><th>score</th>",
        esc(&node_name(framework, top))
    );
    if bands.is_some() {
        html.push_str("<th class=\"l\">band</th>");
    }
    if !moves.is_empty() {
        html.push_str("<th>move</th>");
    }
    for c in &children {
        let _ = write!(
            html,
            "<th title=\"{}\">{}</th>",
            esc(&node_name(framework, c)),
            esc(c)
        );
    }
    html.push_str("</tr></thead><tbody>");
    for (r, score, rank) in &ranking {
        let unit = &scores.units()[*r];
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td>",
            number(*rank, 0),
            esc(&unit_name(scores, *r)),
            number(*score, 2)
        );
        if let Some(bands) = &bands {
            let _ = write!(
                html,
                "<td class=\"l\">{}</td>",
                esc(bands[*r].unwrap_or("–"))
            );
        }
        if !moves.is_empty() {
            html.push_str(&move_cell(moves.get(&unit.id).copied()));
        }
        for c in &children {
            let v = scores.score(c).map_or(f64::NAN, |s| s[*r]);
            let _ = write!(html, "<td>{}</td>", number(v, 1));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    let shown: Vec<&(usize, f64, f64)> = ranking.iter().filter(|r| !r.1.is_nan()).collect();
    let max = shown.iter().map(|r| r.1).fold(f64::MIN_POSITIVE, f64::max);
    let (width, row, left) = (460.0, 16.0, 150.0);
    let _ = write!(
        html,
        "<svg id=\"bars\" width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"ranking bar chart\">",
        shown.len() as f64 * row + 10.0
    );
    for (k, (r, score, _)) in shown.iter().enumerate() {
        let unit = &scores.units()[*r];
        let y = k as f64 * row;
        let w = (score / max).max(0.0) * (width - left - 50.0);
        let _ = write!(
            html,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{left}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 12.0,
            esc(unit.name.as_deref().unwrap_or(&unit.id)),
            y + 2.0,
            row - 4.0,
            // Aggregates (the EU) in grey: shown for reference, not ranked.
            if unit.aggregate { "#9aa5b1" } else { "#3b6ea5" },
            left + w + 4.0,
            y + 12.0,
            number(*score, 1)
        );
    }
    html.push_str("</svg></div>");
}

/// What the recipe's preparation steps did (nothing is shown without steps): one line per step,
/// then each treated indicator's skewness and kurtosis before and after.
fn preparation_section(html: &mut String, scores: &Scores) {
    let reports = scores.preparation();
    if reports.is_empty() {
        return;
    }
    html.push_str(
        "<h2>Preparation</h2><p class=\"muted\">The recipe's steps, in order, on the data as \
         given.</p><table id=\"preparation\"><thead><tr><th class=\"l\">step</th>\
         <th class=\"l\">what it did</th></tr></thead><tbody>",
    );
    for report in reports {
        let (step, what) = step_summary(report);
        let _ = write!(
            html,
            "<tr><td class=\"l\">{step}</td><td class=\"l\">{what}</td></tr>"
        );
    }
    html.push_str("</tbody></table>");
    let treated: Vec<&TreatmentReport> = reports
        .iter()
        .flat_map(|r| match r {
            StepReport::Treat { indicators } => indicators.iter().filter(|t| t.changed()).collect(),
            _ => Vec::new(),
        })
        .collect();
    if !treated.is_empty() {
        treatment_table(html, &treated);
    }
}

/// A step's name and one line (HTML) on what it did.
fn step_summary(report: &StepReport) -> (&'static str, String) {
    let list = |ids: &[&str]| {
        if ids.is_empty() {
            String::new()
        } else {
            format!(": {}", esc(&ids.join(", ")))
        }
    };
    match report {
        StepReport::Denominate(d) => (
            "denominate",
            format!(
                "{} indicators divided by their denominators; {} ratios undefined (denominator missing or zero)",
                d.denominated.len(),
                d.undefined.len()
            ),
        ),
        StepReport::Impute(i) => {
            let mut by_method = std::collections::BTreeMap::new();
            for cell in &i.cells {
                *by_method.entry(cell.method.as_str()).or_insert(0) += 1;
            }
            let methods: Vec<String> = by_method
                .iter()
                .map(|(m, k)| format!("{k} by {m}"))
                .collect();
            let methods = if methods.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(&methods.join(", ")))
            };
            (
                "impute",
                format!(
                    "{} cells imputed{methods}; {} still missing",
                    i.cells.len(),
                    i.still_missing
                ),
            )
        }
        StepReport::Screen(s) => {
            let removed = s.removed_units();
            let dropped: Vec<&str> = s
                .indicators
                .iter()
                .filter(|a| !a.included)
                .map(|a| a.id.as_str())
                .collect();
            (
                "screen",
                format!(
                    "{} units removed{}; {} indicators removed{}",
                    removed.len(),
                    list(&removed),
                    dropped.len(),
                    list(&dropped)
                ),
            )
        }
        StepReport::Treat { indicators } => {
            let changed: Vec<&str> = indicators
                .iter()
                .filter(|t| t.changed())
                .map(|t| t.indicator.as_str())
                .collect();
            (
                "treat",
                format!(
                    "{} of {} indicators treated{}",
                    changed.len(),
                    indicators.len(),
                    list(&changed)
                ),
            )
        }
    }
}

/// Each treated indicator's test before and after, and what was done to it.
fn treatment_table(html: &mut String, treated: &[&TreatmentReport]) {
    html.push_str(
        "<p class=\"muted\">Treated indicators: skewness and excess kurtosis before and after \
         (an indicator is treated when it fails the recipe's test; COINr's default: |skew| &gt; 2 and \
         kurtosis &gt; 3.5).</p><table id=\"treatment\">\
         <thead><tr><th class=\"l\">indicator</th><th>skew</th><th>kurtosis</th>\
         <th>points winsorised</th><th class=\"l\">transformation</th><th>skew after</th>\
         <th>kurtosis after</th></tr></thead><tbody>",
    );
    for t in treated {
        let after = t.after_transform.or(t.after_winsorising);
        let _ = write!(
            html,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&t.indicator),
            number(t.before.map_or(f64::NAN, |b| b.skew), 2),
            number(t.before.map_or(f64::NAN, |b| b.kurtosis), 2),
            t.winsorised.unwrap_or(0),
            esc(t.transform.as_deref().unwrap_or("")),
            number(after.map_or(f64::NAN, |a| a.skew), 2),
            number(after.map_or(f64::NAN, |a| a.kurtosis), 2),
        );
    }
    html.push_str("</tbody></table>");
}

fn intervals_section(html: &mut String, scores: &Scores, ua: &Uncertainty) {
    let Some(summary) = ua.summary.first() else {
        return;
    };
    let _ = write!(
        html,
        "<h2>Rank intervals</h2><p class=\"muted\">{} replicates with every weight perturbed by up to \
         ±25 % (seed fixed, so the report is reproducible); {} failed. Bars: 5th–95th percentile of \
         each unit's rank; dot: its rank under the framework's own weights.</p>",
        ua.replicates.len(),
        ua.failed
    );
    // Were the replicates enough: the medians of the first half against those of all.
    let convergence = &ua.convergence()[0];
    if let [.., half, _] = convergence.replicates[..] {
        let k = convergence.replicates.len() - 2;
        let _ = write!(
            html,
            "<p class=\"muted\" id=\"convergence\">Convergence: the median ranks of the first {half} \
             replicates lie {} ranks from those of all {} on average (at most {}).</p>",
            number(convergence.median_change[k], 2),
            ua.replicates.len(),
            number(convergence.largest_median_change[k], 0)
        );
    }
    let mut rows: Vec<(usize, _)> = summary
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.median.is_nan())
        .collect();
    rows.sort_by(|a, b| {
        a.1.median
            .total_cmp(&b.1.median)
            .then(a.1.nominal.total_cmp(&b.1.nominal))
    });
    let n = summary.len().max(2) as f64;
    let (width, row, left) = (700.0, 16.0, 150.0);
    let x = |rank: f64| left + (rank - 1.0) / (n - 1.0) * (width - left - 20.0);
    let _ = write!(
        html,
        "<svg id=\"intervals\" width=\"{width}\" height=\"{}\" role=\"img\" aria-label=\"rank intervals\">",
        rows.len() as f64 * row + 24.0
    );
    for (k, (r, s)) in rows.iter().enumerate() {
        let unit = &scores.units()[*r];
        let y = k as f64 * row + 10.0;
        let _ = write!(
            html,
            "<text x=\"0\" y=\"{:.1}\">{}</text><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y}\" y2=\"{y}\" \
             stroke=\"#9bb7d4\" stroke-width=\"6\" stroke-linecap=\"round\"/>\
             <circle cx=\"{:.1}\" cy=\"{y}\" r=\"3.5\" fill=\"#c0392b\"/>",
            y + 4.0,
            esc(unit.name.as_deref().unwrap_or(&unit.id)),
            x(s.q05),
            x(s.q95),
            x(s.nominal)
        );
    }
    let _ = write!(
        html,
        "<text x=\"{left}\" y=\"{:.1}\">rank 1</text><text x=\"{:.1}\" y=\"{:.1}\">rank {n}</text></svg>",
        rows.len() as f64 * row + 20.0,
        width - 60.0,
        rows.len() as f64 * row + 20.0
    );
}

fn heatmap_section(html: &mut String, analysis: &Analysis) {
    let c = &analysis.correlations;
    let k = c.nodes.len();
    let cell = (560.0 / k.max(1) as f64).clamp(8.0, 22.0);
    let left = 80.0;
    let _ = write!(
        html,
        "<h2>Correlations between normalised indicators</h2><p class=\"muted\">Pearson's r; red \
         positive, blue negative. Strongly correlated indicators in one group may count the same \
         thing twice.</p><svg id=\"heatmap\" width=\"{:.0}\" height=\"{:.0}\" role=\"img\" \
         aria-label=\"correlation heatmap\">",
        left + cell * k as f64 + 10.0,
        left + cell * k as f64 + 10.0
    );
    for (i, row) in c.values.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let colour = if v.is_nan() {
                "#eeeeee".to_owned()
            } else {
                let t = v.clamp(-1.0, 1.0);
                let fade = |full: f64| (255.0 - (255.0 - full) * t.abs()).round();
                if t >= 0.0 {
                    format!("rgb({},{},{})", fade(192.0), fade(57.0), fade(43.0))
                } else {
                    format!("rgb({},{},{})", fade(41.0), fade(98.0), fade(165.0))
                }
            };
            let _ = write!(
                html,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{colour}\">\
                 <title>{} × {}: {}</title></rect>",
                left + j as f64 * cell,
                left + i as f64 * cell,
                esc(&c.nodes[i]),
                esc(&c.nodes[j]),
                number(v, 2)
            );
        }
        let _ = write!(
            html,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <text transform=\"translate({:.1},{:.1}) rotate(-90)\">{}</text>",
            left - 4.0,
            left + (i as f64 + 0.75) * cell,
            esc(&c.nodes[i]),
            left + (i as f64 + 0.75) * cell,
            left - 4.0,
            esc(&c.nodes[i])
        );
    }
    html.push_str("</svg>");
}

fn standings_section(html: &mut String, scores: &Scores, analysis: &Analysis) {
    html.push_str(
        "<h2>Strengths and weaknesses</h2><p class=\"muted\">Each unit's best- and worst-ranked \
         indicators in the data as given (direction-adjusted).</p><table id=\"standings\"><thead>\
         <tr><th class=\"l\">unit</th><th class=\"l\">strengths (rank)</th><th class=\"l\">weaknesses (rank)</th></tr></thead><tbody>",
    );
    let list = |items: &[cityindex::analysis::Standing]| {
        items
            .iter()
            .map(|s| format!("{} ({})", esc(&s.indicator), number(s.rank, 0)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for s in &analysis.standings {
        let name = scores
            .units()
            .iter()
            .find(|u| u.id == s.unit)
            .and_then(|u| u.name.clone())
            .unwrap_or_else(|| s.unit.clone());
        let _ = write!(
            html,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>",
            esc(&name),
            list(&s.strengths),
            list(&s.weaknesses)
        );
    }
    html.push_str("</tbody></table>");
}

fn tree_section(html: &mut String, framework: &Framework, analysis: &Analysis) {
    html.push_str(
        "<h2>Framework</h2><p class=\"muted\">Each node with its weight among its siblings and its \
         effective weight in the index.</p><ul class=\"tree\" id=\"tree\">",
    );
    for r in framework.roots() {
        tree_node(framework, analysis, r, html);
    }
    html.push_str("</ul>");
}

/// One node of the tree, with its weights, and its children.
fn tree_node(framework: &Framework, analysis: &Analysis, i: usize, html: &mut String) {
    let node = &framework.nodes()[i];
    let effective = analysis
        .effective_weights
        .iter()
        .find(|(id, _)| *id == node.id)
        .map_or(f64::NAN, |(_, w)| *w);
    let _ = write!(
        html,
        "<li><b>{}</b> {} <span class=\"w\">weight {} · effective {}</span>",
        esc(&node.id),
        esc(&node.name),
        node.weight,
        number(effective, 3)
    );
    let children = framework.children_of(i);
    if !children.is_empty() {
        html.push_str("<ul class=\"tree\">");
        for &c in children {
            tree_node(framework, analysis, c, html);
        }
        html.push_str("</ul>");
    }
    html.push_str("</li>");
}

fn node_name(framework: &Framework, id: &str) -> String {
    framework
        .position(id)
        .map_or(id.to_owned(), |i| framework.nodes()[i].name.clone())
}

fn unit_name(scores: &Scores, r: usize) -> String {
    let unit = &scores.units()[r];
    unit.name.clone().unwrap_or_else(|| unit.id.clone())
}

fn children_of(framework: &Framework, id: &str) -> Vec<String> {
    framework.position(id).map_or(Vec::new(), |i| {
        framework
            .children_of(i)
            .iter()
            .map(|&c| framework.nodes()[c].id.clone())
            .collect()
    })
}

/// Places each unit gained on the top node from the first period to the last.
fn moves(extras: &Extras<'_>) -> std::collections::HashMap<String, f64> {
    extras
        .trends
        .as_ref()
        .map_or_else(Default::default, |(_, _, rows)| {
            rows.iter()
                .map(|(unit, t)| (unit.clone(), t.rank_change()))
                .collect()
        })
}

/// ▲ 2, ▼ 1, = or – for a move of places.
fn move_cell(places: Option<f64>) -> String {
    match places {
        Some(p) if p > 0.0 => format!("<td class=\"up\">▲ {p}</td>"),
        Some(p) if p < 0.0 => format!("<td class=\"down\">▼ {}</td>", -p),
        Some(p) if !p.is_nan() => "<td>=</td>".to_owned(),
        _ => "<td>–</td>".to_owned(),
    }
}

/// The mean over the units (aggregates left out) and the best of a node's scores.
fn average_and_best(scores: &Scores, node: &str) -> (f64, f64) {
    let Some(values) = scores.score(node) else {
        return (f64::NAN, f64::NAN);
    };
    let own: Vec<f64> = values
        .iter()
        .zip(scores.units())
        .filter(|(v, u)| !u.aggregate && !v.is_nan())
        .map(|(v, _)| *v)
        .collect();
    let mean = own.iter().sum::<f64>() / own.len().max(1) as f64;
    let best = own.iter().copied().fold(f64::NAN, f64::max);
    (mean, best)
}

/// The executive summary: leaders, bands, movers, aggregates, targets.
fn summary_section(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    top: &str,
    extras: &Extras<'_>,
) {
    let ranking = scores.ranking(top).unwrap_or_default();
    let ranked: Vec<&(usize, f64, f64)> = ranking.iter().filter(|r| !r.2.is_nan()).collect();
    let _ = write!(
        html,
        "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\"><div class=\"card\" \
         id=\"leaders\"><h3>Leaders on {}</h3><ol>",
        esc(&node_name(framework, top))
    );
    for (r, score, _) in ranked.iter().take(3) {
        let _ = write!(
            html,
            "<li><b>{}</b> {}</li>",
            esc(&unit_name(scores, *r)),
            number(*score, 1)
        );
    }
    let _ = write!(
        html,
        "</ol><p class=\"muted\">{} units ranked; the last: {}.</p></div>",
        ranked.len(),
        ranked.last().map_or("–".to_owned(), |(r, s, _)| format!(
            "{} ({})",
            esc(&unit_name(scores, *r)),
            number(*s, 1)
        ))
    );
    bands_card(html, scores, top);
    if let Some(trends) = &extras.trends {
        movers_card(html, scores, trends);
    }
    for r in (0..scores.units().len()).filter(|&r| scores.units()[r].aggregate) {
        let score = scores.score(top).map_or(f64::NAN, |s| s[r]);
        let above = ranked.iter().filter(|x| x.1 > score).count();
        let _ = write!(
            html,
            "<div class=\"card aggregate\"><h3>{}</h3><span class=\"kpi\">{}</span><p \
             class=\"muted\">An aggregate, not ranked: {above} units score above it.</p></div>",
            esc(&unit_name(scores, r)),
            number(score, 1)
        );
    }
    html.push_str("</div>");
    targets_summary(html, framework, scores, &extras.targets);
    html.push_str("</section>");
}

/// How many units are in each band of the top node.
fn bands_card(html: &mut String, scores: &Scores, top: &str) {
    let Some(bands) = scores.band(top) else {
        return;
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (b, u) in bands.iter().zip(scores.units()) {
        if u.aggregate {
            continue;
        }
        let label = b.unwrap_or("unscored").to_owned();
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    html.push_str("<div class=\"card\" id=\"bands\"><h3>Maturity bands</h3><ul>");
    for (label, n) in counts {
        let _ = write!(
            html,
            "<li><span class=\"band\">{}</span> {n} units</li>",
            esc(&label)
        );
    }
    html.push_str("</ul></div>");
}

/// The units that gained and lost most places from the first period to the last.
fn movers_card(html: &mut String, scores: &Scores, (from, to, rows): &Trends) {
    let mut by_move: Vec<&(String, Trend)> = rows
        .iter()
        .filter(|(_, t)| !t.rank_change().is_nan())
        .collect();
    by_move.sort_by(|a, b| b.1.rank_change().total_cmp(&a.1.rank_change()));
    let name = |id: &str| {
        scores
            .units()
            .iter()
            .position(|u| u.id == id)
            .map_or(id.to_owned(), |r| unit_name(scores, r))
    };
    let _ = write!(
        html,
        "<div class=\"card\" id=\"movers\"><h3>Movers {from}–{to}</h3><p>Up: "
    );
    let up: Vec<String> = by_move
        .iter()
        .take(3)
        .filter(|(_, t)| t.rank_change() > 0.0)
        .map(|(u, t)| {
            format!(
                "{} <span class=\"up\">▲ {}</span>",
                esc(&name(u)),
                t.rank_change()
            )
        })
        .collect();
    let down: Vec<String> = by_move
        .iter()
        .rev()
        .take(3)
        .filter(|(_, t)| t.rank_change() < 0.0)
        .map(|(u, t)| {
            format!(
                "{} <span class=\"down\">▼ {}</span>",
                esc(&name(u)),
                -t.rank_change()
            )
        })
        .collect();
    let _ = write!(
        html,
        "{}</p><p>Down: {}</p></div>",
        if up.is_empty() {
            "none".to_owned()
        } else {
            up.join(", ")
        },
        if down.is_empty() {
            "none".to_owned()
        } else {
            down.join(", ")
        }
    );
}

/// Progress towards the targets: for the aggregate (the EU) when there is one, else how many
/// units are on each status per indicator.
fn targets_summary(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    targets: &[TargetProgress],
) {
    if targets.is_empty() {
        return;
    }
    let focus = scores
        .units()
        .iter()
        .find(|u| u.aggregate)
        .map(|u| u.id.clone());
    let _ = write!(
        html,
        "<h3>Progress towards the targets</h3><p class=\"muted\">Growth achieved from the first \
         period to the latest over the growth needed to reach each target by its year (Eurostat's \
         assessment of SDG targets: at least 95 % on track, 60–95 % moderate progress, 0–60 % off \
         track, below 0 moving away){}.</p><table id=\"targets\"><thead><tr><th class=\"l\">\
         indicator</th><th>latest</th><th>target</th>",
        focus
            .as_ref()
            .map_or(String::new(), |f| format!("; shown for {}", esc(f)))
    );
    let statuses = [
        "met",
        "on track",
        "moderate progress",
        "off track",
        "moving away",
    ];
    if focus.is_some() {
        html.push_str("<th>ratio</th><th class=\"l\">status</th>");
    } else {
        for s in statuses {
            let _ = write!(html, "<th>{s}</th>");
        }
    }
    html.push_str("</tr></thead><tbody>");
    let mut indicators: Vec<&str> = targets.iter().map(|t| t.indicator.as_str()).collect();
    indicators.dedup();
    for id in indicators {
        let rows: Vec<&TargetProgress> = targets.iter().filter(|t| t.indicator == id).collect();
        let first = rows[0];
        if let Some(focus) = &focus {
            let Some(t) = rows.iter().find(|t| &t.unit == focus) else {
                continue;
            };
            let _ = write!(
                html,
                "<tr><td class=\"l\">{}</td><td>{} ({})</td><td>{} ({})</td><td>{}</td><td class=\"l\">{}</td></tr>",
                esc(&node_name(framework, id)),
                number(t.latest, 3),
                t.latest_period,
                t.target,
                t.target_year,
                t.ratio
                    .map_or("–".to_owned(), |r| format!("{:.0} %", r * 100.0)),
                t.status.label()
            );
        } else {
            let _ = write!(
                html,
                "<tr><td class=\"l\">{}</td><td></td><td>{} ({})</td>",
                esc(&node_name(framework, id)),
                first.target,
                first.target_year
            );
            for s in statuses {
                let n = rows.iter().filter(|t| t.status.label() == s).count();
                let _ = write!(html, "<td>{n}</td>");
            }
            html.push_str("</tr>");
        }
    }
    html.push_str("</tbody></table>");
}

/// A profile of each unit (the first 60 by rank): its score, rank and band; each dimension
/// against the units' average and the best; its strengths and weaknesses; its rank interval
/// and its trend.
fn profiles_section(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    analysis: &Analysis,
    ua: &Uncertainty,
    extras: &Extras<'_>,
) {
    let top = &framework.nodes()[framework.roots()[0]].id;
    let children = children_of(framework, top);
    let ranking = scores.ranking(top).unwrap_or_default();
    let shown = ranking.len().min(60);
    let _ = write!(
        html,
        "<h2>Unit profiles</h2><p class=\"muted\">Each {} score against the units' average \
         (grey line) and the best (end of the track){}.</p><div class=\"cards\">",
        esc(&node_name(framework, top)),
        if shown < ranking.len() {
            format!("; the first {shown} of {} units by rank", ranking.len())
        } else {
            String::new()
        }
    );
    let stats: Vec<(f64, f64)> = children
        .iter()
        .map(|c| average_and_best(scores, c))
        .collect();
    let ranked = ranking.iter().filter(|x| !x.2.is_nan()).count();
    for &(r, score, rank) in ranking.iter().take(shown) {
        let row = Row {
            r,
            score,
            rank,
            ranked,
        };
        profile_card(
            html, framework, scores, analysis, ua, extras, &children, &stats, &row,
        );
    }
    html.push_str("</div>");
}

/// One unit of the profiles: its row, score, rank and how many units are ranked.
struct Row {
    r: usize,
    score: f64,
    rank: f64,
    ranked: usize,
}

/// One unit's profile card.
#[allow(clippy::too_many_arguments)] // the report's parts a card draws from
fn profile_card(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    analysis: &Analysis,
    ua: &Uncertainty,
    extras: &Extras<'_>,
    children: &[String],
    stats: &[(f64, f64)],
    row: &Row,
) {
    let (r, score, rank) = (&row.r, &row.score, &row.rank);
    let top = &framework.nodes()[framework.roots()[0]].id;
    let bands = scores.band(top);
    let unit = &scores.units()[*r];
    let _ = write!(
        html,
        "<div class=\"card profile\" id=\"profile-{}\"><h3>{}</h3><span class=\"kpi\">{}</span> \
         <span class=\"muted\">{}</span>{}",
        esc(&unit.id),
        esc(&unit_name(scores, *r)),
        number(*score, 1),
        if rank.is_nan() {
            "aggregate, not ranked".to_owned()
        } else {
            format!("rank {rank} of {}", row.ranked)
        },
        bands
            .as_ref()
            .and_then(|b| b[*r])
            .map_or(String::new(), |b| format!(
                " <span class=\"band\">{}</span>",
                esc(b)
            ))
    );
    dimension_bars(html, framework, scores, children, stats, *r);
    if let Some(s) = analysis.standings.iter().find(|s| s.unit == unit.id) {
        let list = |items: &[cityindex::analysis::Standing]| -> String {
            items
                .iter()
                .map(|i| esc(&node_name(framework, &i.indicator)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = write!(
            html,
            "<p><b>Strengths:</b> {}<br><b>Weaknesses:</b> {}</p>",
            list(&s.strengths),
            list(&s.weaknesses)
        );
    }
    if let Some(u) = ua.nominal.units().iter().position(|x| x.id == unit.id)
        && let Some(s) = ua.summary.first().and_then(|summary| summary.get(u))
    {
        let _ = write!(
            html,
            "<p class=\"muted\">Rank interval (weights ±25 %): {}–{}, median {}.</p>",
            number(s.q05, 0),
            number(s.q95, 0),
            number(s.median, 1)
        );
    }
    if let Some((from, to, rows)) = &extras.trends
        && let Some((_, t)) = rows.iter().find(|(id, _)| *id == unit.id)
    {
        let _ = write!(
            html,
            "<p class=\"muted\">{from}→{to}: {} → {} ({}{}, {} a year){}</p>",
            number(t.start, 1),
            number(t.end, 1),
            if t.change >= 0.0 { "+" } else { "" },
            number(t.change, 1),
            if t.cagr.is_nan() {
                "–".to_owned()
            } else {
                format!("{:+.1} %", t.cagr * 100.0)
            },
            match t.rank_change() {
                c if c > 0.0 => format!("; up {c} place{}", if c == 1.0 { "" } else { "s" }),
                c if c < 0.0 => format!("; down {} place{}", -c, if c == -1.0 { "" } else { "s" }),
                c if !c.is_nan() => "; same rank".to_owned(),
                _ => String::new(),
            }
        );
    }
    html.push_str("</div>");
}

/// One unit's score on each dimension as a bar on a track as long as the best unit's, with the
/// units' average as a grey line.
fn dimension_bars(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    children: &[String],
    stats: &[(f64, f64)],
    r: usize,
) {
    let r = &r;
    // A viewBox, so that a narrower card (two to a printed page) scales the chart down whole.
    let height = children.len() * 18 + 4;
    let _ = write!(
        html,
        "<svg width=\"320\" height=\"{height}\" viewBox=\"0 0 320 {height}\" role=\"img\" \
         aria-label=\"dimension scores\">"
    );
    for (k, c) in children.iter().enumerate() {
        let v = scores.score(c).map_or(f64::NAN, |s| s[*r]);
        let (mean, best) = stats[k];
        let scale = |x: f64| {
            if best > 0.0 {
                (x / best).clamp(0.0, 1.05) * 170.0
            } else {
                0.0
            }
        };
        let y = k as f64 * 18.0;
        let _ = write!(
            html,
            "<text x=\"0\" y=\"{:.0}\">{}</text><rect x=\"110\" y=\"{:.0}\" width=\"170\" height=\"10\" fill=\"#e8eef5\"/>\
             <rect x=\"110\" y=\"{:.0}\" width=\"{:.1}\" height=\"10\" fill=\"#3b6ea5\"/>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.0}\" y2=\"{:.0}\" stroke=\"#5b6875\" stroke-width=\"2\"/>\
             <text x=\"286\" y=\"{:.0}\">{}</text>",
            y + 12.0,
            esc(&truncate(&node_name(framework, c), 18)),
            y + 3.0,
            y + 3.0,
            if v.is_nan() { 0.0 } else { scale(v) },
            110.0 + scale(mean),
            110.0 + scale(mean),
            y + 1.0,
            y + 15.0,
            y + 12.0,
            number(v, 0)
        );
    }
    html.push_str("</svg>");
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(chars - 1).collect();
        t.push('…');
        t
    }
}

/// Two units side by side on the top node and each of its children.
fn compare_section(
    html: &mut String,
    framework: &Framework,
    scores: &Scores,
    top: &str,
    (a, b): &(String, String),
) {
    let row_of = |id: &str| scores.units().iter().position(|u| u.id == id);
    let (Some(ra), Some(rb)) = (row_of(a), row_of(b)) else {
        return;
    };
    let _ = write!(
        html,
        "<h2>{} and {}</h2><table id=\"comparison\"><thead><tr><th class=\"l\">node</th>\
         <th>{}</th><th>{}</th><th>difference</th></tr></thead><tbody>",
        esc(&unit_name(scores, ra)),
        esc(&unit_name(scores, rb)),
        esc(&unit_name(scores, ra)),
        esc(&unit_name(scores, rb))
    );
    let mut nodes = vec![top.to_owned()];
    nodes.extend(children_of(framework, top));
    for node in nodes {
        let v = |r: usize| scores.score(&node).map_or(f64::NAN, |s| s[r]);
        let d = v(ra) - v(rb);
        let _ = write!(
            html,
            "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}{}</td></tr>",
            esc(&node_name(framework, &node)),
            number(v(ra), 1),
            number(v(rb), 1),
            if d > 0.0 {
                "up"
            } else if d < 0.0 {
                "down"
            } else {
                ""
            },
            if d > 0.0 { "+" } else { "" },
            number(d, 1)
        );
    }
    html.push_str("</tbody></table>");
}
