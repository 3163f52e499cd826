"""Identity primitives: country codes, ICAO 9303 machine-readable zones, transliteration, PESEL."""
