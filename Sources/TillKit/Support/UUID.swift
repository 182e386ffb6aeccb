/// A random (version 4) UUID in its lowercase text form, from the system's secure generator.
public func makeUUID() -> String {
  var generator = SystemRandomNumberGenerator()
  var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
  bytes[6] = (bytes[6] & 0x0F) | 0x40
  bytes[8] = (bytes[8] & 0x3F) | 0x80
  let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
  return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-"
    + hex[8..<10].joined() + "-" + hex[10..<16].joined()
}
