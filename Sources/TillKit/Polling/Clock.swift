import Glibc

/// Time as the poller sees it: a monotonic now and a sleep that ends at a deadline. Tests drive
/// the poller with a fake clock; the real one sleeps in the kernel, never spinning.
public protocol PollClock: AnyObject {
  /// Monotonic time since an arbitrary origin.
  var now: Duration { get }
  /// Wall-clock seconds since the Unix epoch, for HTTP-dates.
  var wallSeconds: Int64 { get }
  /// Sleeps until `deadline` (on the `now` scale). Returns false when interrupted by the user.
  func sleep(until deadline: Duration) -> Bool
}

public final class SystemClock: PollClock, @unchecked Sendable {
  /// Set from a signal handler; checked between naps.
  public let interruption: InterruptionFlag?

  public init(interruption: InterruptionFlag? = nil) {
    self.interruption = interruption
  }

  public var now: Duration { monotonicNow() }

  public var wallSeconds: Int64 { wallClockSeconds() }

  public func sleep(until deadline: Duration) -> Bool {
    while true {
      if interruption?.isSet == true { return false }
      if let interruption, interruption.watchesStandardOutput, standardOutputReaderGone() {
        interruption.set(SIGPIPE)
        return false
      }
      let remaining = deadline - monotonicNow()
      if remaining <= .zero { return true }
      // Nap at most 50 ms at a time so a Ctrl-C ends the wait promptly.
      let nap = min(remaining, .milliseconds(50))
      var target = timespec()
      let end = monotonicNow() + nap
      target.tv_sec = Int(end.components.seconds)
      target.tv_nsec = Int(end.components.attoseconds / 1_000_000_000)
      _ = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil)
    }
  }
}

/// A flag a signal handler may set; reads and writes are single machine words.
public final class InterruptionFlag: @unchecked Sendable {
  private let storage = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
  /// When true, a wait also ends once standard output is a pipe whose reader has gone, with
  /// SIGPIPE recorded: a watch whose checkout never changes prints nothing, so no failed write
  /// would otherwise tell it that nobody reads.
  public var watchesStandardOutput = false
  public init() { storage.initialize(to: 0) }
  deinit { storage.deallocate() }
  public var isSet: Bool { storage.pointee != 0 }
  public var signal: Int32 { Int32(storage.pointee) }
  public func set(_ signal: Int32) { storage.pointee = sig_atomic_t(signal) }
  /// The address a C signal handler can write to.
  public var address: UnsafeMutablePointer<sig_atomic_t> { storage }
}

func monotonicNow() -> Duration {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
}

/// The wall clock, in whole seconds since the epoch: what the history and reports record.
public func wallClockSeconds() -> Int64 {
  var spec = timespec()
  clock_gettime(CLOCK_REALTIME, &spec)
  return Int64(spec.tv_sec)
}

/// Whether standard output is a pipe or socket whose reader has closed it (the kernel reports
/// POLLERR or POLLHUP on the writing end). Asks without waiting.
public func standardOutputReaderGone() -> Bool {
  var descriptor = pollfd(fd: 1, events: 0, revents: 0)
  guard poll(&descriptor, 1, 0) == 1 else { return false }
  return descriptor.revents & Int16(POLLERR | POLLHUP) != 0
}
