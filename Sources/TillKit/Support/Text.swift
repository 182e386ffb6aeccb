extension StringProtocol {
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = lastIndex(where: { !isSpace($0) })!
    return String(self[start...end])
  }
}

extension Duration {
  /// Whole milliseconds, saturating at `Int64.min` and `Int64.max` rather than trapping.
  public var milliseconds: Int64 {
    let (seconds, attoseconds) = components
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    guard !overflow else { return seconds < 0 ? .min : .max }
    let (sum, carry) = product.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
    guard !carry else { return seconds < 0 ? .min : .max }
    return sum
  }

  public var secondsDouble: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

/// `2s`, `1m30s`, `250ms`, `1h5m`: how durations read in messages.
public func formatDuration(_ duration: Duration) -> String {
  // A thousand years is as long as a message need say.
  let ms = min(duration.milliseconds, 1000 * 365 * 86_400_000)
  if ms < 1000 { return "\(max(ms, 0))ms" }
  if ms < 10_000, ms % 1000 != 0 {
    let tenths = (ms + 50) / 100
    return "\(tenths / 10).\(tenths % 10)s"
  }
  let total = (ms + 500) / 1000
  let (hours, minutes, seconds) = (total / 3600, total % 3600 / 60, total % 60)
  var text = ""
  if hours > 0 { text += "\(hours)h" }
  if minutes > 0 { text += "\(minutes)m" }
  if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
  return text
}

/// `text` with every occurrence of `target` replaced, compared byte by byte.
func replacingEvery(_ target: String, in text: String, with replacement: String) -> String {
  let needle = Array(target.utf8)
  guard !needle.isEmpty else { return text }
  let bytes = Array(text.utf8)
  var result: [UInt8] = []
  result.reserveCapacity(bytes.count)
  var index = 0
  while index < bytes.count {
    if bytes[index] == needle[0], index + needle.count <= bytes.count,
      bytes[index..<(index + needle.count)].elementsEqual(needle)
    {
      result += replacement.utf8
      index += needle.count
    } else {
      result.append(bytes[index])
      index += 1
    }
  }
  return String(decoding: result, as: UTF8.self)
}
