import TillKit

/// How a server's lists print: a table for people, ids alone with `-q`, the server's own JSON
/// with `--json`. Every cell is server text, made safe for one line.
struct ListOutput {
  let invocation: Invocation

  /// Rows under a header, columns padded to their widest cell; the last column is not padded.
  func table(_ header: [String], _ rows: [[String?]]) {
    let cells = rows.map { row in
      row.map { sanitizeForTerminal(($0 ?? "-").prefix(80), singleLine: true) }
    }
    var widths = header.map { displayWidth($0) }
    for row in cells {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], displayWidth(cell))
      }
    }
    func line(_ row: [String]) -> String {
      var text = ""
      for (index, cell) in row.enumerated() {
        if index == row.count - 1 {
          text += cell
        } else {
          text += cell + String(repeating: " ", count: widths[index] - displayWidth(cell) + 2)
        }
      }
      return text
    }
    invocation.console.out(line(header))
    for row in cells { invocation.console.out(line(row)) }
  }

  /// Ids one a line, for a script; an id that could be taken for an option, or that does not
  /// show as itself, is an error instead.
  func ids(_ ids: [String], what: String) throws(TillError) {
    for id in ids { try invocation.console.outID(id, what: what + " id") }
  }

  /// `--json`: the server's answer as it came.
  func json(_ value: JSONValue) {
    invocation.console.out(value.serialized())
  }
}

extension Console {
  /// An id from a server, printed for a script to pass on; one that could be taken for an
  /// option, or that does not show as itself, is an error instead (see `CheckoutID`).
  func outID(_ id: String, what: String) throws(TillError) {
    if let problem = CheckoutID.problem(id, fromServer: true) {
      throw TillError(.serverOrNetwork, "the server's \(what) '\(safe(id))' \(problem)")
    }
    out(id)
  }
}
