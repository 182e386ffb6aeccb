import Synchronization

/// The MCP sessions the sandbox's endpoint has handed out, and what it counts about them for
/// `GET /sandbox/stats/mcp`.
final class MCPSessions: Sendable {
  /// The `clientInfo` an `initialize` request named.
  struct Client: Sendable, Equatable {
    var name: String
    var version: String
  }

  private struct State {
    var live: [String: Client] = [:]
    var initializations = 0
    var initializedNotifications = 0
    var deletes = 0
    var expired = 0
    /// One per session, in the order the sessions were opened.
    var clients: [Client] = []
    var toolCalls: [String: Int] = [:]
  }

  private let state = Mutex(State())
  /// The `id:` of the next server-sent event; unique across every stream the sandbox sends.
  private let lastEventID = Atomic<Int>(0)

  /// Opens a session for a client that initialized, and returns its id.
  func open(for client: Client) -> String {
    state.withLock { state in
      var id = Identifiers.uuid()
      while state.live[id] != nil { id = Identifiers.uuid() }
      state.live[id] = client
      state.initializations += 1
      state.clients.append(client)
      return id
    }
  }

  func isLive(_ id: String) -> Bool {
    state.withLock { $0.live[id] != nil }
  }

  /// Ends a session at the client's request; false when it was not live.
  func end(_ id: String) -> Bool {
    state.withLock { state in
      guard state.live.removeValue(forKey: id) != nil else { return false }
      state.deletes += 1
      return true
    }
  }

  /// Ends every live session as a server restart would; returns how many there were.
  func expireAll() -> Int {
    state.withLock { state in
      let count = state.live.count
      state.live.removeAll()
      state.expired += count
      return count
    }
  }

  func noteInitializedNotification() {
    state.withLock { $0.initializedNotifications += 1 }
  }

  func noteToolCall(_ name: String) {
    state.withLock { $0.toolCalls[name, default: 0] += 1 }
  }

  func nextEventID() -> Int {
    lastEventID.add(1, ordering: .relaxed).newValue
  }

  /// The sessions' counters, with every saga's status and how often it was polled.
  func statsReport(sagas: [ComOSSaga], legacyStreams: (open: Int, opened: Int)) -> JSONText {
    state.withLock { state in
      .object([
        "legacyStreams": .object([
          "open": .integer(legacyStreams.open), "opened": .integer(legacyStreams.opened),
        ]),
        "sessions": .integer(state.live.count),
        "initializations": .integer(state.initializations),
        "initializedNotifications": .integer(state.initializedNotifications),
        "deletes": .integer(state.deletes),
        "expired": .integer(state.expired),
        "clients": .array(
          state.clients.map { client in
            .object(["name": .string(client.name), "version": .string(client.version)])
          }),
        "toolCalls": .object(
          ComOSTools.all.compactMap { tool in
            state.toolCalls[tool.name].map { JSONText.Member(key: tool.name, value: .integer($0)) }
          }),
        "sagas": .object(sagas, key: \.id) { saga in
          .object([
            "status": .string(saga.status.rawValue),
            "attempt": .integer(saga.attempt),
            "polls": .integer(saga.polls),
          ])
        },
      ])
    }
  }
}
