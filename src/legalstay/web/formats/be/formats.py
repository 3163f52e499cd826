# Dates typed as YYYY-MM-DD only (see legalstay.web.formats).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
