import Glibc

/// A point on the monotonic clock, in nanoseconds since an arbitrary origin.
///
/// Poll timing is judged on this clock so that a wall-clock step (NTP, manual change) while a
/// client waits can neither excuse an early poll nor accuse a punctual one.
struct MonotonicInstant: Comparable, Sendable {
  var nanoseconds: Int64

  static func now() -> MonotonicInstant {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return MonotonicInstant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
  }

  func adding(nanoseconds delta: Int64) -> MonotonicInstant {
    MonotonicInstant(nanoseconds: nanoseconds + delta)
  }

  func adding(seconds: Int) -> MonotonicInstant {
    adding(nanoseconds: Int64(seconds) * 1_000_000_000)
  }

  static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
    lhs.nanoseconds < rhs.nanoseconds
  }
}

/// The wall clock, only for what the outside world reads as dates: the `Date` header and the
/// IMF-fixdate form of `Retry-After`.
enum WallClock {
  /// Nanoseconds since the Unix epoch.
  static func nowNanoseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
  }

  /// Whole seconds since the Unix epoch.
  static func nowSeconds() -> Int64 {
    nowNanoseconds() / 1_000_000_000
  }
}

/// Formats Unix times as IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// Built by hand rather than with `strftime` because day and month names must be the English
/// ones whatever locale the process runs under.
enum IMFFixdate {
  private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  private static let monthNames = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  static func string(fromUnixSeconds seconds: Int64) -> String {
    let parts = utcParts(ofUnixSeconds: seconds)
    let day = dayNames[Int(parts.tm_wday)]
    let month = monthNames[Int(parts.tm_mon)]
    return "\(day), \(twoDigits(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
      + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
  }
}

/// Formats Unix times as ISO 8601 in UTC with whole seconds, `2026-02-24T15:15:00Z`: the
/// timestamps in the APIs' answers.
enum ISO8601UTC {
  static func string(fromUnixSeconds seconds: Int64) -> String {
    let parts = utcParts(ofUnixSeconds: seconds)
    return "\(parts.tm_year + 1900)-\(twoDigits(parts.tm_mon + 1))-\(twoDigits(parts.tm_mday))"
      + "T\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec))Z"
  }

  static func now() -> String {
    string(fromUnixSeconds: WallClock.nowSeconds())
  }
}

/// The calendar fields of a Unix time in UTC.
private func utcParts(ofUnixSeconds seconds: Int64) -> tm {
  var time = time_t(seconds)
  var parts = tm()
  gmtime_r(&time, &parts)
  return parts
}

private func twoDigits(_ value: Int32) -> String {
  value < 10 ? "0\(value)" : "\(value)"
}
