//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

use std::fmt::Write as _;

use cityindex::analysis::Analysis;
use cityindex::prepare::StepReport;
use cityindex::prepare::treat::TreatmentReport;
use cityindex::uncertainty::Uncertainty;
use cityindex::{Framework, Scores};

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
table{border-collapse:collapse}td,th{padding:.15rem .6rem;text-align:right}td.l,th.l{text-align:left}\
tbody tr:nth-child(odd){background:#f4f7fa}ul.tree{list-style:none;padding-left:1.1rem}\
ul.tree li{margin:.1rem 0}.w{color:#5b6875;font-size:.9em}svg text{font-size:11px;fill:#1d2733}\
.grid{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}";

/// Renders the report.
pub fn render(
    framework: &Framework,
    scores: &Scores,
    analysis: &Analysis,
    uncertainty: &Uncertainty,
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
    ranking_section(&mut html, scores, top);
    preparation_section(&mut html, scores);
    intervals_section(&mut html, scores, uncertainty);
    heatmap_section(&mut html, analysis);
    standings_section(&mut html, scores, analysis);
    tree_section(&mut html, framework, analysis);
    html.push_str("</body></html>\n");
    html
}

fn ranking_section(html: &mut String, scores: &Scores, top: &str) {
    let ranking = scores.ranking(top).unwrap_or_default();
    let _ = write!(
        html,
        "<h2>Ranking on {}</h2><div class=\"grid\"><table id=\"ranking\"><thead><tr><th>rank</th>\
         <th class=\"l\">unit</th><th>score</th></tr></thead><tbody>",
        esc(top)
    );
    for (r, score, rank) in &ranking {
        let unit = &scores.units()[*r];
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td></tr>",
            number(*rank, 0),
            esc(unit.name.as_deref().unwrap_or(&unit.id)),
            number(*score, 2)
        );
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
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{left}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"#3b6ea5\"/>\
             <text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 12.0,
            esc(unit.name.as_deref().unwrap_or(&unit.id)),
            y + 2.0,
            row - 4.0,
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
