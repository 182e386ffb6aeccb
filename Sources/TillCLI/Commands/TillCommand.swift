import TillArguments
import TillKit

/// One command of the tree: where it sits, its spec (options, help, examples) and its handler,
/// declared together in the command's own file. `CommandTable` lists them.
protocol TillCommand {
  /// The words that reach it, e.g. `["checkout", "start"]`.
  static var path: [String] { get }
  static var spec: CommandSpec { get }
  var invocation: Invocation { get }
  init(_ invocation: Invocation)
  func run() throws(TillError) -> ExitStatus
}

extension TillCommand {
  var parsed: ParsedCommand { invocation.parsed }
  var settings: Settings { invocation.settings }
  var console: Console { invocation.console }
}

/// Every command, in the order help lists them, and the one the parser reached.
enum CommandTable {
  static let all: [any TillCommand.Type] = [
    CartAddCommand.self, CartShowCommand.self, CartRemoveCommand.self, CartClearCommand.self,
    CheckoutStartCommand.self, CheckoutStatusCommand.self, CheckoutTraceCommand.self,
    CheckoutListCommand.self, CheckoutCancelCommand.self, CheckoutPayCommand.self,
    CheckoutRetryCommand.self, LoginCommand.self, ProfileAddCommand.self,
    ProfileListCommand.self, ProfileShowCommand.self, ProfileUseCommand.self,
    ProfileRemoveCommand.self, SandboxCommand.self, DemoCommand.self, CompletionCommand.self,
    HelpCommand.self,
  ]

  static func command(at path: [String]) -> (any TillCommand.Type)? {
    all.first { $0.path == path }
  }

  /// The specs of the commands directly below `path`, in table order.
  static func specs(below path: [String]) -> [CommandSpec] {
    all.filter { $0.path.count == path.count + 1 && Array($0.path.dropLast()) == path }
      .map { $0.spec }
  }
}
