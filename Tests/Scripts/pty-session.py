#!/usr/bin/env python3
"""Runs a program on a pseudo-terminal of its own, as a person at a terminal would, and tells
what the terminal was left like.

Usage: pty-session.py SPEC-JSON
  SPEC: {"argv": [...], "env": {...}, "waitFor": TEXT, "then": "ctrl-c" | "SIGTERM" | TEXT}

The program is the session leader with the pseudo-terminal as its controlling terminal. A
moment after it has written TEXT, as a person would act, "ctrl-c" types Ctrl-C (the terminal
driver sends SIGINT), "SIGTERM" sends that signal, and anything else is typed as input. When
the program has ended, prints one JSON object: {"status", "signal", "output", "stty", "echo"}:
its exit status (or the signal that ended it), what it wrote, `stty -a` of the terminal
afterwards, and whether echo is on.
"""
import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import termios
import time


def read_available(master, seconds):
    ready, _, _ = select.select([master], [], [], seconds)
    if not ready:
        return b""
    try:
        return os.read(master, 4096)
    except OSError:
        return b""


def main(spec):
    master, slave = os.openpty()

    def controlling_terminal():
        # As a shell starts a program: signals neither blocked nor ignored, whatever the test
        # runner passed on.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(number, signal.SIG_DFL)
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    child = subprocess.Popen(
        spec["argv"], stdin=slave, stdout=slave, stderr=slave, env=spec.get("env"),
        preexec_fn=controlling_terminal, close_fds=True)
    output = b""
    deadline = time.monotonic() + 30
    while spec["waitFor"].encode() not in output and time.monotonic() < deadline:
        if child.poll() is not None:
            break
        output += read_available(master, 0.05)
    # A person reads the prompt before acting on it.
    time.sleep(0.3)
    then = spec["then"]
    if then == "ctrl-c":
        os.write(master, b"\x03")
    elif then == "SIGTERM":
        child.send_signal(signal.SIGTERM)
    else:
        os.write(master, then.encode())
    deadline = time.monotonic() + 15
    while child.poll() is None and time.monotonic() < deadline:
        output += read_available(master, 0.05)
    if child.poll() is None:
        child.kill()
        child.wait()
    output += read_available(master, 0.2)
    stty = subprocess.run(["stty", "-a"], stdin=slave, capture_output=True, text=True).stdout
    echo = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
    code = child.returncode
    print(json.dumps({
        "status": code if code >= 0 else None,
        "signal": -code if code < 0 else None,
        "output": output.decode("utf-8", "replace"),
        "stty": stty,
        "echo": echo,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
