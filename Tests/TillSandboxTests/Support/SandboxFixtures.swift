import FoundationEssentials
import Glibc
import TillSandbox

/// The test side's own reading of the C2A answers, written from the API document rather than
/// from the sandbox's code.
struct CheckoutResultShape: Decodable {
  struct Status: Decodable {
    var messageCode: String
    var message: String?
  }

  struct RedirectInstructions: Decodable {
    var redirectUrl: String
    var htmlContent: String?
    var threeDIdentifier: String
    var isRedirectRequired: Bool
    var hasNextSteps: Bool
    var showHtmlContent: Bool
  }

  struct FollowUpInstructions: Decodable {
    var retryAfterSeconds: Int?
    var canFollowUp: Bool
  }

  var trackingNumber: String
  var status: Status
  var redirectInstructions: RedirectInstructions?
  var followUpInstructions: FollowUpInstructions
}

struct ProblemShape: Decodable {
  var type: String
  var title: String
  var status: Int
  var detail: String
  var instance: String
}

struct NotFoundShape: Decodable {
  struct Status: Decodable { var messageCode: String }
  var status: Status
}

struct CheckoutStatsShape: Decodable {
  var scenario: String
  var polls: Int
  var earlyPolls: Int
  var lateByMs: [Int]
  var connections: [Int]
  var threeDSCompleted: Bool
}

struct SandboxStatsShape: Decodable {
  var connections: Int
  var checkoutsCreated: Int
  var requests: Int
  var checkouts: [String: CheckoutStatsShape]
}

func decode<Shape: Decodable>(_ shape: Shape.Type, _ response: LoopbackResponse) throws -> Shape {
  try JSONDecoder().decode(shape, from: Data(response.body))
}

/// Starts a sandbox on a kernel-chosen port. `retryAfterSeconds: 0` tells clients to poll
/// again at once, which keeps tests that do not study timing fast.
func startSandbox(pollsBeforeDone: Int = 2, retryAfterSeconds: Int = 0) throws -> Sandbox {
  let sandbox = Sandbox(
    configuration: SandboxConfiguration(
      port: 0, pollsBeforeDone: pollsBeforeDone, retryAfterSeconds: retryAfterSeconds))
  try sandbox.start()
  return sandbox
}

func credentials(tenant: String = "tenant-a", key: String? = "sk_test") -> [(String, String)] {
  var headers = [("x-tn", tenant)]
  if let key { headers.append(("x-api-key", key)) }
  return headers
}

func checkoutBody(offer: String, correlationID: String = randomCorrelationID()) -> String {
  """
  {"order":{"offerIdentifier":"\(offer)","correlationId":"\(correlationID)",\
  "items":[{"itemIdentifier":"sku-1","quantity":1}],"customer":{"customerUrn":"urn:c:1"}},\
  "paymentMethod":{"paymentChannel":"CreditCard","useStoredMethod":true,\
  "creditCard":{"cardHolderName":"A B","cardNumber":"4242424242424242",\
  "expireMonth":"12","expireYear":"2030","cvc":"123"}}}
  """
}

func randomCorrelationID() -> String {
  "corr-\(UInt64.random(in: 0...UInt64.max))"
}

extension LoopbackClient {
  func submit(
    offer: String, correlationID: String = randomCorrelationID(), tenant: String = "tenant-a",
    prefix: String = "/api/v1/c2a/"
  ) throws -> LoopbackResponse {
    try request(
      "POST", "\(prefix)offer/checkout",
      headers: credentials(tenant: tenant) + [("Content-Type", "application/json")],
      body: checkoutBody(offer: offer, correlationID: correlationID))
  }

  func poll(_ trackingNumber: String, tenant: String = "tenant-a") throws -> LoopbackResponse {
    try request(
      "GET", "/api/v1/c2a/offer/checkout/\(trackingNumber)/status",
      headers: credentials(tenant: tenant))
  }

  func stats(_ trackingNumber: String) throws -> CheckoutStatsShape {
    try decode(CheckoutStatsShape.self, request("GET", "/sandbox/stats/\(trackingNumber)"))
  }

  func stats() throws -> SandboxStatsShape {
    try decode(SandboxStatsShape.self, request("GET", "/sandbox/stats"))
  }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix seconds; nil for any
/// other form, including the obsolete ones RFC 9110 lets recipients accept but not send.
func parseIMFFixdate(_ text: String) -> Int64? {
  let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
  guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","),
    let weekday = days.firstIndex(of: String(parts[0].dropLast())),
    parts[1].count == 2, let day = Int32(parts[1]),
    let month = months.firstIndex(of: parts[2]),
    parts[3].count == 4, let year = Int32(parts[3]),
    parts[5] == "GMT"
  else { return nil }
  let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
  guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
    let hour = Int32(clock[0]), let minute = Int32(clock[1]), let second = Int32(clock[2])
  else { return nil }
  var fields = tm()
  fields.tm_year = year - 1900
  fields.tm_mon = Int32(month)
  fields.tm_mday = day
  fields.tm_hour = hour
  fields.tm_min = minute
  fields.tm_sec = second
  let seconds = timegm(&fields)
  // timegm normalises impossible dates; a weekday that disagrees means the text was wrong.
  guard fields.tm_wday == Int32(weekday), fields.tm_mday == day else { return nil }
  return Int64(seconds)
}

func wallClockSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_REALTIME, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
