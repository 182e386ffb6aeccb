import TillArguments
import TillKit

/// `tenant list`: the merchants on the gateway (`federation_list_tenants`).
struct TenantListCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List the merchants (tenants) on the ComOS gateway.",
    discussion: "Needs no --tenant. -q prints the tenant ids, --json the gateway's answer.",
    examples: [Example(["--api", "comos", "-q", "tenant", "list"], "Only the tenant ids.")])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let (tenants, raw) = try gateway().listTenants()
    try output.list(
      raw, ids: tenants.map(\.id), what: "tenant id", empty: "The gateway lists no tenants.",
      header: ["TENANT", "NAME", "STATUS", "ABOUT"],
      rows: tenants.map { [$0.id, $0.name, $0.status, $0.description] })
    return .success
  }
}

/// `tenant show [ID]`: one merchant (`federation_tenant_info`).
struct TenantShowCommand: ComOSCommand {
  static let spec = CommandSpec(
    name: "show", abstract: "Show one tenant of the ComOS gateway.",
    arguments: [
      ArgumentSpec(
        name: "id", help: "The tenant; the run's --tenant when left out.", isOptional: true)
    ])

  let invocation: Invocation

  func run() throws(TillError) -> ExitStatus {
    let tenant = try gateway().tenantInfo(parsed.argument("id"))
    try output.show(tenant.raw, ids: [tenant.id], what: "tenant id") {
      output.table(
        ["TENANT", "NAME", "STATUS", "ABOUT"],
        [[tenant.id, tenant.name, tenant.status, tenant.description]])
    }
    return .success
  }
}
