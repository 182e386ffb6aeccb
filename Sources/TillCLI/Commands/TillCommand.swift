import TillArguments
import TillKit

/// One command of the tree: its spec (options, help, examples) and its handler, declared
/// together in the command's own file. `CommandTable` lists them.
protocol TillCommand: SendableMetatype {
  static var spec: CommandSpec { get }
  var invocation: Invocation { get }
  init(invocation: Invocation)
  func run() throws(TillError) -> ExitStatus
}

extension TillCommand {
  var parsed: ParsedCommand { invocation.parsed }
  var settings: Settings { invocation.settings }
  var console: Console { invocation.console }
}

/// Every command, under the words that reach it, in the order help lists them; and the one
/// the parser reached.
enum CommandTable {
  /// The commands every API shares, then each API's own groups.
  static let groups: [(path: [String], commands: [any TillCommand.Type])] =
    shared + APIRegistry.all.flatMap { api in api.commandGroups.map { ([$0.name], $0.commands) } }

  private static let shared: [(path: [String], commands: [any TillCommand.Type])] = [
    (
      ["cart"],
      [
        CartAddCommand.self, CartShowCommand.self, CartUpdateCommand.self, CartRemoveCommand.self,
        CartClearCommand.self,
      ]
    ),
    (
      ["checkout"],
      [
        CheckoutStartCommand.self, CheckoutStatusCommand.self, CheckoutTraceCommand.self,
        CheckoutListCommand.self, CheckoutCancelCommand.self, CheckoutPayCommand.self,
        CheckoutRetryCommand.self, CheckoutShippingCommand.self,
      ]
    ),
    (
      ["profile"],
      [
        ProfileAddCommand.self, ProfileListCommand.self, ProfileShowCommand.self,
        ProfileUseCommand.self, ProfileRemoveCommand.self,
      ]
    ),
    (
      [],
      [
        LoginCommand.self, PurchaseCommand.self, SandboxCommand.self, DemoCommand.self,
        CompletionCommand.self,
        HelpCommand.self,
      ]
    ),
  ]

  static func command(at path: [String]) -> (any TillCommand.Type)? {
    guard let name = path.last else { return nil }
    let group = groups.first { $0.path == Array(path.dropLast()) }
    return group?.commands.first { $0.spec.name == name }
  }

  /// The specs of the commands directly below `path`, in table order.
  static func specs(below path: [String]) -> [CommandSpec] {
    (groups.first { $0.path == path }?.commands ?? []).map { $0.spec }
  }
}
