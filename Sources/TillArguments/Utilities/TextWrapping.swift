/// Lays out the words of `text` in lines of at most `width` characters where possible: the
/// first line continues `lead` (a label already padded to its column), later lines start
/// with `indent` spaces. A word longer than the room left gets a line of its own.
public func wrap(_ text: String, width: Int, lead: String = "", indent: Int = 0) -> [String] {
  let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
  var lines: [String] = []
  var line = lead
  var lineHasWords = false
  for word in words {
    if !lineHasWords {
      line += word
      lineHasWords = true
    } else if line.count + 1 + word.count <= width {
      line += " " + word
    } else {
      lines.append(line)
      line = String(repeating: " ", count: indent) + word
    }
  }
  lines.append(line)
  return lines.map(trimmingTrailingSpaces)
}

/// Formats a discussion: paragraphs are separated by blank lines and wrapped; lines
/// starting with `- ` are list items wrapped under their text; a paragraph with an
/// indented line is kept as written.
func wrapParagraphs(_ text: String, width: Int) -> [String] {
  var output: [String] = []
  for paragraph in paragraphs(of: text) {
    if !output.isEmpty { output.append("") }
    if paragraph.contains(where: { $0.first == " " }) {
      output += paragraph.map(trimmingTrailingSpaces)
      continue
    }
    for item in listItems(of: paragraph) {
      output += wrap(item, width: width, indent: item.hasPrefix("- ") ? 2 : 0)
    }
  }
  return output
}

/// The paragraphs of a discussion: its runs of non-blank lines.
func paragraphs(of text: String) -> [[String]] {
  var result: [[String]] = [[]]
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.allSatisfy({ $0 == " " }) {
      if !result[result.count - 1].isEmpty { result.append([]) }
    } else {
      result[result.count - 1].append(String(line))
    }
  }
  return result.filter { !$0.isEmpty }
}

/// A paragraph's `- ` list items, each with the lines that continue it; lines before the
/// first item make one item of their own. Help and the man page read lists alike.
func listItems(of paragraph: [String]) -> [String] {
  var items: [String] = []
  for line in paragraph {
    if line.hasPrefix("- ") || items.isEmpty {
      items.append(line)
    } else {
      items[items.count - 1] += " " + line
    }
  }
  return items
}

func trimmingTrailingSpaces(_ line: String) -> String {
  var line = Substring(line)
  while line.last == " " { line = line.dropLast() }
  return String(line)
}
