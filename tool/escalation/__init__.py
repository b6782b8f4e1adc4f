"""The escalation engine: a partnership's procedure as data, and the rules that run on it.

Standard library only, so that the same package runs in CPython (the build, the tests,
the command line) and in Pyodide in the browser.
"""
