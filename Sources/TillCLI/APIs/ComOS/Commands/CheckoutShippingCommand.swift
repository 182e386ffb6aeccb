import TillArguments
import TillKit

/// `checkout shipping ID [--carrier C --service S]`: a saga's shipping methods, or the choice
/// of one (`checkout_shipping_options`, `checkout_select_shipping`).
struct CheckoutShippingCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "shipping", abstract: "ComOS: list a saga's shipping methods, or choose one.",
    discussion: """
      For a saga with physical products, while it is pending or waits for payment. Without \
      --carrier and --service, lists the methods (-q: CARRIER/SERVICE a line); with both, \
      chooses one and prints the new total. Choosing is optional: a default method applies.
      """,
    arguments: [ArgumentSpec(name: "id", help: "The saga's id.")],
    options: [
      .value("carrier", "ID", help: "The carrier, e.g. ups."),
      .value("service", "ID", help: "The service, e.g. express."),
    ],
    examples: [
      Example(
        [
          "--api", "comos", "checkout", "shipping", "saga_…", "--carrier", "ups", "--service",
          "express",
        ], "Ship by UPS Express.")
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let saga = try parsed.nonEmptyArgument("id")
    let carrier = parsed.value("carrier")
    let service = parsed.value("service")
    guard (carrier == nil) == (service == nil) else {
      throw TillError(.usage, "give --carrier and --service together, or neither to list them")
    }
    let safe = { (text: String?) in TillKit.safe((text ?? "-").prefix(80))
    }
    if let carrier, let service {
      let answer = try gateway().selectShipping(saga: saga, carrier: carrier, service: service)
      if settings.json {
        output.json(answer)
      } else if !settings.quiet {
        let total = (answer["total"] ?? answer["newTotal"])?.text
        let currency = answer["currency"]?.string
        console.out(
          "Saga \(safe(saga)) ships by \(safe(carrier))/\(safe(service))"
            + (total.map { "; total \(safe($0))" + (currency.map { " \(safe($0))" } ?? "") } ?? ""))
      }
      return .success
    }
    let (options, raw) = try gateway().shippingOptions(saga: saga)
    if settings.json {
      output.json(raw)
    } else if settings.quiet {
      for option in options { console.out("\(safe(option.carrier))/\(safe(option.service))") }
    } else if options.isEmpty {
      console.out("Saga \(safe(saga)) needs no shipping.")
    } else {
      output.table(
        ["CARRIER", "SERVICE", "PRICE", "DAYS", "CHOSEN", "NAME"],
        options.map {
          [$0.carrier, $0.service, $0.price, $0.days, $0.selected ? "yes" : "", $0.name]
        })
    }
    return .success
  }
}
