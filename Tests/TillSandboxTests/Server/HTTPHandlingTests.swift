import Glibc
import Testing
import TillSandbox

@Suite struct HTTPHandlingTests {
  @Test func malformedRequestLineIs400AndCloses() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    try client.send("GARBAGE\r\nHost: x\r\n\r\n")
    let response = try client.readResponse()
    #expect(response.status == 400)
    #expect(response.header("Connection") == "close")
    #expect(response.header("Content-Type") == "application/problem+json")
    #expect(client.serverClosed())
  }

  @Test func malformedHeaderLineIs400() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    try client.send("GET /sandbox/stats HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
    #expect(try client.readResponse().status == 400)
  }

  @Test func http11RequestWithoutHostIs400() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    try client.send("GET /sandbox/stats HTTP/1.1\r\n\r\n")
    #expect(try client.readResponse().status == 400)
  }

  @Test func connectionCloseIsHonoured() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let response = try client.request("GET", "/sandbox/stats", headers: [("Connection", "close")])
    #expect(response.status == 200)
    #expect(response.header("Connection") == "close")
    #expect(client.serverClosed())
  }

  @Test func pipelinedRequestsAreAnsweredInOrder() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    try client.send(
      "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\nGET /sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n")
    #expect(try client.readResponse().status == 404)
    #expect(try client.readResponse().status == 200)
  }

  @Test func oversizedBodyIs413() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    try client.send(
      "POST /api/v1/c2a/offer/checkout HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    #expect(try client.readResponse().status == 413)
  }

  @Test func oversizedHeadIsRefused() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let filler = String(repeating: "a", count: 70 * 1024)
    try client.send("GET /sandbox/stats HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n")
    #expect(try client.readResponse().status == 431)
  }

  @Test func expectContinueGetsAGoAhead() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let body = checkoutBody(offer: "success")
    try client.send(
      "POST /api/v1/c2a/offer/checkout HTTP/1.1\r\nHost: x\r\nx-tn: t\r\nx-api-key: k\r\n"
        + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
        + "Content-Length: \(body.utf8.count)\r\n\r\n")
    #expect(try client.readResponse().status == 100)
    try client.send(body)
    #expect(try client.readResponse().status == 202)
  }

  @Test func unknownPathIs404ProblemAndWrongMethodIs405() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let client = try LoopbackClient(port: sandbox.port)
    let missing = try client.request("GET", "/api/v1/c2a/offers")
    #expect(missing.status == 404)
    #expect(try decode(ProblemShape.self, missing).instance == "/api/v1/c2a/offers")
    let wrongMethod = try client.request("GET", "/api/v1/c2a/offer/checkout")
    #expect(wrongMethod.status == 405)
    #expect(wrongMethod.header("Allow") == "POST")
  }

  @Test func clientThatLeavesMidRequestDoesNotStopTheServer() throws {
    let sandbox = try startSandbox()
    defer { sandbox.stop() }
    let partialHead = try LoopbackClient(port: sandbox.port)
    try partialHead.send("GET /sandbox/st")
    partialHead.reset()

    let partialBody = try LoopbackClient(port: sandbox.port)
    try partialBody.send(
      "POST /api/v1/c2a/offer/checkout HTTP/1.1\r\nHost: x\r\nx-tn: t\r\nx-api-key: k\r\n"
        + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"order\":")
    partialBody.reset()

    // A client that resets while its answer is being written.
    let resetDuringAnswer = try LoopbackClient(port: sandbox.port)
    try resetDuringAnswer.send("GET /sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n")
    resetDuringAnswer.reset()

    let later = try LoopbackClient(port: sandbox.port)
    let stats = try later.stats()
    #expect(stats.connections == 4)
    #expect(stats.checkoutsCreated == 0)
    #expect(try later.submit(offer: "success").status == 202)
  }

  @Test func stopClosesLiveConnectionsAndFreesThePort() throws {
    let sandbox = try startSandbox()
    let port = sandbox.port
    let client = try LoopbackClient(port: port)
    #expect(try client.request("GET", "/sandbox/stats").status == 200)
    sandbox.stop()
    #expect(client.serverClosed())
    #expect(throws: LoopbackFailure.self) { try LoopbackClient(port: port) }

    // The same port can be taken again, and a second listener on it is refused by name.
    let again = Sandbox(configuration: SandboxConfiguration(port: port))
    try again.start()
    defer { again.stop() }
    #expect(again.port == port)
    #expect(again.baseURL == "http://127.0.0.1:\(port)")
    let rival = Sandbox(configuration: SandboxConfiguration(port: port))
    #expect {
      try rival.start()
    } throws: { error in
      (error as? SandboxError)?.description == "port \(port) is in use"
    }
  }
}
