//! The `TIMESTAMP` challenge response: `EEE MMM d HH:mm:ss 'UTC' yyyy` in English, UTC.
//!
//! Written by hand rather than with a date library: the format is fixed, the calendar
//! arithmetic is a few lines, and the crate stays small and infallible for any `i64`.

use crate::error::SrpError;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECS_PER_DAY: i64 = 86_400;

/// The TIMESTAMP string for a Unix time, as Amplify, the AWS SDKs and pycognito write it:
/// `"Tue Mar 3 07:05:09 UTC 2026"` — day of month *not* zero-padded, time fields padded.
pub fn format_timestamp(epoch_secs: i64) -> String {
    let days = epoch_secs.div_euclid(SECS_PER_DAY);
    let secs_of_day = epoch_secs.rem_euclid(SECS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        WEEKDAYS[weekday_index(days)],
        MONTHS[usize::from(month - 1)],
        day,
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60,
        year
    )
}

/// Parses a TIMESTAMP into Unix seconds, for the server's clock-skew check.
///
/// Accepts the unpadded day every known client sends and the zero-padded day (`"Mar 03"`)
/// the protocol notes ask us to tolerate. Everything else is strict — single spaces, exact
/// English abbreviations, two-digit time fields, a four-digit year, a real calendar date,
/// and a weekday that matches it — because a client that gets any of these wrong is not one
/// we know, and the signature covers the string anyway.
pub fn parse_timestamp(s: &str) -> Result<i64, SrpError> {
    let mut fields = s.split(' ');
    let (Some(weekday), Some(month), Some(day), Some(time), Some("UTC"), Some(year), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(SrpError::BadTimestamp);
    };

    let month_index = MONTHS
        .iter()
        .position(|&m| m == month)
        .ok_or(SrpError::BadTimestamp)?;
    let month = u8::try_from(month_index + 1).map_err(|_| SrpError::BadTimestamp)?;
    let year = i64::from(digits(year, 4, 4)?);
    let day = digits(day, 1, 2)?;
    if day == 0 || day > days_in_month(year, month) {
        return Err(SrpError::BadTimestamp);
    }
    let (hour, minute, second) = parse_time(time)?;

    let days = days_from_civil(year, month, day);
    if WEEKDAYS[weekday_index(days)] != weekday {
        return Err(SrpError::BadTimestamp);
    }
    Ok(days * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

fn parse_time(time: &str) -> Result<(u32, u32, u32), SrpError> {
    let mut parts = time.split(':');
    let (Some(h), Some(m), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(SrpError::BadTimestamp);
    };
    let (h, m, s) = (digits(h, 2, 2)?, digits(m, 2, 2)?, digits(s, 2, 2)?);
    if h > 23 || m > 59 || s > 59 {
        return Err(SrpError::BadTimestamp);
    }
    Ok((h, m, s))
}

/// Only ASCII digits: `str::parse` would also take a leading `+`.
fn digits(s: &str, min_len: usize, max_len: usize) -> Result<u32, SrpError> {
    if s.len() < min_len || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SrpError::BadTimestamp);
    }
    Ok(s.bytes().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u8) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 1970-01-01 was a Thursday.
fn weekday_index(days_since_epoch: i64) -> usize {
    // rem_euclid(7) is in 0..7, so the cast cannot truncate.
    (days_since_epoch + 4).rem_euclid(7) as usize
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm:
/// years counted from March so the leap day falls at the end of the cycle).
fn civil_from_days(days: i64) -> (i64, u8, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // doy < 366 and mp < 12, so both fit their narrow types.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u8, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips_over_many_centuries() {
        for days in (-800_000..800_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        for secs in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            assert!(format_timestamp(secs).contains(" UTC "));
        }
    }
}
