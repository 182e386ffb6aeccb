#!/usr/bin/env python3
"""Reads a HAR file with haralyzer, a HAR reader of its own, and prints what it found as one
JSON object: {"entries": [{method, url, status, time, startTime, timings, wait, comment,
error}]}. It exits 1 if haralyzer cannot read the file or an entry lacks what HAR 1.2 requires."""
import json
import sys

from haralyzer import HarEntry, HarParser

REQUIRED = {
    "log": ["version", "creator", "entries"],
    "entry": ["startedDateTime", "time", "request", "response", "cache", "timings"],
    "request": ["method", "url", "httpVersion", "cookies", "headers", "queryString",
                "headersSize", "bodySize"],
    "response": ["status", "statusText", "httpVersion", "cookies", "headers", "content",
                 "redirectURL", "headersSize", "bodySize"],
    "timings": ["send", "wait", "receive"],
}


def main(path):
    with open(path, encoding="utf-8") as file:
        har = json.load(file)
    missing = [k for k in REQUIRED["log"] if k not in har["log"]]
    parser = HarParser(har)
    entries = []
    for raw in parser.har_data["entries"]:
        for part, keys in (("entry", REQUIRED["entry"]), ("request", REQUIRED["request"]),
                           ("response", REQUIRED["response"]), ("timings", REQUIRED["timings"])):
            where = raw if part == "entry" else raw[part]
            missing += [f"{part}.{k}" for k in keys if k not in where]
        if any(raw["timings"][k] < 0 for k in REQUIRED["timings"]):
            missing.append("timings: send, wait and receive may not be negative")
        entry = HarEntry(raw)
        entries.append({
            "method": entry.request.method,
            "url": entry.request.url,
            "status": entry.status,
            "time": entry.time,
            "startTime": entry.startTime.isoformat(),
            "timings": entry.timings,
            "requestBody": entry.request.text or "",
            "responseBody": entry.response.text or "",
            "wait": raw.get("_wait"),
            "comment": raw.get("comment", ""),
            "error": raw.get("_error"),
        })
    if missing:
        print("not a complete HAR 1.2 log: " + ", ".join(sorted(set(missing))), file=sys.stderr)
        return 1
    print(json.dumps({"version": har["log"]["version"], "entries": entries}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
