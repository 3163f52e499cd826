"""Synthetic people: a seeded world of Belarusian emigrants in Poland, and only synthetic people.

Two generators describe the same world (the caseload is the population, person for person):

* :func:`generate_caseload` — the demo caseload an NGO would hold, as dossiers with names,
  PESELs, contacts and family links;
* :func:`generate_population` — the same world at scale as the engine's tables (a million
  persons in a couple of seconds, vectorised with NumPy);
* :func:`population_to_dossiers` / :func:`dossiers_to_population` — exact conversion between
  the two forms, for the engine's differential test;
* :func:`generate_boundary_population` — hand-written persons on the edges of the rules.

The mix and its sources are in :mod:`legalstay.synthetic.mix`; the exact table schema is
:data:`SCHEMA`. Dates move with ``as_of`` so the demo always looks current. Pure Python: no
Django, no database, no clock.
"""

from legalstay.synthetic.boundary import boundary_dossiers, generate_boundary_population
from legalstay.synthetic.caseload import generate_caseload, pesel_for
from legalstay.synthetic.convert import dossiers_to_population, population_to_dossiers
from legalstay.synthetic.population import generate_population
from legalstay.synthetic.tables import SCHEMA, empty_tables

__all__ = [
    "SCHEMA",
    "boundary_dossiers",
    "dossiers_to_population",
    "empty_tables",
    "generate_boundary_population",
    "generate_caseload",
    "generate_population",
    "pesel_for",
    "population_to_dossiers",
]
