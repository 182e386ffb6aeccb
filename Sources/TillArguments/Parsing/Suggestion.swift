/// The candidate the user most likely meant by `typed`: the nearest by edit distance
/// (adjacent swaps count as one edit) within a threshold that grows with the word's
/// length, else the only candidate that `typed` is a prefix of. Ties go to the candidate
/// declared first.
func nearestMatch(to typed: String, among candidates: [String]) -> String? {
  guard !typed.isEmpty else { return nil }
  let threshold = typed.count <= 3 ? 1 : max(2, typed.count / 3)
  var best: (candidate: String, distance: Int)?
  for candidate in candidates {
    let distance = editDistance(typed, candidate)
    // Replacing every letter of what was typed is no longer a typo.
    if distance <= threshold, distance < typed.count, distance < best?.distance ?? Int.max {
      best = (candidate, distance)
    }
  }
  if let best { return best.candidate }
  let extensions = candidates.filter { $0.hasPrefix(typed) }
  return extensions.count == 1 ? extensions[0] : nil
}

/// Damerau-Levenshtein distance in its optimal-string-alignment form: insertions,
/// deletions, substitutions and swaps of adjacent characters each cost one.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  // Three rows suffice: a swap looks two rows back.
  var previousPrevious = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      var distance = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        distance = min(distance, previousPrevious[j - 2] + 1)
      }
      current[j] = distance
    }
    (previousPrevious, previous, current) = (previous, current, previousPrevious)
  }
  return previous[b.count]
}
