/// The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter {
  /// No server can make till wait longer than this between two polls.
  public static let cap: Duration = .seconds(6 * 3600)

  /// The delay one header value asks for, or nil when the value is invalid and must be ignored.
  /// `now` is the wall clock in seconds since the Unix epoch; a date in the past means 0.
  public static func delay(_ value: String, now: Int64) -> Duration? {
    let trimmed = value.trimmingWhitespace()
    guard !trimmed.isEmpty else { return nil }
    if let delay = delay(seconds: trimmed) { return delay }
    guard let date = HTTPDate.parse(trimmed) else { return nil }
    let seconds = date - now
    if seconds <= 0 { return .zero }
    return min(.seconds(seconds), cap)
  }

  /// delay-seconds: digits only, or nil. Absurdly many digits still only mean "the cap".
  public static func delay(seconds text: String) -> Duration? {
    guard !text.isEmpty,
      text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return nil }
    guard let seconds = Int64(text), seconds <= cap.components.seconds else { return cap }
    return .seconds(seconds)
  }

  /// The delay a response's headers ask for. When the field is repeated the first one wins.
  public static func delay(in headers: HTTPHeaders, now: Int64) -> Duration? {
    guard let first = headers.values("Retry-After").first else { return nil }
    return delay(first, now: now)
  }
}

/// HTTP-date in the three forms RFC 9110 §5.6.7 requires a recipient to accept.
public enum HTTPDate {
  private static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
  private static let longDays = [
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  ]
  private static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// Seconds since the Unix epoch, or nil when `text` is none of the three forms.
  /// `now` anchors the two-digit years of RFC 850 dates.
  public static func parse(_ text: String, now: Int64? = nil) -> Int64? {
    let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    if parts.count == 6, parts[0].hasSuffix(","), days.contains(String(parts[0].dropLast())),
      parts[1].count == 2, let day = Int(parts[1]), let month = monthNumber(parts[2]),
      parts[3].count == 4, let year = Int(parts[3]), let time = clock(parts[4]), parts[5] == "GMT"
    {
      return epoch(year: year, month: month, day: day, time: time)
    }
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    if parts.count == 4, parts[0].hasSuffix(","), longDays.contains(String(parts[0].dropLast())),
      parts[3] == "GMT", let time = clock(parts[2])
    {
      let date = parts[1].split(separator: "-", omittingEmptySubsequences: false)
      guard date.count == 3, date[0].count == 2, let day = Int(date[0]),
        let month = monthNumber(String(date[1])), date[2].count == 2, let yy = Int(date[2])
      else { return nil }
      return epoch(year: fullYear(yy, now: now), month: month, day: day, time: time)
    }
    // asctime: Sun Nov  6 08:49:37 1994
    if parts.count == 5, days.contains(parts[0]), let month = monthNumber(parts[1]),
      (1...2).contains(parts[2].count), let day = Int(parts[2]), let time = clock(parts[3]),
      parts[4].count == 4, let year = Int(parts[4])
    {
      return epoch(year: year, month: month, day: day, time: time)
    }
    return nil
  }

  /// IMF-fixdate for a time in seconds since the epoch.
  public static func format(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = civilDate(fromDays: days)
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    let weekday = Int(((days % 7) + 7 + 3) % 7)
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(self.days[weekday]), \(two(day)) \(months[Int(month) - 1]) \(year) "
      + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
  }

  private static func monthNumber(_ name: String) -> Int? {
    months.firstIndex(of: name).map { $0 + 1 }
  }

  private static func clock(_ text: String) -> (Int, Int, Int)? {
    let fields = text.split(separator: ":", omittingEmptySubsequences: false)
    guard fields.count == 3, fields.allSatisfy({ $0.count == 2 }),
      let hour = Int(fields[0]), let minute = Int(fields[1]), let second = Int(fields[2]),
      (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
    else { return nil }
    return (hour, minute, second)
  }

  /// RFC 9110: a two-digit year more than 50 years in the future is the most recent past year
  /// with those digits.
  private static func fullYear(_ yy: Int, now: Int64?) -> Int {
    let currentYear = Int(civilDate(fromDays: (now ?? wallClockSeconds()) / 86_400).year)
    var year = currentYear - currentYear % 100 + yy
    if year > currentYear + 50 { year -= 100 }
    return year
  }

  private static func epoch(year: Int, month: Int, day: Int, time: (Int, Int, Int)) -> Int64? {
    guard (1...31).contains(day), day <= daysIn(month: month, year: year) else { return nil }
    let days = daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    return days * 86_400 + Int64(time.0 * 3600 + time.1 * 60 + time.2)
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Howard Hinnant's algorithms between civil dates and days since 1970-01-01.
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
