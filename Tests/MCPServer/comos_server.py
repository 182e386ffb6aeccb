#!/usr/bin/env python3
"""A ComOS-shaped MCP server built on the official MCP Python SDK (`pip install mcp`).

till's end-to-end tests start it to check that till's MCP client speaks to a server it did
not write. It serves the ComOS gateway's checkout tools over the streamable HTTP transport
at http://127.0.0.1:<port>/mcp, with the saga scenarios of till's own sandbox:

- with a paymentMethodId the saga runs one step per checkout_status call to completed;
- without one it waits in payment_pending until checkout_create_payment_session, whose
  page the next status call pays;
- a cartId containing "declined" (or paymentMethodId pm_card_chargeDeclined) fails
  process_payment with PAYMENT_DECLINED, then compensates;
- a cartId containing "flaky" fails reserve_inventory once (retryable); checkout_retry
  reruns it to completion;
- an empty or unknown cart fails validate_cart with CART_EMPTY;
- tenants are the strings starting "tenant-"; api_call POST /v1/auth/login takes the
  password "correct-horse".

Usage: comos_server.py [--port N] [--mode json|sse|legacy] [--stateless] [--exit-on-stdin-eof]

--mode legacy serves the legacy HTTP+SSE transport (protocol 2024-11-05) instead, with the
SDK's SseServerTransport: GET /mcp/sse opens the stream, POSTs go to /mcp/messages/.

--port 0 (the default) takes a free port. Once it accepts connections it prints one line,
`comos-mcp-server ready http://127.0.0.1:<port>/mcp mode=<mode>`, to standard output. It
binds 127.0.0.1 only. It runs on mcp 2.x (MCPServer) and on mcp 1.x (FastMCP).
"""

import argparse
import asyncio
import dataclasses
import datetime
import itertools
import json
import os
import secrets
import socket
import string
import sys
import threading
import warnings
from typing import Annotated, Any, Literal, Optional

from pydantic import Field

try:
    from mcp.server.mcpserver import Context, MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    SDK_MAJOR = 2
except ImportError:  # mcp 1.x
    from mcp.server.fastmcp import Context, FastMCP
    from mcp.server.fastmcp.exceptions import ToolError

    SDK_MAJOR = 1

# mcp 2 deprecates server logging for protocol 2026-07-28; the 2025-06-18 sessions this server
# is for still carry it, and the notification is what the SSE mode is meant to show.
warnings.filterwarnings("ignore", message="The logging capability is deprecated")

STEPS = (
    "validate_cart",
    "reserve_inventory",
    "create_order",
    "process_payment",
    "confirm_order",
    "send_confirmation",
    "clear_cart",
)
# Undone, in this order, when a saga that got past them fails.
COMPENSABLE = ("create_order", "reserve_inventory")
SagaStatus = Literal[
    "pending",
    "in_progress",
    "payment_pending",
    "completed",
    "failed",
    "compensating",
    "compensated",
]
PASSWORD = "correct-horse"
DECLINED_PAYMENT_METHOD = "pm_card_chargeDeclined"
UPPER = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MIXED = string.digits + string.ascii_letters
BASE64URL = MIXED + "-_"

TenantId = Annotated[
    str,
    Field(description="Target tenant ID (required). Use federation_list_tenants() to see "
          "available tenants."),
]
AuthToken = Annotated[
    Optional[str],
    Field(description="JWT auth token for authenticated operations (cart, orders). Get from "
          "api_call POST /v1/auth/login."),
]
SagaId = Annotated[str, Field(description="Checkout saga ID")]


def random_text(length: int, alphabet: str) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def iso(seconds: int) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> int:
    return int(datetime.datetime.now(tz=datetime.timezone.utc).timestamp())


