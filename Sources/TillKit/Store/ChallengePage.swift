/// Inline 3-D Secure HTML kept in a private file, `3ds/ID.html` under the state directory, so
/// raw HTML never reaches the terminal.
public enum ChallengePage {
  /// The status with its page saved and `htmlFile` set, and nil; or, when the page cannot be
  /// saved, the status as it was and why. The checkout stands either way: a page that cannot
  /// be written must not hide an id the server has accepted.
  public static func saving(_ status: CheckoutStatus, in directory: PrivateDirectory) -> (
    CheckoutStatus, TillError?
  ) {
    guard let html = status.redirect?.htmlContent, !html.isEmpty else { return (status, nil) }
    let path: String
    do throws(TillError) {
      path = try directory.write(
        Array(html.utf8), to: "3ds/" + CheckoutID.fileName(status.id, suffix: ".html"),
        what: "3-D Secure page")
    } catch {
      let url = status.redirect?.url.map { "; open \(safe($0))" }
      return (
        status,
        TillError(
          error.status,
          "could not save the 3-D Secure page of checkout \(safe(status.id)): \(error.message)"
            + (url ?? "; the challenge cannot be shown here"))
      )
    }
    var saved = status
    saved.redirect?.htmlFile = path
    return (saved, nil)
  }
}
