/// The human message inside an error response, whatever shape the server chose: RFC 9457
/// ProblemDetails, `{"error": …}`, `{"code", "message"}`, a C2A `status.messageCode`, a JSON
/// string literal, or bare text. Always one sanitised line.
public func serverMessage(in response: HTTPResponse) -> String? {
  let body = response.body
  guard !body.isEmpty else { return nil }
  if let json = try? JSONValue.parse(body) {
    return message(in: json).map { sanitizeForTerminal($0, singleLine: true) }
  }
  let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingWhitespace()
  let isHTML = text.lowercased().hasPrefix("<!doctype") || text.lowercased().hasPrefix("<html")
  if text.isEmpty || isHTML { return nil }
  let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
  return sanitizeForTerminal(String(line.prefix(200)), singleLine: true)
}

func message(in json: JSONValue) -> String? {
  if let text = json.string { return text }
  var parts: [String] = []
  if let title = json["title"]?.string { parts.append(title) }
  if let detail = json["detail"]?.string, detail != json["title"]?.string { parts.append(detail) }
  if !parts.isEmpty { return parts.joined(separator: ": ") }
  if let error = json["error"] {
    if let text = error.string { return text }
    if let nested = message(in: error) { return nested }
  }
  if let text = json["message"]?.string {
    if let code = json["code"]?.text { return "\(code): \(text)" }
    return text
  }
  if let status = json["status"], status.isObject {
    let code = status["messageCode"]?.string
    let text = status["message"]?.string
    switch (code, text) {
    case (let code?, let text?): return "\(text) (\(code))"
    case (let code?, nil): return code
    case (nil, let text?): return text
    default: break
    }
  }
  if let code = json["code"]?.text { return code }
  return nil
}

/// The exit status and message for an HTTP error answer, per the table in `till help exit-codes`.
public func errorForStatus(_ response: HTTPResponse, doing action: String) -> TillError {
  let said = serverMessage(in: response)
  let suffix = said.map { ": \($0)" } ?? ""
  let code = response.status
  switch code {
  case 400, 402, 422:
    return TillError(.checkoutFailed, "\(action) was refused (HTTP \(code))\(suffix)")
  case 401, 403:
    return TillError(
      .authentication,
      "\(action) was refused: not authorised (HTTP \(code))\(suffix); "
        + "check the API key or token and the tenant")
  case 404:
    return TillError(.notFound, "\(action): not found (HTTP 404)\(suffix)")
  case 409:
    return TillError(.conflict, "\(action): conflict (HTTP 409)\(suffix)")
  case 429, 503:
    let tries = response.attempts > 1 ? " after \(response.attempts) attempts" : ""
    return TillError(.serverOrNetwork, "\(action): server busy (HTTP \(code)\(tries))\(suffix)")
  case 500...599:
    return TillError(.serverOrNetwork, "\(action): server error (HTTP \(code))\(suffix)")
  default:
    return TillError(.serverOrNetwork, "\(action): unexpected answer (HTTP \(code))\(suffix)")
  }
}

/// Parses a successful answer's body, or says which server sent what instead.
public func parseJSONBody(_ response: HTTPResponse, doing action: String) throws(TillError)
  -> JSONValue
{
  do {
    return try JSONValue.parse(response.body)
  } catch {
    let type =
      response.headers["Content-Type"].map { ", \(sanitizeForTerminal($0, singleLine: true))" }
      ?? ""
    let start =
      response.body.isEmpty ? "an empty body" : "a body starting \(quoteBody(response.body))"
    throw TillError(
      .serverOrNetwork,
      "\(action): the server's answer is not JSON (HTTP \(response.status)\(type); \(error)); got \(start)"
    )
  }
}
