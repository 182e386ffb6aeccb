import Synchronization

// The sandbox's own HTTP server, with scripted answers instead of its scenarios. This file does
// not import TillKit: both modules name an `HTTPRequest` and an `HTTPResponse`.
@testable import TillSandbox

/// An HTTP server on 127.0.0.1 that answers each checkout's status requests from a script, in
/// order: the checkout's id is the request path's last segment (before a trailing `/status`).
/// An id without a script, or whose script has run out, is answered 404.
final class StatusScriptServer: Sendable {
  struct Reply: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = "{}"
  }

  private let server: HTTPServer
  private let script: Script

  init(_ scripts: [String: [Reply]]) throws {
    script = Script(scripts)
    server = HTTPServer(responder: script, counters: TrafficCounters())
    try server.start(port: 0)
  }

  deinit { server.stop() }

  var baseURL: String { server.baseURL }

  /// How many requests for `id` the server answered.
  func requests(for id: String) -> Int { script.requests(for: id) }

  private final class Script: HTTPResponder {
    private let state: Mutex<(left: [String: [Reply]], served: [String: Int])>

    init(_ scripts: [String: [Reply]]) {
      state = Mutex((scripts, [:]))
    }

    func requests(for id: String) -> Int { state.withLock { $0.served[id] ?? 0 } }

    func respond(to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
      var segments = request.path.split(separator: "/").map(String.init)
      if segments.last == "status" { segments.removeLast() }
      let id = segments.last ?? ""
      let reply = state.withLock { state -> Reply? in
        state.served[id, default: 0] += 1
        guard var left = state.left[id], !left.isEmpty else { return nil }
        let reply = left.removeFirst()
        state.left[id] = left
        return reply
      }
      guard let reply else {
        return HTTPResponse(
          status: 404, contentType: "application/json", body: Array(#"{"error":"no script"}"#.utf8))
      }
      return HTTPResponse(
        status: reply.status, contentType: "application/json", body: Array(reply.body.utf8),
        headers: reply.headers)
    }

    func respond(toRejected rejection: HTTPRequestRejection, context: RequestContext)
      -> HTTPResponse
    {
      HTTPResponse(
        status: rejection.status, contentType: "text/plain", body: Array(rejection.reason.utf8))
    }
  }
}
