/// What every HTML page the sandbox shows is made of.
enum HTMLPages {
  static let contentType = "text/html; charset=utf-8"

  static func response(status: Int, _ html: String) -> HTTPResponse {
    HTTPResponse(status: status, contentType: contentType, body: Array(html.utf8))
  }

  /// A page that says one thing.
  static func notice(title: String, text: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head><meta charset="utf-8"><title>\(title)</title></head>
    <body><p>\(text)</p></body>
    </html>
    """
  }

  /// Escapes text for an HTML attribute value in double quotes.
  static func escaped(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "\"": result += "&quot;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      default: result.append(character)
      }
    }
    return result
  }
}
