//! Capacity figures as people read them: `27.5 vCPU`, `384 GiB`, `2 TiB`.

/// The longest cluster name an explanation repeats; longer ones are shortened.
pub const MAX_NAME: usize = 60;

/// A cluster's name as explanations show it: bounded.
pub fn name(name: &str) -> String {
    crate::base::text::shortened(name, MAX_NAME).into_owned()
}

/// Milli-cores as vCPU: `8 vCPU`, `27.5 vCPU`, `0.25 vCPU`.
pub fn cpu(milli: u64) -> String {
    let whole = milli / 1000;
    let fraction = milli % 1000;
    if fraction == 0 {
        format!("{whole} vCPU")
    } else {
        let digits = format!("{fraction:03}");
        format!("{whole}.{} vCPU", digits.trim_end_matches('0'))
    }
}

/// Bytes in the largest binary unit that keeps a number of at least one, to one decimal:
/// `512 MiB`, `384 GiB`, `1.5 TiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let rounded = (value * 10.0).round() / 10.0;
    format!(
        "{} {}",
        crate::base::text::format_number(rounded),
        UNITS[unit]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(cpu(8_000), "8 vCPU");
        assert_eq!(cpu(27_500), "27.5 vCPU");
        assert_eq!(cpu(250), "0.25 vCPU");
        assert_eq!(cpu(1), "0.001 vCPU");
        assert_eq!(bytes(384 << 30), "384 GiB");
        assert_eq!(bytes(3 << 39), "1.5 TiB");
        assert_eq!(bytes(512 << 20), "512 MiB");
        assert_eq!(bytes(100), "100 B");
        assert_eq!(bytes(u64::MAX), "16 EiB");
    }
}
