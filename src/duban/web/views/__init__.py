"""The pages, one module per family: ``dashboard`` (the plan as everyone sees it), ``workspace`` (a unit's
reporting work), ``reports`` (one report and its evidence), ``office`` (the office's workspace), ``closure``
(销号), ``inbox`` (notices) and ``health``. ``base`` holds what they share: the signed-in request, who may open
the dashboard, and the query parameters every family reads.

Each view parses its input, calls one selector or service and renders; who may see or do what in the
reporting pages is decided by ``duban.reporting.rules`` on the object itself (a report one may not see is a
404, a step one may not take a 403).
"""
