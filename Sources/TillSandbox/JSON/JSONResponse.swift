extension HTTPResponse {
  /// A response whose body is `json`.
  init(
    status: Int, contentType: String = "application/json", json: JSONText,
    headers: [(String, String)] = []
  ) {
    self.init(status: status, contentType: contentType, body: json.bytes, headers: headers)
  }
}
