"""The measurement core: periods, indicator formulas, aggregation up a hierarchy, and target status.

A pure package: it imports nothing from Django, so it can be tested and benchmarked on its own.
"""
