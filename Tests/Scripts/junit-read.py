#!/usr/bin/env python3
"""Reads a JUnit XML report with junitparser, a JUnit reader of its own, and prints what it
found as one JSON object: {"tests", "failures", "cases": [{name, classname, time, failures:
[message], skipped: [message]}]}. It exits 1 when junitparser cannot read the file."""
import json
import sys

from junitparser import Failure, JUnitXml, Skipped


def main(path):
    try:
        xml = JUnitXml.fromfile(path)
    except Exception as error:  # the reader's own words, whatever it raises
        print(f"junitparser cannot read {path}: {error}", file=sys.stderr)
        return 1
    cases = []
    tests = failures = 0
    for suite in xml:
        tests += suite.tests
        failures += suite.failures
        for case in suite:
            cases.append({
                "name": case.name,
                "classname": case.classname,
                "time": case.time,
                "failures": [r.message for r in case.result if isinstance(r, Failure)],
                "skipped": [r.message for r in case.result if isinstance(r, Skipped)],
            })
    print(json.dumps({"tests": tests, "failures": failures, "cases": cases}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
