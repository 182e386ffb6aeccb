public enum TillCLIPlaceholder {}
