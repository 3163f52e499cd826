"""legalstay: keeps political emigrants lawfully resident.

The pure core (``engine``, ``rulebook``, ``stats``, ``microsim``, ``identity``, ``dossier``)
never imports Django; ``web`` is the Django shell around it and ``cli`` the command line.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
