/// RFC 9457 problem details: the body of the sandbox's own errors, and of an API's errors
/// where its document shapes none itself.
struct ProblemDetails {
  var type: String
  var title: String
  var status: Int
  var detail: String
  var instance: String

  /// Problem type URIs live under one sandbox namespace so a client can match on them.
  init(slug: String, title: String, status: Int, detail: String, instance: String) {
    self.type = "https://sandbox.till/problems/\(slug)"
    self.title = title
    self.status = status
    self.detail = detail
    self.instance = instance
  }

  var json: JSONText {
    .object([
      "type": .string(type),
      "title": .string(title),
      "status": .integer(status),
      "detail": .string(detail),
      "instance": .string(instance),
    ])
  }
}

extension HTTPResponse {
  /// An `application/problem+json` answer.
  static func problem(
    status: Int, slug: String, title: String, detail: String, instance: String,
    headers: [(String, String)] = []
  ) -> HTTPResponse {
    let details = ProblemDetails(
      slug: slug, title: title, status: status, detail: detail, instance: instance)
    return HTTPResponse(
      status: status, contentType: "application/problem+json", json: details.json,
      headers: headers)
  }

  /// What `handler` answers when the request's method is one of `methods`; otherwise a 405
  /// problem that names them.
  static func allowing(
    _ methods: [String], _ request: HTTPRequest, _ handler: () -> HTTPResponse
  ) -> HTTPResponse {
    guard methods.contains(request.method) else {
      let allowed = methods.joined(separator: ", ")
      return problem(
        status: 405, slug: "method-not-allowed", title: "Method not allowed",
        detail: "\(request.method) is not served here; use \(allowed)",
        instance: request.path, headers: [("Allow", allowed)])
    }
    return handler()
  }
}
