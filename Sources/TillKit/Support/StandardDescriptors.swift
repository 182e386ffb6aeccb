import Glibc

/// Started with standard input, output or error closed, till would hand that number to the
/// next file it opens: the HTTP socket could become descriptor 2, and `-v` would write its
/// trace into the connection. Each closed one is opened on /dev/null instead, before anything
/// else opens a file.
public func reopenClosedStandardDescriptors() {
  for descriptor: Int32 in 0...2 {
    guard fcntl(descriptor, F_GETFD) == -1, errno == EBADF else { continue }
    // The lowest free number is this one, as those below it are open by now.
    let opened = open("/dev/null", O_RDWR)
    if opened >= 0, opened != descriptor {
      _ = dup2(opened, descriptor)
      _ = close(opened)
    }
  }
}
