import Glibc
import TillCLI

exit(TillCommandLine.main(Array(CommandLine.arguments.dropFirst())))
