//! Categorical mapping: yes/no and ordinal levels to scores.

use crate::framework::OrdinalLevel;

/// Maps 1 to `yes` and 0 to `no`; missing stays missing.
///
/// # Errors
/// The row of the first value that is neither 0 nor 1.
pub fn yes_no(x: &[f64], yes: f64, no: f64, out: &mut [f64]) -> Result<(), usize> {
    for (r, (o, &v)) in out.iter_mut().zip(x).enumerate() {
        *o = if v.is_nan() {
            f64::NAN
        } else if v == 1.0 {
            yes
        } else if v == 0.0 {
            no
        } else {
            return Err(r);
        };
    }
    Ok(())
}

/// Maps each value to the score of the level with that value; missing stays missing.
///
/// # Errors
/// The row of the first value that is not a level.
pub fn ordinal_levels(x: &[f64], levels: &[OrdinalLevel], out: &mut [f64]) -> Result<(), usize> {
    for (r, (o, &v)) in out.iter_mut().zip(x).enumerate() {
        *o = if v.is_nan() {
            f64::NAN
        } else {
            levels
                .iter()
                .find(|l| l.value == v)
                .map(|l| l.score)
                .ok_or(r)?
        };
    }
    Ok(())
}
