import Glibc

/// Plain POSIX threads for blocking socket work: a connection may sit in `recv` for minutes
/// while a client waits out `Retry-After`, which would starve Dispatch's bounded pool.
enum POSIXThread {
  private final class Entry {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
  }

  /// Starts `body` on a new thread. Returns the thread for joining unless `detached`, and nil
  /// when the system refuses another thread.
  static func spawn(detached: Bool, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
    let entry = Unmanaged.passRetained(Entry(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue().body()
        return nil
      }, entry)
    guard result == 0 else {
      Unmanaged<Entry>.fromOpaque(entry).release()
      return nil
    }
    if detached {
      pthread_detach(thread)
    }
    return thread
  }

  static func join(_ thread: pthread_t) {
    pthread_join(thread, nil)
  }
}
