import TillKit

/// How what a server answers prints: for people a table or lines, with `-q` ids alone, with
/// `--json` the server's own JSON. Every cell is server text, made safe for one line.
struct ListOutput {
  let invocation: Invocation
  /// The characters of a cell a table shows at the most, so that one long text (a
  /// description) does not push the other columns off the screen.
  var widestCell = 80

  /// The answer in the mode the run asks for: its JSON as it came with `--json`, its `ids`
  /// (each a `what`, such as "order id") one a line with `-q`, else what `describe` prints.
  func show(
    _ raw: JSONValue, ids: [String], what: String, describe: () throws(TillError) -> Void
  ) throws(TillError) {
    if invocation.settings.json {
      json(raw)
    } else if invocation.settings.quiet {
      for id in ids { try invocation.console.outID(id, what: what) }
    } else {
      try describe()
    }
  }

  /// A list, as `show` prints it; for people, the table of `rows`, or `empty` when it has none.
  func list(
    _ raw: JSONValue, ids: [String], what: String, empty: String, header: [String],
    rows: [[String?]]
  ) throws(TillError) {
    try show(raw, ids: ids, what: what) {
      if rows.isEmpty { invocation.console.out(empty) } else { table(header, rows) }
    }
  }

  /// Rows under a header, columns padded to their widest cell; the last column is not padded.
  func table(_ header: [String], _ rows: [[String?]]) {
    let cells = ([header] + rows).map { row in
      row.map { safe(($0 ?? "-").prefix(widestCell)) }
    }
    for line in Self.columns(cells) { invocation.console.out(line) }
  }

  /// Rows in columns two spaces apart, each as wide as its widest cell; the last cell of a
  /// row is not padded.
  static func columns(_ rows: [[String]]) -> [String] {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in
      rows.map { column < $0.count ? displayWidth($0[column]) : 0 }.max() ?? 0
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[index] - displayWidth(cell) + 2)
      }.joined()
    }
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
