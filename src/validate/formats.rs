//! The value formats of loader fields, judged on the exact text: calendar dates,
//! money decimals, SIREN / SIRET / NIC with their check digit, emails and URLs.

use chrono::NaiveDate;

use super::problem::Problem;

/// The SIREN of La Poste, whose SIRETs use a digit sum divisible by 5 instead of Luhn.
const LA_POSTE: &str = "356000000";

/// Longest value quoted back in a message.
const SHOWN_MAX: usize = 40;

/// A value as quoted in a message: its text, cut short when long.
pub(crate) fn shown(text: &str) -> String {
    if text.chars().count() <= SHOWN_MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(SHOWN_MAX).collect();
    format!("{cut}...")
}

/// True for a real calendar date written `YYYY-MM-DD`.
pub(crate) fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    shape && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// True for a year written with four digits, the first not zero.
pub(crate) fn is_year(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0')
}

/// True for a JSON number written as an integer: no fraction, no exponent.
pub(crate) fn is_integer(number: &str) -> bool {
    let digits = number.strip_prefix('-').unwrap_or(number);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// How many decimals the exact value of a JSON number needs: `1500.10` needs 1,
/// `1e3` none, `1.5e-2` 3. Trailing zeros of the fraction do not count.
pub(crate) fn decimals(number: &str) -> i64 {
    let (mantissa, exponent) = match number.find(['e', 'E']) {
        Some(at) => (&number[..at], number[at + 1..].parse::<i64>().unwrap_or(i64::MAX)),
        None => (number, 0),
    };
    let fraction = mantissa.split_once('.').map_or("", |(_, f)| f).trim_end_matches('0');
    (fraction.len() as i64).saturating_sub(exponent).max(0)
}

/// Checks a SIREN: 9 digits with a Luhn check digit.
pub(crate) fn siren(text: &str) -> Result<(), Problem> {
    digits(text, "SIREN", 9)?;
    check_digit(luhn(text), text, "SIREN")
}

/// Checks a SIRET: 14 digits with a Luhn check digit, or, for La Poste, a
/// digit sum divisible by 5.
pub(crate) fn siret(text: &str) -> Result<(), Problem> {
    digits(text, "SIRET", 14)?;
    let valid =
        if text.starts_with(LA_POSTE) { digit_sum(text).is_multiple_of(5) } else { luhn(text) };
    check_digit(valid, text, "SIRET")
}

/// Checks a NIC: 5 digits (it has no check digit of its own).
pub(crate) fn nic(text: &str) -> Result<(), Problem> {
    digits(text, "NIC", 5)
}

/// True for an address with one `@`, a local part, and a dotted domain.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let clean = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '@');
    clean(local)
        && clean(domain)
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

/// True for an absolute `http` or `https` URL with a host and no whitespace.
pub(crate) fn is_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '@' | '_' | '%'));
    !host.is_empty() && host_ok && !text.contains(char::is_whitespace)
}

fn digits(text: &str, what: &'static str, count: usize) -> Result<(), Problem> {
    if text.len() == count && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(Problem::Digits { value: shown(text), what, digits: count })
}

fn check_digit(valid: bool, text: &str, what: &'static str) -> Result<(), Problem> {
    if valid {
        return Ok(());
    }
    Err(Problem::CheckDigit { value: text.to_string(), what })
}

/// The Luhn check on a string of ASCII digits.
fn luhn(text: &str) -> bool {
    let sum: u32 = text
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                twice / 10 + twice % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn digit_sum(text: &str) -> u32 {
    text.bytes().map(|b| u32::from(b - b'0')).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_calendar_days() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2024-2-09"));
        assert!(!is_date("15/01/2024"));
        assert!(!is_date("+2024-01-01"));
    }

    #[test]
    fn decimals_are_read_on_the_exact_text() {
        assert_eq!(decimals("1500"), 0);
        assert_eq!(decimals("1500.10"), 1);
        assert_eq!(decimals("1500.005"), 3);
        assert_eq!(decimals("1500.100"), 1);
        assert_eq!(decimals("1e3"), 0);
        assert_eq!(decimals("1.234E1"), 2);
        assert_eq!(decimals("1.5e-2"), 3);
        assert_eq!(decimals("-0.01"), 2);
    }

    #[test]
    fn integers_have_no_fraction() {
        assert!(is_integer("3"));
        assert!(is_integer("-12"));
        assert!(!is_integer("3.0"));
        assert!(!is_integer("1e3"));
    }

    #[test]
    fn siren_and_siret_carry_a_luhn_digit() {
        assert!(siren("732829320").is_ok());
        assert!(matches!(siren("732829321"), Err(Problem::CheckDigit { .. })));
        assert!(matches!(siren("73282932"), Err(Problem::Digits { digits: 9, .. })));
        assert!(siret("73282932000074").is_ok());
        assert!(siret("73282932000075").is_err());
    }

    #[test]
    fn la_poste_sirets_use_a_digit_sum() {
        assert!(siren(LA_POSTE).is_ok());
        // 3+5+6+0+0+0+0+0+0+0+0+0+1+0 = 15, a multiple of 5 but not Luhn-valid.
        assert!(!luhn("35600000000010"));
        assert!(siret("35600000000010").is_ok());
        assert!(siret("35600000000011").is_err());
    }

    #[test]
    fn emails_and_urls_have_their_shape() {
        assert!(is_email("jeanne.dupont@example.fr"));
        assert!(!is_email("jeanne.dupont@example"));
        assert!(!is_email("jeanne dupont@example.fr"));
        assert!(!is_email("a@b@example.fr"));
        assert!(is_url("https://files.example.fr/a.pdf"));
        assert!(is_url("HTTP://example.fr"));
        assert!(!is_url("ftp://example.fr/a.pdf"));
        assert!(!is_url("https:///a.pdf"));
        assert!(!is_url("https://example.fr/a b.pdf"));
    }
}
