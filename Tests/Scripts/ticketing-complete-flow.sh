#!/usr/bin/env bash
# The ticketing document's "Bash Script - Complete Flow", done with till against the sandbox:
# reserve a seat, add it to the cart, check out, pay. Where the document sleeps 3 seconds for
# the reservation event, till retries until the ordering service has seen it.
set -euo pipefail

till=${TILL:-till}
work=$(mktemp -d)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$work"' EXIT

"$till" sandbox --port 0 >"$work/sandbox.out" 2>/dev/null &
sandbox=$!
for _ in $(seq 100); do [ -s "$work/sandbox.out" ] && break; sleep 0.05; done
base=$(head -n 1 "$work/sandbox.out")
[ -n "$base" ] || { echo "the sandbox did not start" >&2; exit 1; }

export TILL_API=ticketing TILL_BASE_URL=$base XDG_STATE_HOME=$work/state
SEAT_ID="550e8400-e29b-41d4-a716-446655440002"
# The payment service takes a GUID as the customer: one GUID reserves, orders and pays.
USER_ID="7d3f1c2a-5b8e-4f6a-9c1d-2e3f4a5b6c7d"
PRICE="50.00"

echo "1. Reserving seat and adding it to the cart..."
ORDER_ID=$("$till" -q cart add --seat "$SEAT_ID" --price "$PRICE" --reserve --user "$USER_ID" \
  --max-wait 30s)
echo "Order ID: $ORDER_ID"

echo "2. Checking out..."
FINAL=$("$till" --json checkout start --order "$ORDER_ID" --user "$USER_ID")
echo "$FINAL"
case $FINAL in
  *'"state":"pending"'*) ;;
  *) echo "expected a pending order" >&2; exit 1 ;;
esac

echo "3. Paying..."
"$till" checkout pay "$ORDER_ID" --amount "$PRICE" --user "$USER_ID"

echo "4. The order as the service reports it:"
"$till" checkout status "$ORDER_ID"
echo "Purchase complete."
