import CCurl
import Glibc

/// What a libcurl result code means for the request, as one error a user reads: curl's
/// error table, in till's words.
extension CurlTransport {
  func error(for code: CURLcode, endpoint: Endpoint) -> TransportError {
    var osErrno = 0
    _ = till_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osErrno)
    let detail = String(cString: errorBuffer)
    let reason: String
    if osErrno != 0 {
      reason = String(cString: strerror(Int32(osErrno))).lowercased()
    } else if !detail.isEmpty {
      reason = detail
    } else {
      reason = String(cString: curl_easy_strerror(code))
    }
    switch code {
    case CURLE_ABORTED_BY_CALLBACK:
      return .interrupted
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_OUT_OF_MEMORY:
      // A request that went out means the URL was good: the server's answer was not.
      var sent = 0
      _ = till_easy_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &sent)
      guard sent > 0 else {
        return code == CURLE_OUT_OF_MEMORY
          ? .other(code: Int(code.rawValue), reason: reason) : .invalidURL(endpoint.url)
      }
      // libcurl 7.x ends a header past its 100 KiB limit as "out of memory".
      let words = code == CURLE_OUT_OF_MEMORY ? "header max is" : detail
      return .malformedResponse(endpoint: endpoint.display, reason: CurlTransport.reply(words))
    case CURLE_COULDNT_RESOLVE_HOST:
      return .couldNotResolve(host: endpoint.host)
    case CURLE_COULDNT_CONNECT:
      return .couldNotConnect(endpoint: endpoint.display, reason: reason)
    case CURLE_OPERATION_TIMEDOUT:
      let connected = exchange.sawStatusLine
      return .timedOut(
        endpoint: endpoint.display,
        after: connected ? options.timeout : min(options.timeout, options.connectTimeout))
    case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
      return .tls(endpoint: endpoint.display, reason: detail.isEmpty ? reason : detail)
    case CURLE_SSL_CACERT_BADFILE:
      return .certificateFile(path: options.caCertificateFile ?? "", reason: detail)
    case CURLE_TOO_MANY_REDIRECTS:
      return .tooManyRedirects(limit: options.maxRedirects)
    case CURLE_FILESIZE_EXCEEDED:
      return .bodyTooLarge(limit: options.maxBodyBytes)
    case CURLE_WRITE_ERROR where exchange.bodyTooLarge:
      return .bodyTooLarge(limit: options.maxBodyBytes)
    case CURLE_WRITE_ERROR where exchange.refusedRedirect != nil:
      return .redirectRefused(from: endpoint.display, exchange.refusedRedirect!)
    case CURLE_GOT_NOTHING:
      return .connectionLost(
        endpoint: endpoint.display, reason: "the server closed the connection without a response")
    case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
      return .connectionLost(endpoint: endpoint.display, reason: reason)
    case CURLE_PARTIAL_FILE:
      return .connectionLost(
        endpoint: endpoint.display,
        reason: "the response ended early (\(exchange.body.count) bytes received)")
    case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2, CURLE_HTTP2_STREAM:
      return .malformedResponse(
        endpoint: endpoint.display, reason: detail.isEmpty ? reason : detail)
    default:
      return .other(code: Int(code.rawValue), reason: detail.isEmpty ? reason : detail)
    }
  }

  /// What libcurl's words for a reply it rejected mean, for someone who did not write it.
  static func reply(_ detail: String) -> String {
    if detail.contains("HTTP/0.9") {
      return "the answer does not start with an HTTP status line (HTTP/0.9, or not HTTP)"
    }
    if detail.contains("Unsupported HTTP version") {
      return "the status line names an HTTP version that is not 1.0, 1.1 or 2"
    }
    if detail.contains("header") && (detail.contains("max is") || detail.contains("giant")) {
      return "a response header is longer than the 100 KiB a header may be"
    }
    return detail.isEmpty ? "the answer is not HTTP" : detail
  }
}