@dataclasses.dataclass
class Saga:
    saga_id: str
    tenant: str
    user_id: str
    cart_id: str
    payment_method_id: Optional[str]
    created_at: int
    updated_at: int
    sequence: int
    status: str = "pending"
    completed_steps: list[str] = dataclasses.field(default_factory=list)
    current_step: Optional[str] = "validate_cart"
    error: Optional[dict[str, Any]] = None
    compensation: Optional[dict[str, Any]] = None
    order_id: Optional[str] = None
    payment_intent_id: Optional[str] = None
    payment_url: Optional[str] = None
    payment_session_created: bool = False
    attempt: int = 1

    def wire(self) -> dict[str, Any]:
        return {
            "sagaId": self.saga_id,
            "status": self.status,
            "cartId": self.cart_id,
            "userId": self.user_id,
            "completedSteps": list(self.completed_steps),
            "currentStep": self.current_step,
            "error": self.error,
            "compensation": self.compensation,
            "orderId": self.order_id,
            "paymentIntentId": self.payment_intent_id,
            "paymentUrl": self.payment_url,
            "createdAt": iso(self.created_at),
            "updatedAt": iso(self.updated_at),
            "attempt": self.attempt,
        }

    def scripted_fault(self, step: str) -> Optional[dict[str, Any]]:
        if step == "reserve_inventory" and self.attempt == 1 and "flaky" in self.cart_id:
            return fault("INVENTORY_SERVICE_ERROR", "Inventory service did not answer in time",
                         True, step)
        declined = "declined" in self.cart_id or self.payment_method_id == DECLINED_PAYMENT_METHOD
        if step == "process_payment" and declined:
            return fault("PAYMENT_DECLINED", "Your card was declined", False, step)
        return None


def fault(code: str, message: str, retryable: bool, step: str) -> dict[str, Any]:
    return {"code": code, "message": message, "retryable": retryable, "step": step}


class Gateway:
    """Carts, sagas and tokens; every tool runs on the one event loop, so no locks."""

    def __init__(self) -> None:
        self.carts: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.sagas: dict[str, Saga] = {}
        self.tokens: set[str] = set()
        self.sequence = itertools.count(1)

    def check(self, tenant_id: str, auth_token: Optional[str]) -> None:
        if not tenant_id.startswith("tenant-"):
            raise coded_error("TENANT_NOT_FOUND", f"Unknown tenant '{tenant_id}'")
        if auth_token is not None and auth_token not in self.tokens:
            raise coded_error("UNAUTHORIZED", "Invalid or expired auth token")

    def saga(self, tenant_id: str, saga_id: str) -> Saga:
        saga = self.sagas.get(saga_id)
        if saga is None or saga.tenant != tenant_id:
            raise coded_error("SAGA_NOT_FOUND", f"Saga {saga_id} not found")
        return saga

    def advance(self, saga: Saga) -> None:
        before = saga.status
        if saga.status in ("pending", "in_progress"):
            self.run(saga)
        elif saga.status == "payment_pending":
            if saga.payment_session_created:
                self.run(saga)
        elif saga.status == "failed":
            undoable = [step for step in COMPENSABLE if step in saga.completed_steps]
            if undoable and saga.error is not None:
                saga.status = "compensating"
                saga.compensation = {"reason": reason(saga.error),
                                     "compensatedSteps": undoable[:1]}
        elif saga.status == "compensating":
            saga.status = "compensated"
            saga.compensation["compensatedSteps"] = [
                step for step in COMPENSABLE if step in saga.completed_steps]
        if saga.status != before:
            saga.updated_at = now()

    def run(self, saga: Saga) -> None:
        step = saga.current_step
        if step is None:
            return
        key = (saga.tenant, saga.cart_id)
        if step == "validate_cart" and not self.carts.get(key):
            failure = fault("CART_EMPTY", f"Cart {saga.cart_id} is empty", False, step)
        else:
            failure = saga.scripted_fault(step)
        if failure is not None:
            saga.status = "failed"
            saga.error = failure
            saga.current_step = None
            return
        saga.completed_steps.append(step)
        if step == "create_order":
            saga.order_id = "ord_" + random_text(20, UPPER)
        elif step == "process_payment":
            saga.payment_intent_id = "pi_" + random_text(24, MIXED)
        elif step == "clear_cart":
            self.carts[key] = []
        index = STEPS.index(step)
        saga.current_step = STEPS[index + 1] if index + 1 < len(STEPS) else None
        if saga.current_step is None:
            saga.status = "completed"
        elif saga.current_step == "process_payment" and saga.payment_method_id is None:
            saga.status = "payment_pending"
        else:
            saga.status = "in_progress"


def reason(error: dict[str, Any]) -> str:
    if error["code"] == "PAYMENT_DECLINED":
        return "payment declined"
    return f"{error['step']} failed: {error['code']}"


TENANTS = [
    {"tenant_id": "tenant-e2e", "name": "SDK Test Shop", "status": "active"},
    {"tenant_id": "tenant-demo", "name": "SDK Demo Shop", "status": "active"},
]

