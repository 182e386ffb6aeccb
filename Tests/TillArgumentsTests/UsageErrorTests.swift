import Testing
import TillArguments

@Suite struct UsageErrorTests {
  func usageError(_ line: String) -> UsageError? {
    #expect(throws: UsageError.self) {
      try ExampleTree.till.parse(line.split(separator: " ").map(String.init))
    }
  }

  struct Case: Sendable, CustomStringConvertible {
    var line: String
    var kind: UsageError.Kind
    var message: String
    var path: [String]
    var token: String
    var suggestion: String?
    var description: String { line }
  }

  static let cases: [Case] = [
    Case(
      line: "chekout status", kind: .unknownCommand,
      message: "unknown command 'chekout'; did you mean 'checkout'?", path: [],
      token: "chekout", suggestion: "checkout"),
    Case(
      line: "cart shw", kind: .unknownCommand,
      message: "unknown command 'shw' for 'till cart'; did you mean 'show'?", path: ["cart"],
      token: "shw", suggestion: "show"),
    Case(
      line: "checkout stat", kind: .unknownCommand,
      message: "unknown command 'stat' for 'till checkout'; did you mean 'start'?",
      path: ["checkout"], token: "stat", suggestion: "start"),
    Case(
      line: "purchase", kind: .unknownCommand, message: "unknown command 'purchase'", path: [],
      token: "purchase"),
    Case(
      line: "checkout status --jsn 1", kind: .unknownOption,
      message: "unknown option '--jsn' for 'till checkout status'; did you mean '--json'?",
      path: ["checkout", "status"], token: "--jsn", suggestion: "--json"),
    Case(
      line: "checkout start --wacth", kind: .unknownOption,
      message: "unknown option '--wacth' for 'till checkout start'; did you mean '--watch'?",
      path: ["checkout", "start"], token: "--wacth", suggestion: "--watch"),
    Case(
      line: "--base", kind: .unknownOption,
      message: "unknown option '--base' for 'till'; did you mean '--base-url'?", path: [],
      token: "--base", suggestion: "--base-url"),
    Case(
      line: "--ver", kind: .unknownOption, message: "unknown option '--ver' for 'till'",
      path: [], token: "--ver"),
    Case(
      line: "--frobnicate", kind: .unknownOption,
      message: "unknown option '--frobnicate' for 'till'", path: [], token: "--frobnicate"),
    Case(
      line: "checkout status 1 --interval 5", kind: .unknownOption,
      message: "unknown option '--interval' for 'till checkout status'",
      path: ["checkout", "status"], token: "--interval"),
    Case(
      line: "-x", kind: .unknownOption, message: "unknown option '-x' for 'till'", path: [],
      token: "-x"),
    Case(
      line: "cart show -vx", kind: .unknownOption,
      message: "unknown option '-x' in '-vx' for 'till cart show'", path: ["cart", "show"],
      token: "-x"),
    Case(
      line: "-json", kind: .unknownOption,
      message: "unknown option '-json' for 'till'; did you mean '--json'?", path: [],
      token: "-json", suggestion: "--json"),
    Case(
      line: "--timeout", kind: .missingValue,
      message: "option '--timeout' needs a value (DURATION)", path: [], token: "--timeout"),
    Case(
      line: "checkout start -vt", kind: .missingValue,
      message: "option '-t' needs a value (DURATION)", path: ["checkout", "start"], token: "-t"),
    Case(
      line: "checkout start --offer --watch", kind: .missingValue,
      message: "option '--offer' needs a value (OFFER)", path: ["checkout", "start"],
      token: "--offer"),
    Case(
      line: "checkout start --body -- x", kind: .missingValue,
      message: "option '--body' needs a value (FILE)", path: ["checkout", "start"],
      token: "--body"),
    Case(
      line: "--json=yes", kind: .unexpectedValue,
      message: "option '--json' takes no value; got '--json=yes'", path: [], token: "--json"),
    Case(
      line: "--color purple", kind: .invalidValue,
      message: "invalid value 'purple' for '--color': expected one of auto, always, never",
      path: [], token: "purple"),
    Case(
      line: "cart --api=paypal", kind: .invalidValue,
      message: "invalid value 'paypal' for '--api': expected one of c2a, comos, ticketing, acme",
      path: ["cart"], token: "paypal"),
    Case(
      line: "sandbox --port eighty", kind: .invalidValue,
      message: "invalid value 'eighty' for '--port': expected an integer", path: ["sandbox"],
      token: "eighty"),
    Case(
      line: "-tsoon", kind: .invalidValue,
      message: "invalid value 'soon' for '-t': expected a duration such as 90s, 500ms, 5m or 1h30m",
      path: [], token: "soon"),
    Case(
      line: "--timeout -5s", kind: .invalidValue,
      message:
        "invalid value '-5s' for '--timeout': expected a duration such as 90s, 500ms, 5m or 1h30m",
      path: [], token: "-5s"),
    Case(
      line: "cart add sku-1 many", kind: .invalidValue,
      message: "invalid value 'many' for '<quantity>': expected an integer", path: ["cart", "add"],
      token: "many"),
    Case(
      line: "checkout status --watch", kind: .missingArgument,
      message: "missing argument '<id>' for 'till checkout status'",
      path: ["checkout", "status"], token: "<id>"),
    Case(
      line: "cart add", kind: .missingArgument,
      message: "missing argument '<sku>' for 'till cart add'",
      path: ["cart", "add"], token: "<sku>"),
    Case(
      line: "cart show everything", kind: .unexpectedArgument,
      message: "unexpected argument 'everything' for 'till cart show'", path: ["cart", "show"],
      token: "everything"),
    Case(
      line: "cart add a 1 2", kind: .unexpectedArgument,
      message: "unexpected argument '2' for 'till cart add'", path: ["cart", "add"], token: "2"),
    Case(
      line: "checkout -- status", kind: .unexpectedArgument,
      message: "unexpected argument 'status' for 'till checkout'", path: ["checkout"],
      token: "status"),
  ]

  @Test(arguments: cases)
  func reportsTheBadTokenAndSuggestion(_ expected: Case) throws {
    let error = try #require(usageError(expected.line))
    #expect(error.message == expected.message)
    #expect(error.description == expected.message)
    #expect(error.kind == expected.kind)
    #expect(error.commandPath == expected.path)
    #expect(error.token == expected.token)
    #expect(error.suggestion == expected.suggestion)
  }

  @Test func firstErrorIsReported() throws {
    let error = try #require(usageError("--color purple --jsn"))
    #expect(error.kind == .invalidValue)
  }
}
