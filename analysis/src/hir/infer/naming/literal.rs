//! Number literals as DuckDB prints them in a column name. DuckDB's parser keeps an integer that
//! fits 128 bits and a decimal of at most 38 digits as written (leading zeros and a trailing
//! point dropped); anything larger, and every literal with an exponent, becomes a DOUBLE, printed
//! in the shortest round-trip form with Python's conventions (`1e+308`, `1.5e-05`, `1500.0`).

/// The most digits a DECIMAL literal keeps (DuckDB's widest DECIMAL).
const MAX_DECIMAL_DIGITS: usize = 38;

/// A number literal's text as DuckDB prints it.
pub(super) fn number(written: &str) -> String {
    let n: String = written.chars().filter(|c| *c != '_').collect();
    if n.contains(['e', 'E']) {
        return match n.parse::<f64>() {
            Ok(f) => double(f),
            Err(_) => n,
        };
    }
    if !n.chars().all(|c| c.is_ascii_digit() || c == '.') || n.matches('.').count() > 1 {
        return n;
    }
    let is_decimal = n.contains('.');
    let fits = if is_decimal {
        n.chars().filter(char::is_ascii_digit).count() <= MAX_DECIMAL_DIGITS
    } else {
        n.parse::<u128>().is_ok()
    };
    if !fits {
        return n.parse::<f64>().map(double).unwrap_or(n);
    }
    // Leading zeros go (one stays before the point); a point with nothing after it goes too.
    let trimmed = n.trim_start_matches('0');
    let mut out = if trimmed.is_empty() || trimmed.starts_with('.') && n.starts_with('0') {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    };
    if out.ends_with('.') {
        out.pop();
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

/// A DOUBLE as DuckDB prints it: the shortest digits that read back to the same value, in fixed
/// notation when the decimal exponent is in -4..16 (with `.0` for whole numbers), otherwise as
/// `d.ddde±XX`.
pub(super) fn double(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // `{:e}` is Rust's shortest round-trip form: `1.234e-6`, `1e308`.
    let sci = format!("{f:e}");
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => return sci,
    };
    if (-4..16).contains(&exp) {
        let fixed = f.to_string();
        if fixed.contains('.') {
            fixed
        } else {
            format!("{fixed}.0")
        }
    } else {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pair is checked against DuckDB 1.5.5 (`SELECT <literal>` column names).
    #[test]
    fn literals_print_as_duckdb_names_them() {
        for (written, duckdb) in [
            ("0.", "0"),
            (".5", ".5"),
            ("00.50", "0.50"),
            ("1.0", "1.0"),
            ("0.000001234", "0.000001234"),
            ("1_000", "1000"),
            ("1e-5", "1e-05"),
            ("1.5e3", "1500.0"),
            ("1e15", "1000000000000000.0"),
            ("1e16", "1e+16"),
            ("1e308", "1e+308"),
            ("1.234e-6", "1.234e-06"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("9223372036854775808", "9223372036854775808"),
            ("200000000000000000000000000000000000000", "200000000000000000000000000000000000000"),
            ("400000000000000000000000000000000000000", "4e+38"),
            ("12345678901234567890123456789012345678901", "1.2345678901234568e+40"),
            ("1234567890123456789012345678901234567.5", "1234567890123456789012345678901234567.5"),
            ("12345678901234567890123456789012345678.5", "1.2345678901234568e+37"),
            ("0.123456789012345678901234567890123456789", "0.12345678901234568"),
            ("1.50e0", "1.5"),
        ] {
            assert_eq!(number(written), duckdb, "{written}");
        }
    }
}
