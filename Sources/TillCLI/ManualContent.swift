import TillArguments
import TillKit

/// What till's manual page says beyond the command tree: the environment it reads, the files
/// it keeps, what each exit status means, and related pages.
enum ManualContent {
  /// The date in the page's header; change it when the page's content changes. A fixed
  /// string, so generating the page twice gives the same text.
  static let date = "2026-11-22"

  static let environment = [
    ManualEntry(
      "TILL_PROFILE",
      "The profile to use when --profile is not given (else the config's default)."),
    ManualEntry("TILL_API", "The checkout API to drive, as --api."),
    ManualEntry("TILL_BASE_URL", "The API's server root, as --base-url."),
    ManualEntry("TILL_TENANT", "The tenant id, as --tenant."),
    ManualEntry(
      "TILL_API_KEY",
      "The API key itself (else --api-key-file, or the profile's api-key-env or api-key-file). "
        + "Secrets come from the environment or files, never from the command line."),
    ManualEntry(
      "TILL_TOKEN",
      "A bearer token, for an API that needs one (else the profile's token-env or token-file)."),
    ManualEntry(
      "TILL_GUEST_TOKEN", "A guest token, as --guest, kept off the command line."),
    ManualEntry(
      "HOME",
      "The home directory, under which ~/.config and ~/.local/state are. When it is unset or not "
        + "an absolute path (cron, env -i), the password database's home for the user; never a "
        + "shared directory such as /tmp."),
    ManualEntry(
      "XDG_CONFIG_HOME", "Where the config file lives (default ~/.config; till uses its till/)."),
    ManualEntry(
      "XDG_STATE_HOME",
      "Where the cart, the history and saved 3-D Secure pages live (default ~/.local/state; "
        + "till uses its till/)."),
    ManualEntry("NO_COLOR", "When set and not empty, never colour the output (as --color never)."),
    ManualEntry(
      "TERM",
      "When dumb or unset, a watch on a terminal prints a line per change instead of redrawing "
        + "its view in place."),
  ]

  static let files = [
    ManualEntry(
      "$XDG_CONFIG_HOME/till/config.toml",
      "Named profiles (API, base URL, tenant, and where each secret comes from) and the default "
        + "profile; see till profile. Never holds a secret."),
    ManualEntry(
      "$XDG_STATE_HOME/till/history.jsonl",
      "One line per checkout this machine started: id, API, base URL, profile, start time and "
        + "the last state seen. Read by till checkout list and till checkout status --last."),
    ManualEntry(
      "$XDG_STATE_HOME/till/cart.json",
      "The local cart that till checkout start submits when given no --item."),
    ManualEntry(
      "$XDG_STATE_HOME/till/3ds/",
      "Inline 3-D Secure pages sent by the server, saved with mode 0600 to open in a browser."),
    ManualEntry(
      "$XDG_CONFIG_HOME/till/, $XDG_STATE_HOME/till/",
      "till's own folders, made with mode 0700. As ssh treats ~/.ssh, till refuses them, their "
        + "subfolders and the files in them when they belong to another user or group or others "
        + "can write them, and a symbolic link in place of one of its files; the error names "
        + "the chmod or chown that fixes it. Each file is written whole, to a temporary file "
        + "beside it that is renamed over it."),
  ]

  static var exitStatus: [ManualEntry] {
    ExitStatus.allCases.map { ManualEntry(String($0.rawValue), $0.meaning) }
  }

  static var page: ManualPageContent {
    ManualPageContent(
      date: date, source: "till \(Till.version)", environment: environment, files: files,
      exitStatus: exitStatus, seeAlso: [ManualReference("curl", section: "1")])
  }

  /// The manual page, man/till.1.
  static var manualPage: String { CommandTree.root.manualPage(page) }
}
