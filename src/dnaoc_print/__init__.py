"""dnaoc-print: typesets the DNA of Care facilitator guides and one-page handouts."""

__version__ = "0.1.0"
