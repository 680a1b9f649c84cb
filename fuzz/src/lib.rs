//! The oracle every fuzz target applies: not only "no panic", but every value finite or a
//! documented missing value, ranks ordered as the scores with the declared tie rule, and every
//! error carrying a stable code.

use cityindex::rank::TieRule;
use cityindex::{Dataset, Framework, Scores};

/// Reads structured choices from the fuzzer's bytes; zeros once they run out.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// The next byte.
    pub fn byte(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }

    /// One of `items`.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[usize::from(self.byte()) % items.len()]
    }

    /// A number of extreme magnitude more often than not: 0, ±1e-310, ±1e308, ±1.7e308, the
    /// smallest subnormal, everyday values, or any finite double from eight bytes.
    pub fn number(&mut self) -> f64 {
        const EXTREMES: [f64; 14] = [
            0.0, -0.0, 1.0, -1.0, 2.5, 100.0, 1e-310, -1e-310, 5e-324, 1e308, -1e308, 1.7e308,
            -1.7e308, 1e-5,
        ];
        if self.byte() % 4 == 0 {
            let mut raw = [0_u8; 8];
            for b in &mut raw {
                *b = self.byte();
            }
            let v = f64::from_le_bytes(raw);
            if v.is_finite() { v } else { 0.5 }
        } else {
            *self.pick(&EXTREMES)
        }
    }
}

/// Every error a user can provoke has a code of the form `domain.name`.
pub fn check_code(e: &cityindex::Error) {
    let code = e.code();
    assert!(code.contains('.') && !code.contains(' '), "code {code}");
    assert!(!e.to_string().is_empty());
}

/// The oracle on a scoring: no infinity anywhere; an indicator is missing only where its data
/// are; an aggregate only where none of its weighted children is present (or the availability
/// threshold says so); ranks are 1..=n over the present scores, ordered as the scores, with
/// `ties`' rule.
pub fn check_scores(
    scores: &Scores,
    framework: &Framework,
    data: &Dataset,
    ties: TieRule,
    threshold: bool,
) {
    let nodes = framework.nodes();
    for (i, node) in nodes.iter().enumerate() {
        let s = scores.score(&node.id).expect("every node is scored");
        assert!(s.iter().all(|v| !v.is_infinite()), "{}: infinite", node.id);
        let kids = framework.children_of(i);
        if kids.is_empty() {
            if let Some(x) = data.column(&node.id) {
                // target_bands leaves an indicator without a target wholly missing, on purpose.
                let lacks_target = s.iter().all(|v| v.is_nan());
                for (r, v) in s.iter().enumerate() {
                    assert!(
                        !v.is_nan() || x[r].is_nan() || lacks_target,
                        "{}: unit {r} present but missing after normalisation",
                        node.id
                    );
                }
            }
        } else if !threshold {
            for (r, v) in s.iter().enumerate() {
                let weighted = kids.iter().any(|&c| {
                    let id = &nodes[c].id;
                    !scores.score(id).unwrap()[r].is_nan() && scores.weight(id).unwrap_or(1.0) > 0.0
                });
                assert!(
                    !v.is_nan() || !weighted,
                    "{}: unit {r} silently missing",
                    node.id
                );
            }
        }
        check_ranks(s, scores.rank(&node.id).expect("ranks"), ties, &node.id);
    }
}

/// Ranks over the present values, descending, with the tie rule.
pub fn check_ranks(s: &[f64], rank: &[f64], ties: TieRule, node: &str) {
    let present = s.iter().filter(|v| !v.is_nan()).count() as f64;
    for (a, (&sa, &ra)) in s.iter().zip(rank).enumerate() {
        if sa.is_nan() {
            assert!(ra.is_nan(), "{node}: a missing score has rank {ra}");
            continue;
        }
        assert!(
            (1.0..=present).contains(&ra),
            "{node}: rank {ra} of {present}"
        );
        let better = s.iter().filter(|&&v| v > sa).count() as f64;
        let equal = s.iter().filter(|&&v| v == sa).count() as f64;
        let want = match ties {
            TieRule::Min => Some(better + 1.0),
            TieRule::Max => Some(better + equal),
            TieRule::Average => Some(better + (equal + 1.0) / 2.0),
            _ => None,
        };
        if let Some(want) = want {
            assert!(ra == want, "{node}: unit {a} has rank {ra}, not {want}");
        }
        for (&sb, &rb) in s.iter().zip(rank) {
            if sb < sa {
                assert!(ra < rb, "{node}: a better score ranks lower");
            }
        }
    }
}