PRODUCTS = [
    {"_id": "665f1c2ae4b0a1d2c3f4a001", "name": "Trail shoes", "price": 89.5,
     "currency": "USD", "category": "shoes", "type": "physical", "stock": 4},
    {"_id": "665f1c2ae4b0a1d2c3f4a002", "name": "Running guide (ebook)", "price": 9.0,
     "currency": "USD", "category": "books", "type": "digital", "stock": 999},
]


def cart_wire(cart_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"cartId": cart_id, "items": [dict(line) for line in lines],
            "itemCount": sum(line["quantity"] for line in lines)}


def coded_error(code: str, message: str, retryable: bool = False) -> ToolError:
    """A tool error as the gateway gives it: `{code, message, retryable}` as its text."""
    return ToolError(json.dumps({"code": code, "message": message, "retryable": retryable}))


LEGACY_SSE_PATH = "/mcp/sse"
LEGACY_MESSAGE_PATH = "/mcp/messages/"


def build_server(gateway: Gateway, json_response: bool, stateless: bool,
                 legacy: bool = False, omit_tools: tuple[str, ...] = ()) -> Any:
    if SDK_MAJOR == 2:
        server = MCPServer("comos-gateway", version="1.0.0", log_level="WARNING")
    else:
        server = FastMCP("comos-gateway", host="127.0.0.1", json_response=json_response,
                         stateless_http=stateless, log_level="WARNING")

    async def working(ctx: Optional[Context]) -> None:
        # In SSE mode this reaches the client as a notification before the response.
        if ctx is not None:
            await ctx.info("working")

    @server.tool()
    async def api_call(
        tenant_id: TenantId,
        method: Annotated[str, Field(description="HTTP method, e.g. POST")],
        path: Annotated[str, Field(description="Path, e.g. /v1/auth/login")],
        body: Annotated[Optional[dict[str, Any]], Field(description="JSON body")] = None,
        auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Call one of the tenant's REST endpoints through the gateway; only POST
        /v1/auth/login is wrapped."""
        gateway.check(tenant_id, auth_token)
        await working(ctx)
        if method.upper() != "POST" or path != "/v1/auth/login":
            return {"status": 404, "body": {"error": "Not found"}}
        body = body or {}
        if not body.get("email") or body.get("password") != PASSWORD:
            return {"status": 401, "body": {"error": "Invalid credentials"}}
        token = ".".join(["eyJ" + random_text(33, BASE64URL), random_text(43, BASE64URL),
                          random_text(43, BASE64URL)])
        gateway.tokens.add(token)
        return {"status": 200, "body": {"token": token, "expiresIn": 3600}}

    @server.tool()
    async def cart_add_item(
        tenant_id: TenantId,
        cartId: Annotated[str, Field(description="The customer's email or a guest id")],
        productId: Annotated[str, Field(description="Catalog product ID")],
        quantity: Annotated[int, Field(ge=1, le=1000, description="How many to add")] = 1,
        auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Add a product to a cart, creating the cart when it is new."""
        gateway.check(tenant_id, auth_token)
        await working(ctx)
        lines = gateway.carts.setdefault((tenant_id, cartId), [])
        for line in lines:
            if line["productId"] == productId:
                line["quantity"] += quantity
                break
        else:
            lines.append({"productId": productId, "quantity": quantity})
        return cart_wire(cartId, lines)

    def cart_lines(tenant_id: str, cart_id: str) -> list[dict[str, Any]]:
        lines = gateway.carts.get((tenant_id, cart_id))
        if lines is None:
            raise coded_error("CART_NOT_FOUND", f"Cart {cart_id} not found")
        return lines

    def cart_line(lines: list[dict[str, Any]], cart_id: str, product_id: str) -> dict[str, Any]:
        for line in lines:
            if line["productId"] == product_id:
                return line
        raise coded_error("ITEM_NOT_FOUND", f"Product {product_id} is not in cart {cart_id}")

    @server.tool()
    async def federation_list_tenants(
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> list[dict[str, Any]]:
        """List the merchants (tenants) on the gateway."""
        return [dict(tenant) for tenant in TENANTS]

    @server.tool()
    async def federation_tenant_info(
        tenant_id: TenantId, auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Details of one tenant."""
        gateway.check(tenant_id, auth_token)
        for tenant in TENANTS:
            if tenant["tenant_id"] == tenant_id:
                return dict(tenant)
        return {"tenant_id": tenant_id, "name": tenant_id, "status": "active"}

    @server.tool()
    async def catalog_search(
        tenant_id: TenantId,
        query: Annotated[Optional[str], Field(description="Search words")] = None,
        category: Annotated[Optional[str], Field(description="Category")] = None,
        minPrice: Annotated[Optional[float], Field(ge=0, description="Lowest price")] = None,
        maxPrice: Annotated[Optional[float], Field(ge=0, description="Highest price")] = None,
        limit: Annotated[int, Field(ge=1, le=100, description="At most this many")] = 20,
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Search a tenant's catalog. Product ids are MongoDB ObjectIds."""
        gateway.check(tenant_id, auth_token)
        words = (query or "").lower().split()
        found = [product for product in PRODUCTS
                 if all(word in product["name"].lower() for word in words)
                 and (category is None or product["category"] == category)
                 and (minPrice is None or product["price"] >= minPrice)
                 and (maxPrice is None or product["price"] <= maxPrice)]
        return {"products": found[:limit],
                "_meta": {"catalog_version": "sdk-1", "fetched_at": iso(now())}}

    @server.tool()
    async def catalog_get_products(
        tenant_id: TenantId,
        productIds: Annotated[list[str], Field(description="Product ids from catalog_search")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Products of a tenant's catalog by id."""
        gateway.check(tenant_id, auth_token)
        found = [product for product in PRODUCTS if product["_id"] in productIds]
        if productIds and not found:
            raise coded_error("SKU_NOT_FOUND", "No product " + ", ".join(productIds))
        return {"products": found}

    def completed_order(tenant_id: str, order_id: str) -> "Saga":
        for saga in gateway.sagas.values():
            if saga.tenant == tenant_id and saga.order_id == order_id \
                    and saga.status == "completed":
                return saga
        raise coded_error("ORDER_NOT_FOUND", f"Order {order_id} not found")

    def order_wire(saga: "Saga") -> dict[str, Any]:
        return {"orderId": saga.order_id, "sagaId": saga.saga_id, "userId": saga.user_id,
                "status": "confirmed", "createdAt": iso(saga.updated_at)}

    def need_token(auth_token: Optional[str]) -> None:
        if auth_token is None:
            raise coded_error("AUTH_REQUIRED", "Orders need an auth_token")

    @server.tool()
    async def orders_list(
        tenant_id: TenantId, userId: Annotated[str, Field(description="Customer ID")],
        status: Annotated[Optional[str], Field(description="Only this status")] = None,
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """List a user's orders, newest first."""
        gateway.check(tenant_id, auth_token)
        need_token(auth_token)
        found = [order_wire(saga) for saga in gateway.sagas.values()
                 if saga.tenant == tenant_id and saga.user_id == userId
                 and saga.status == "completed" and saga.order_id]
        return {"orders": [order for order in found
                           if status is None or order["status"] == status]}

    @server.tool()
    async def orders_get(
        tenant_id: TenantId, orderId: Annotated[str, Field(description="Order ID")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """One order."""
        gateway.check(tenant_id, auth_token)
        need_token(auth_token)
        return order_wire(completed_order(tenant_id, orderId))

    @server.tool()
    async def orders_track(
        tenant_id: TenantId, orderId: Annotated[str, Field(description="Order ID")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """An order's delivery tracking."""
        gateway.check(tenant_id, auth_token)
        need_token(auth_token)
        saga = completed_order(tenant_id, orderId)
        return {"orderId": orderId, "status": "in_transit", "carrier": "fedex",
                "trackingNumber": "7489" + saga.saga_id[-8:],
                "events": [{"status": "label_created", "at": iso(saga.updated_at)},
                           {"status": "in_transit", "at": iso(saga.updated_at),
                            "location": "Memphis, TN"}]}

    @server.tool()
    async def checkout_shipping_options(
        tenant_id: TenantId, sagaId: SagaId, auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """The shipping methods of a saga with physical products."""
        gateway.check(tenant_id, auth_token)
        gateway.saga(tenant_id, sagaId)
        return {"options": [
            {"carrierId": "fedex", "serviceId": "ground", "name": "FedEx Ground",
             "price": 8.25, "currency": "USD", "estimatedDays": 4},
            {"carrierId": "fedex", "serviceId": "express", "name": "FedEx Express",
             "price": 22.0, "currency": "USD", "estimatedDays": 1}]}

    @server.tool()
    async def checkout_select_shipping(
        tenant_id: TenantId, sagaId: SagaId,
        carrierId: Annotated[str, Field(description="e.g. fedex")],
        serviceId: Annotated[str, Field(description="e.g. express")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Choose a saga's shipping method while it is pending or payment_pending."""
        gateway.check(tenant_id, auth_token)
        saga = gateway.saga(tenant_id, sagaId)
        if saga.status not in ("pending", "payment_pending"):
            raise coded_error("INVALID_SAGA_STATE", f"Saga {sagaId} is {saga.status}")
        return {"sagaId": sagaId, "carrierId": carrierId, "serviceId": serviceId,
                "total": 111.5, "currency": "USD"}

    @server.tool()
    async def cart_view(
        tenant_id: TenantId, cartId: Annotated[str, Field(description="Cart ID")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """View a cart: its items, quantities and item count."""
        gateway.check(tenant_id, auth_token)
        return cart_wire(cartId, cart_lines(tenant_id, cartId))

    @server.tool()
    async def cart_update_quantity(
        tenant_id: TenantId, cartId: Annotated[str, Field(description="Cart ID")],
        productId: Annotated[str, Field(description="Product ID")],
        quantity: Annotated[int, Field(ge=1, le=99, description="New quantity (1-99)")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Set the quantity of a product already in the cart."""
        gateway.check(tenant_id, auth_token)
        lines = cart_lines(tenant_id, cartId)
        cart_line(lines, cartId, productId)["quantity"] = quantity
        return cart_wire(cartId, lines)

    @server.tool()
    async def cart_remove_item(
        tenant_id: TenantId, cartId: Annotated[str, Field(description="Cart ID")],
        productId: Annotated[str, Field(description="Product ID")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Remove a product from the cart."""
        gateway.check(tenant_id, auth_token)
        lines = cart_lines(tenant_id, cartId)
        lines.remove(cart_line(lines, cartId, productId))
        return cart_wire(cartId, lines)

    @server.tool()
    async def cart_clear(
        tenant_id: TenantId, cartId: Annotated[str, Field(description="Cart ID")],
        auth_token: AuthToken = None, ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Remove every item from the cart."""
        gateway.check(tenant_id, auth_token)
        cart_lines(tenant_id, cartId).clear()
        return cart_wire(cartId, [])

    @server.tool()
    async def checkout_start(
        tenant_id: TenantId,
        userId: Annotated[str, Field(description="Customer ID")],
        cartId: Annotated[str, Field(description="Cart ID")],
        email: Annotated[Optional[str], Field(description="Confirmation address")] = None,
        paymentMethodId: Annotated[
            Optional[str], Field(description="A stored payment method such as pm_card_visa")
        ] = None,
        shippingAddress: Annotated[
            Optional[dict[str, Any]], Field(description="Shipping address")
        ] = None,
        customerName: Annotated[Optional[str], Field(description="Name on the label")] = None,
        auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Start a checkout saga for a cart; without paymentMethodId it waits in
        payment_pending until checkout_create_payment_session is paid."""
        gateway.check(tenant_id, auth_token)
        physical = any(line["productId"] == product["_id"] and product["type"] == "physical"
                       for line in gateway.carts.get((tenant_id, cartId), [])
                       for product in PRODUCTS)
        if physical and not all((shippingAddress or {}).get(field)
                                for field in ("line1", "city", "postalCode", "country")):
            raise coded_error("INVALID_ADDRESS",
                              "A complete shippingAddress is required for physical products")
        await working(ctx)
        started = now()
        saga_id = "saga_" + random_text(26, UPPER)
        saga = Saga(saga_id=saga_id, tenant=tenant_id, user_id=userId, cart_id=cartId,
                    payment_method_id=paymentMethodId, created_at=started,
                    updated_at=started, sequence=next(gateway.sequence))
        gateway.sagas[saga_id] = saga
        return saga.wire()

    @server.tool()
    async def checkout_status(
        tenant_id: TenantId, sagaId: SagaId, auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Get the current status of a checkout saga, including completed steps, errors, and
        order details. Each call moves the sandbox's saga one step on."""
        gateway.check(tenant_id, auth_token)
        saga = gateway.saga(tenant_id, sagaId)
        await working(ctx)
        gateway.advance(saga)
        return saga.wire()

    @server.tool()
    async def checkout_create_payment_session(
        tenant_id: TenantId, sagaId: SagaId, auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Create a single-use Stripe Checkout page for a saga in payment_pending."""
        gateway.check(tenant_id, auth_token)
        saga = gateway.saga(tenant_id, sagaId)
        if saga.status != "payment_pending":
            raise coded_error(
                "INVALID_SAGA_STATE",
                f"Saga {sagaId} is {saga.status}; a payment session needs payment_pending")
        await working(ctx)
        session_id = "cs_test_" + random_text(58, MIXED)
        saga.payment_url = f"https://checkout.stripe.com/c/pay/{session_id}"
        saga.payment_session_created = True
        return {"sagaId": sagaId, "sessionId": session_id, "url": saga.payment_url,
                "expiresAt": iso(now() + 24 * 3600)}

    @server.tool()
    async def checkout_retry(
        tenant_id: TenantId, sagaId: SagaId, auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """Rerun a failed or compensated saga from its first step."""
        gateway.check(tenant_id, auth_token)
        saga = gateway.saga(tenant_id, sagaId)
        if saga.status not in ("failed", "compensated"):
            raise coded_error("INVALID_SAGA_STATE",
                              f"Saga {sagaId} is {saga.status}; only failed or compensated "
                              "sagas can be retried")
        await working(ctx)
        saga.attempt += 1
        saga.status = "pending"
        saga.completed_steps = []
        saga.current_step = "validate_cart"
        saga.error = None
        saga.compensation = None
        saga.order_id = None
        saga.payment_intent_id = None
        saga.payment_url = None
        saga.payment_session_created = False
        saga.updated_at = now()
        return saga.wire()

    @server.tool()
    async def checkout_list(
        tenant_id: TenantId,
        userId: Annotated[str, Field(description="Customer ID")],
        status: Annotated[Optional[SagaStatus], Field(description="Only this status")] = None,
        auth_token: AuthToken = None,
        ctx: Optional[Context] = None,
    ) -> dict[str, Any]:
        """List a user's checkout sagas, newest first."""
        gateway.check(tenant_id, auth_token)
        await working(ctx)
        found = [saga for saga in gateway.sagas.values()
                 if saga.tenant == tenant_id and saga.user_id == userId
                 and (status is None or saga.status == status)]
        found.sort(key=lambda saga: (saga.created_at, saga.sequence), reverse=True)
        return {"sagas": [saga.wire() for saga in found]}

    for name in omit_tools:
        server.remove_tool(name)
    if legacy:
        # The legacy HTTP+SSE transport of protocol 2024-11-05, as the gateway's examples use
        # it: GET /mcp/sse opens the stream, its `endpoint` event names /mcp/messages/.
        if SDK_MAJOR == 2:
            return server.sse_app(sse_path=LEGACY_SSE_PATH, message_path=LEGACY_MESSAGE_PATH,
                                  host="127.0.0.1")
        server.settings.sse_path = LEGACY_SSE_PATH
        server.settings.message_path = LEGACY_MESSAGE_PATH
        return server.sse_app()
    if SDK_MAJOR == 2:
        return server.streamable_http_app(json_response=json_response, stateless_http=stateless,
                                          host="127.0.0.1")
    return server.streamable_http_app()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks one")
    parser.add_argument("--mode", choices=("json", "sse", "legacy"), default="json",
                        help="json: one JSON body per request; sse: an event stream per request; "
                             "legacy: the HTTP+SSE transport of 2024-11-05 at /mcp/sse")
    parser.add_argument("--omit-tool", action="append", default=[],
                        help="leave this tool out of the server, as an older gateway would")
    parser.add_argument("--stateless", action="store_true",
                        help="no Mcp-Session-Id: every request stands alone")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="stop when standard input closes, so a test process that dies "
                             "leaves no server behind")
    options = parser.parse_args()

    import uvicorn

    app = build_server(Gateway(), json_response=options.mode == "json",
                       stateless=options.stateless, legacy=options.mode == "legacy",
                       omit_tools=tuple(options.omit_tool))
    path = LEGACY_SSE_PATH if options.mode == "legacy" else "/mcp"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", options.port))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)

    if options.exit_on_stdin_eof:
        def watch_stdin() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            server.should_exit = True

        threading.Thread(target=watch_stdin, daemon=True).start()

    async def serve() -> None:
        async def announce() -> None:
            while not server.started:
                if server.should_exit:
                    return
                await asyncio.sleep(0.02)
            print(f"comos-mcp-server ready http://127.0.0.1:{port}{path} mode={options.mode}"
                  f"{' stateless' if options.stateless else ''} mcp={SDK_MAJOR}.x", flush=True)

        announcer = asyncio.ensure_future(announce())
        await server.serve(sockets=[listener])
        announcer.cancel()

    asyncio.run(serve())
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
