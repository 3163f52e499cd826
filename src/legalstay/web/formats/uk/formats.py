# Dates typed as YYYY-MM-DD only (see legalstay.web.formats).
from legalstay.web.formats import DATE_INPUT_FORMATS

__all__ = ["DATE_INPUT_FORMATS"]
