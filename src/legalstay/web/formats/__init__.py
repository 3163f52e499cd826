"""Format overrides for every interface language (Django's ``FORMAT_MODULE_PATH``).

Dates are typed as YYYY-MM-DD in every language: a locale's own input formats would read
01/02/2024 as 2 January in one language and 1 February in another, and a day and a month
swapped in a person's record could cost them their stay. Display formats stay the locale's.
Each language's ``formats`` module takes this one value.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d"]
