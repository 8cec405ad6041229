"""The command line: parse, call the library, report. One module a command group.

May import: every other sub-package.
"""
