"""The interface languages: read by the settings, and by ``bootstrap`` for the command line's
words (``legalstay assess --format text --language pl``) without reading the environment."""

LANGUAGES = [
    ("pl", "Polski"),
    ("en", "English"),
    ("be", "Беларуская"),
    ("ru", "Русский"),
    ("uk", "Українська"),
]
LANGUAGE_CODES = tuple(code for code, _ in LANGUAGES)
