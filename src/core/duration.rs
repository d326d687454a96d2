//! Durations as options take them: a number of seconds, or a string such as
//! '30s', '15m', '1h', '7d' (the forms jsonwebtoken's `ms` and jose accept).

use super::error::{Error, Result};

/// Parses a duration string into seconds. A bare number string is seconds.
pub fn parse_seconds(name: &str, text: &str) -> Result<f64> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| Error::option(name, format!("`{text}` is not a duration")))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => 0.001,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        "w" | "week" | "weeks" => 604800.0,
        "y" | "yr" | "yrs" | "year" | "years" => 31557600.0,
        _ => return Err(Error::option(name, format!("`{text}` has an unknown unit"))),
    };
    checked(name, value * scale)
}

/// Checks a duration given as a number of seconds.
pub fn checked(name: &str, seconds: f64) -> Result<f64> {
    if seconds.is_finite() && seconds >= 0.0 {
        Ok(seconds)
    } else {
        Err(Error::option(name, "must be a finite, non-negative number of seconds"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_units() {
        assert_eq!(parse_seconds("t", "30s").unwrap(), 30.0);
        assert_eq!(parse_seconds("t", "15m").unwrap(), 900.0);
        assert_eq!(parse_seconds("t", "1h").unwrap(), 3600.0);
        assert_eq!(parse_seconds("t", "2 days").unwrap(), 172800.0);
        assert_eq!(parse_seconds("t", "1.5h").unwrap(), 5400.0);
        assert_eq!(parse_seconds("t", "250ms").unwrap(), 0.25);
        assert_eq!(parse_seconds("t", "45").unwrap(), 45.0);
    }

    #[test]
    fn rejects_nonsense_and_negatives() {
        for bad in ["", "abc", "10 parsecs", "-5s", "1..2s"] {
            let e = parse_seconds("maxAge", bad).unwrap_err();
            assert_eq!(e.code(), "ERR_JWT_INVALID_OPTION", "{bad}");
            assert!(e.message.contains("maxAge"), "{}", e.message);
        }
        assert!(checked("t", f64::NAN).is_err());
        assert!(checked("t", -1.0).is_err());
        assert!(checked("t", f64::INFINITY).is_err());
    }
}
