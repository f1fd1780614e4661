//! The statistics of the `random` test.
//!
//! A chi-square goodness-of-fit test of the member counts against the weights.
//! The critical values are for a false-failure probability of 10⁻⁶ per test:
//! a correct ruleset fails the test about once in a million runs.

/// Chi-square critical values at p = 10⁻⁶ for 1 to 10 degrees of freedom.
const CRITICAL_1E6: [f64; 10] = [
    23.93, 27.63, 30.66, 33.38, 35.89, 38.26, 40.52, 42.70, 44.81, 46.86,
];

/// The chi-square statistic of `observed` counts against `weights`.
pub fn chi_square(observed: &[u64], weights: &[u32]) -> f64 {
    let n: u64 = observed.iter().sum();
    let w: u32 = weights.iter().sum();
    observed
        .iter()
        .zip(weights)
        .map(|(&o, &wi)| {
            let expected = n as f64 * f64::from(wi) / f64::from(w);
            (o as f64 - expected).powi(2) / expected
        })
        .sum()
}

/// Whether `observed` is consistent with `weights` at the 10⁻⁶ level.
pub fn consistent(observed: &[u64], weights: &[u32]) -> Result<(), String> {
    let dof = weights.len().saturating_sub(1);
    let critical = *CRITICAL_1E6
        .get(dof.saturating_sub(1))
        .ok_or("too many members for the table")?;
    let chi = chi_square(observed, weights);
    if chi <= critical {
        Ok(())
    } else {
        Err(format!(
            "counts {observed:?} do not fit weights {weights:?}: chi-square {chi:.2} > {critical} ({dof} degrees of freedom, p = 1e-6)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fair_counts_pass_and_skewed_counts_fail() {
        assert!(consistent(&[300, 200, 100], &[3, 2, 1]).is_ok());
        assert!(consistent(&[290, 215, 95], &[3, 2, 1]).is_ok());
        assert!(consistent(&[200, 200, 200], &[3, 2, 1]).is_err());
        assert!(consistent(&[600, 0], &[1, 1]).is_err());
    }
}
