public enum TillSandboxPlaceholder {}
