import TillArguments
import TillKit

/// Every checkout API till speaks, one line each; the first is the default. Adding an API is
/// an adapter folder in TillKit, a folder here with its descriptor, its sandbox folder, and
/// one line below.
enum APIRegistry {
  static let all: [any CheckoutAPI] = [C2AAPI(), ComOSAPI(), TicketingAPI(), AcmeAPI()]

  static var names: [String] { all.map(\.name) }
  static var defaultAPI: any CheckoutAPI { all[0] }

  static func named(_ name: String) -> (any CheckoutAPI)? {
    all.first { $0.name == name }
  }

  /// Every API's options and help, read once: a descriptor builds its lists anew each time
  /// it is asked, and the command tree asks for every command at each start.
  private static let declared: [(api: String, option: APIOption)] = all.flatMap { api in
    api.options.map { (api.name, $0) }
  }
  private static let declaredHelp: [APIHelp] = all.flatMap(\.help)

  /// The APIs' own options on the command at `path`, one per name: where two APIs share a
  /// name, one option whose help gives both meanings.
  static func options(for path: [String]) -> [OptionSpec] {
    var merged: [OptionSpec] = []
    for (_, option) in declared where option.command == path {
      if let index = merged.firstIndex(where: { $0.long == option.spec.long }) {
        merged[index].help = joined(merged[index].help, option.spec.help)
      } else {
        merged.append(option.spec)
      }
    }
    return merged
  }

  /// Whether an API option `long`, on any command, takes a value.
  static func takesValue(_ long: String) -> Bool {
    declared.contains { $0.option.spec.long == long && !$0.option.spec.isFlag }
  }

  /// Two APIs' words for one option: `A: text.` and `B: text.` become `A and B: text.`;
  /// different texts follow each other.
  static func joined(_ first: String, _ second: String) -> String {
    guard let colon = nameEnd(second), let own = nameEnd(first),
      first[own.upperBound...] == second[colon.upperBound...]
    else { return first + " " + second }
    let names = first[..<own.lowerBound].split(separator: " and ").joined(separator: ", ")
    return names + " and " + second[..<colon.lowerBound] + ": " + second[colon.upperBound...]
  }

  /// Where `API: ` ends in an option's help: the first ": ". Read byte by byte, as every start
  /// merges every API's options.
  private static func nameEnd(_ text: String) -> Range<String.Index>? {
    let bytes = text.utf8
    var index = bytes.startIndex
    while let colon = bytes[index...].firstIndex(of: UInt8(ascii: ":")) {
      let next = bytes.index(after: colon)
      if next < bytes.endIndex, bytes[next] == UInt8(ascii: " ") {
        return colon..<bytes.index(after: next)
      }
      index = next
    }
    return nil
  }

  /// What each API's help says of the command at `path`, a paragraph an API.
  static func help(for path: [String]) -> (paragraphs: [String], examples: [Example]) {
    let entries = declaredHelp.filter { $0.command == path }
    return (entries.compactMap(\.text), entries.flatMap(\.examples))
  }

  /// The global options a profile may keep, with their checks.
  static var profileSettings: [APIOption] { declared.map(\.option).filter(\.inProfiles) }

  /// The API that declares the option `long` on the command at `path`, if one does.
  static func owners(of long: String, on path: [String]) -> [String] {
    all.map(\.name).filter { name in
      declared.contains {
        $0.api == name && $0.option.spec.long == long
          && ($0.option.command == path || $0.option.command.isEmpty)
      }
    }
  }
}
