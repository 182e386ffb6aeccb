/// Facts about this build of till.
public enum Till {
  public static let version = "0.1.0"
}
