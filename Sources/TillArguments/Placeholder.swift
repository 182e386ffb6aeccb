public enum TillArgumentsPlaceholder {}
