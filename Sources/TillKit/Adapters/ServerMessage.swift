/// The human message inside an error response, whatever shape the server chose: RFC 9457
/// ProblemDetails, `{"error": …}`, `{"code", "message"}`, a `status.messageCode`, a JSON
/// string literal, or bare text. Always one sanitised line.
public func serverMessage(in response: HTTPResponse) -> String? {
  let body = response.body
  guard !body.isEmpty else { return nil }
  if let json = try? JSONValue.parse(body) {
    return message(in: json).map { safe($0) }
  }
  let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingWhitespace()
  let isHTML = text.lowercased().hasPrefix("<!doctype") || text.lowercased().hasPrefix("<html")
  if text.isEmpty || isHTML { return nil }
  let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
  return safe(String(line.prefix(200)))
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
public func errorForStatus(
  _ response: HTTPResponse, doing action: String,
  authorisationHint: String = "check the API key or token and the tenant"
) -> TillError {
  let said = serverMessage(in: response)
  let suffix = said.map { ": \($0)" } ?? ""
  let code = response.status
  switch code {
  case 400, 402, 422:
    return TillError(.checkoutFailed, "\(action) was refused (HTTP \(code))\(suffix)")
  case 401, 403:
    return TillError(
      .authentication,
      "\(action) was refused: not authorised (HTTP \(code))\(suffix); \(authorisationHint)")
  case 404:
    return TillError(.notFound, "\(action): not found (HTTP 404)\(suffix)")
  case 409:
    return TillError(.conflict, "\(action): conflict (HTTP 409)\(suffix)")
  case 429, 503:
    let tries = response.attempts > 1 ? " after \(response.attempts) attempts" : ""
    // A wait too long to sit through (more than a minute) is reported rather than waited out:
    // say how long the server asked for, so a script knows when to come back.
    var asked = ""
    if let wait = RetryAfter.delay(in: response.headers, now: wallClockSeconds()), wait > .zero {
      asked = "; it asks to be tried again in \(formatDuration(wait))"
    }
    return TillError(
      .serverOrNetwork, "\(action): server busy (HTTP \(code)\(tries))\(suffix)\(asked)")
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
      response.headers["Content-Type"].map { ", \(safe($0))" }
      ?? ""
    let start =
      response.body.isEmpty ? "an empty body" : "a body starting \(quoteBody(response.body))"
    throw TillError(
      .serverOrNetwork,
      "\(action): the server's answer is not JSON (HTTP \(response.status)\(type); \(error)); got \(start)"
    )
  }
}

/// Sends a request and turns a failed exchange into the error a user reads. A request that
/// must not reach the server twice and whose answer was lost says that it was not sent again.
func exchange(_ transport: HTTPTransport, _ request: HTTPRequest) throws(TillError)
  -> HTTPResponse
{
  do {
    return try transport.send(request)
  } catch .interrupted {
    throw TillError(.interrupted, "interrupted")
  } catch {
    switch error {
    case .connectionLost, .timedOut:
      guard request.isRetryable else {
        throw TillError(.serverOrNetwork, error.description + notSentAgain)
      }
      throw .transport(error)
    default:
      throw .transport(error)
    }
  }
}

/// What follows a lost answer to a request that is not repeated.
public let notSentAgain =
  "; not sent again, since the server may have acted on it: check what it holds "
  + "(till checkout list, till cart show) before running the command again"

/// A JSON request body.
func jsonRequest(
  _ method: HTTPMethod, _ url: String, _ body: JSONValue?, headers: HTTPHeaders = HTTPHeaders(),
  idempotencyKey: String? = nil
) -> HTTPRequest {
  var headers = headers
  headers.append("Accept", "application/json, application/problem+json, text/plain, */*")
  if body != nil { headers.append("Content-Type", "application/json") }
  return HTTPRequest(
    method: method, url: url, headers: headers, body: body.map { Array($0.serialized().utf8) },
    idempotencyKey: idempotencyKey)
}

/// A base URL without its trailing slashes, to append paths to.
func trimmedBase(_ url: String) -> String {
  var base = url
  while base.hasSuffix("/") { base.removeLast() }
  return base
}

/// `8-4-4-4-12` hexadecimal digits.
public func isUUID(_ text: String) -> Bool {
  let groups = text.split(separator: "-", omittingEmptySubsequences: false)
  return groups.map(\.count) == [8, 4, 4, 4, 12]
    && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
}

/// A non-negative amount with at most two decimals (`50`, `50.00`, `0.13`), kept as text so it
/// reaches the server exactly as typed.
public func isDecimalAmount(_ text: String) -> Bool {
  let parts = text.split(separator: ".", omittingEmptySubsequences: false)
  guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 12,
    parts[0].allSatisfy(\.isASCIIDigit)
  else { return false }
  return parts.count == 1
    || ((1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigit))
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Minor units as decimal text: 1250 → `12.50`, -5 → `-0.05`.
public func decimalText(minorUnits: Int) -> String {
  let sign = minorUnits < 0 ? "-" : ""
  let magnitude = minorUnits.magnitude
  let cents = magnitude % 100
  return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
}

/// A saga's steps as a server lists them: objects with a name and a status (and an error or a
/// compensation), or bare names. Unknown step statuses read as pending.
func sagaSteps(_ json: JSONValue?) -> [CheckoutStep] {
  guard let list = json?.array else { return [] }
  return list.compactMap { item -> CheckoutStep? in
    if let name = item.string { return CheckoutStep(name: name, status: .pending) }
    guard let name = item["name"]?.string ?? item["step"]?.string else { return nil }
    let word = (item["status"]?.string ?? item["state"]?.string ?? "").lowercased()
    let status: CheckoutStep.Status
    switch word {
    case "done", "completed", "succeeded", "success", "ok": status = .done
    case "current", "in_progress", "running", "active": status = .current
    case "failed", "error": status = .failed
    case "compensated", "rolled_back", "reverted": status = .compensated
    default: status = .pending
    }
    let error = item["error"]
    return CheckoutStep(
      name: name, status: status, errorCode: error?["code"]?.text ?? item["errorCode"]?.text,
      message: error?["message"]?.string ?? item["message"]?.string,
      retryable: error?["retryable"]?.bool ?? item["retryable"]?.bool,
      compensation: item["compensation"]?.string ?? item["reason"]?.string)
  }
}
