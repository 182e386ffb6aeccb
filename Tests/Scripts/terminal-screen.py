"""Plays bytes a program wrote to a terminal through a terminal emulator (pyte) and prints
the screen that results, one row per line, trailing blanks removed.

Usage: terminal-screen.py COLUMNS ROWS < captured-output
"""
import sys

import pyte

columns, rows = int(sys.argv[1]), int(sys.argv[2])
screen = pyte.Screen(columns, rows)
stream = pyte.ByteStream(screen)
stream.feed(sys.stdin.buffer.read())
for line in screen.display:
    print(line.rstrip())
