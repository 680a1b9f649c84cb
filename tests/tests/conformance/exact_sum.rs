//! Exact sums (`stats::ExactSum`): Python's `math.fsum` reproduced bit for bit, and the same
//! bits however the values are split into partitions and in whatever order the partitions'
//! accumulators are merged — the property the statistics merged from partitions rely on.

use cityindex::stats::{ExactSum, exact_sum};
use proptest::prelude::*;

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    values: Vec<f64>,
    fsum: Option<f64>,
}

#[derive(serde::Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

/// The sum of `values` split into `parts` runs of lengths given by `cuts`, each summed alone,
/// merged from the last partition to the first.
fn partitioned(values: &[f64], cuts: &[usize]) -> Option<f64> {
    let mut parts: Vec<ExactSum> = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        let end = (start + cut).min(values.len());
        parts.push(values[start..end].iter().copied().collect());
        start = end;
    }
    parts.push(values[start..].iter().copied().collect());
    let mut total = ExactSum::new();
    for part in parts.iter().rev() {
        total.merge(part);
    }
    total.value()
}

#[test]
fn python_fsum_bit_for_bit_however_split() {
    let text = std::fs::read_to_string(cityindex_tests::fixture("exact-sum/fsum.json")).unwrap();
    let fixture: Fixture = serde_json::from_str(&text).unwrap();
    assert!(fixture.cases.len() >= 50);
    let mut compared = 0;
    for case in &fixture.cases {
        let ours = exact_sum(&case.values);
        // Python raises OverflowError when a partial sum overflows in its order, even for a
        // finite sum; ExactSum scales large values and has no such order, so it is compared
        // with itself there. Sums of 2¹⁰²² or more are out of ExactSum's range (None).
        let expected = match case.fsum {
            Some(v) => {
                compared += 1;
                (v.abs() < 2f64.powi(1022)).then_some(v)
            }
            None => ours,
        };
        assert_eq!(
            ours.map(f64::to_bits),
            expected.map(f64::to_bits),
            "{}",
            case.name
        );
        let mut reversed = case.values.clone();
        reversed.reverse();
        assert_eq!(
            exact_sum(&reversed).map(f64::to_bits),
            expected.map(f64::to_bits),
            "{} reversed",
            case.name
        );
        for cuts in [vec![1], vec![3, 7, 1], vec![50, 50, 50], vec![0, 0, 2]] {
            assert_eq!(
                partitioned(&case.values, &cuts).map(f64::to_bits),
                expected.map(f64::to_bits),
                "{} split {cuts:?}",
                case.name
            );
        }
    }
    assert!(compared >= 45, "{compared} sums compared with Python's");
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1e6..1e6f64),
        (-1.0..1.0f64).prop_map(|v| v * 1e300),
        (-1.0..1.0f64).prop_map(|v| v * 1e-300),
        (0..1000i32).prop_map(|k| f64::from(k) / 10.0),
    ]
}

proptest! {
    #[test]
    fn any_partitioning_and_order_gives_the_same_bits(
        values in prop::collection::vec(value(), 0..300),
        cuts in prop::collection::vec(0..60usize, 0..12),
        seed in any::<u64>(),
    ) {
        let whole = exact_sum(&values);
        prop_assert_eq!(partitioned(&values, &cuts).map(f64::to_bits), whole.map(f64::to_bits));
        // A shuffle (Fisher–Yates from a small LCG) changes nothing either.
        let mut shuffled = values.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let j = usize::try_from(state >> 33).unwrap_or(0) % (i + 1);
            shuffled.swap(i, j);
        }
        prop_assert_eq!(exact_sum(&shuffled).map(f64::to_bits), whole.map(f64::to_bits));
    }
}
