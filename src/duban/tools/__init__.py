"""Tooling on top of the domain apps: bootstrap and demonstration, sample data, benchmarks.

Tools may import any domain app; no domain app imports ``duban.tools``, so nothing here can become a
dependency of supervision itself. This package and ``duban.tools.bench`` import nothing at import time, so
that ``duban bench parse`` can load its part without Django.
"""
