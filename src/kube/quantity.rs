//! Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`, `128974848`), parsed exactly into
//! integer milli-units, as the API machinery defines them:
//!
//! ```text
//! quantity ::= sign? number suffix
//! number   ::= digits | digits "." digits? | "." digits
//! suffix   ::= "" | "m" | "k" | "M" | "G" | "T" | "P" | "E"    (decimal SI)
//!            | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"        (binary SI)
//!            | ("e" | "E") sign? digits                       (decimal exponent)
//! ```
//!
//! A value finer than a milli-unit is rounded up (away from zero), as Kubernetes rounds a
//! quantity's milli value: `0.0001` CPU is `1m`. Memory in bytes is the milli value divided
//! by 1000. Text from a dump is hostile: length, digits and exponent are bounded, and a value
//! past what 128 bits of milli-units hold is an error, never a wrap.

use std::fmt;

/// The longest quantity text accepted; real ones are a few characters.
pub const MAX_TEXT: usize = 64;
/// The largest decimal exponent accepted (`1e30`); past it no resource is meant.
pub const MAX_EXPONENT: i32 = 30;

/// A quantity in thousandths of its unit (cores for CPU, bytes for memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity {
    pub milli: i128,
}

impl Quantity {
    /// The quantity in whole units, rounded up (a byte count, whole cores).
    pub fn units_ceil(self) -> i128 {
        let whole = self.milli.div_euclid(1000);
        if self.milli.rem_euclid(1000) == 0 {
            whole
        } else {
            whole + 1
        }
    }
}

/// Why a text is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error(
        "`{0}` is not a quantity (a number with an optional suffix such as m, Ki, Mi, G or e3)"
    )]
    Syntax(String),
    #[error("the quantity is longer than {MAX_TEXT} characters")]
    TooLong,
    #[error("`{0}` is too large to count")]
    TooLarge(String),
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Quantity, QuantityError> {
        parse(text)
    }
}

impl fmt::Display for Quantity {
    /// Milli-units when the value has a fraction (`1500m`), else whole units.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.milli % 1000 == 0 {
            write!(f, "{}", self.milli / 1000)
        } else {
            write!(f, "{}m", self.milli)
        }
    }
}

/// Parses a quantity. See the module comment for the grammar and the rounding.
pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
    if text.len() > MAX_TEXT {
        return Err(QuantityError::TooLong);
    }
    let syntax = || QuantityError::Syntax(text.to_string());
    let too_large = || QuantityError::TooLarge(text.to_string());
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return Err(syntax());
    }
    // The digits as one integer, and the power of ten that places its decimal point.
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 38 {
        return Err(too_large());
    }
    let mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| syntax())?
    };
    let (mut power_of_ten, power_of_two) = match suffix {
        "" => (0, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        exponent if exponent.starts_with(['e', 'E']) => {
            (decimal_exponent(&exponent[1..]).ok_or_else(syntax)?, 0)
        }
        _ => return Err(syntax()),
    };
    // Milli-units, and the digits after the decimal point.
    power_of_ten += 3 - i32::try_from(fraction.len()).map_err(|_| syntax())?;
    let scaled = mantissa
        .checked_mul(1i128.checked_shl(power_of_two).ok_or_else(too_large)?)
        .ok_or_else(too_large)?;
    let milli = if mantissa == 0 {
        0
    } else if power_of_ten >= 0 {
        let factor = 10i128
            .checked_pow(u32::try_from(power_of_ten).map_err(|_| too_large())?)
            .ok_or_else(too_large)?;
        scaled.checked_mul(factor).ok_or_else(too_large)?
    } else {
        // A value finer than a milli-unit rounds up; past 38 places it is below any unit.
        match 10i128.checked_pow(power_of_ten.unsigned_abs()) {
            Some(divisor) => {
                let (quotient, remainder) = (scaled / divisor, scaled % divisor);
                quotient + i128::from(remainder != 0)
            }
            None => 1,
        }
    };
    Ok(Quantity {
        milli: if negative { -milli } else { milli },
    })
}

/// The exponent of `e3`, `E-2`: a signed whole number within [`MAX_EXPONENT`].
fn decimal_exponent(text: &str) -> Option<i32> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exponent: i32 = text.parse().ok()?;
    (exponent.abs() <= MAX_EXPONENT).then_some(exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milli(text: &str) -> i128 {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).milli
    }

    #[test]
    fn cpu_and_memory_as_dumps_write_them() {
        assert_eq!(milli("500m"), 500);
        assert_eq!(milli("2"), 2_000);
        assert_eq!(milli("1.5"), 1_500);
        assert_eq!(milli("0.1"), 100);
        assert_eq!(milli(".5"), 500);
        assert_eq!(milli("5."), 5_000);
        assert_eq!(milli("128974848"), 128_974_848_000);
        assert_eq!(milli("129e6"), 129_000_000_000);
        assert_eq!(milli("129M"), 129_000_000_000);
        assert_eq!(milli("123Mi"), 123 * 1024 * 1024 * 1000);
        assert_eq!(milli("1.5Gi"), 1_610_612_736_000);
        assert_eq!(milli("1Ei"), (1i128 << 60) * 1000);
        assert_eq!(milli("8E"), 8 * 10i128.pow(18) * 1000);
        assert_eq!(milli("-1k"), -1_000_000);
        assert_eq!(milli("+3"), 3_000);
        assert_eq!(milli("2E-3"), 2);
        assert_eq!(milli("0"), 0);
        assert_eq!(milli("0Gi"), 0);
    }

    #[test]
    fn finer_than_a_milli_unit_rounds_up() {
        assert_eq!(milli("0.0001"), 1);
        assert_eq!(milli("1.0001"), 1_001);
        assert_eq!(milli("-0.0001"), -1);
        assert_eq!(milli("1e-30"), 1);
        assert_eq!(parse("1.5").unwrap().units_ceil(), 2);
        assert_eq!(parse("1Ki").unwrap().units_ceil(), 1024);
    }

    #[test]
    fn what_is_not_a_quantity_is_refused() {
        for text in [
            "", "m", "-", ".", "1..2", "1.2.3", "1 Gi", "1gi", "1KI", "1e", "1e+", "1ee3", "1Gi3",
            "0x10", "1,5", "١", "1e1000", "NaN", "1i",
        ] {
            assert!(parse(text).is_err(), "{text:?} was taken");
        }
        assert_eq!(parse(&"9".repeat(65)), Err(QuantityError::TooLong));
        assert!(matches!(
            parse(&"9".repeat(40)),
            Err(QuantityError::TooLarge(_))
        ));
        assert!(matches!(
            parse("999999999999999999Ei"),
            Err(QuantityError::TooLarge(_))
        ));
        assert!(parse("1e30").is_ok());
    }

    #[test]
    fn shown_as_kubernetes_writes_it() {
        assert_eq!(parse("1500m").unwrap().to_string(), "1500m");
        assert_eq!(parse("2").unwrap().to_string(), "2");
    }
}
