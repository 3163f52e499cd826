"""Statistics in the web app: the database copy of the tidy store, its imports, and the page.

The pure core (:mod:`legalstay.stats`) reads the files, draws the charts and suppresses small
cells; this app keeps the observations in the database (``models``), writes them in one
transaction per import (``services``), reads them and the caseload (``access``), turns rows into
the core's Polars frames (``frames``, the only adapter) and shows them (``views``, ``page``).
See docs/statistics-web.md.
"""
