//! "Did you mean ...?" for mistyped ids.

/// The candidate closest to `input`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_id_only_when_close() {
        let ids = ["spare_capacity", "shared_supervisor", "change_window"];
        assert_eq!(did_you_mean("spare_capcity", ids), Some("spare_capacity"));
        assert_eq!(did_you_mean("change_windows", ids), Some("change_window"));
        assert_eq!(did_you_mean("banana", ids), None);
    }
}
