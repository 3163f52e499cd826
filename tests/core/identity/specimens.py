"""ICAO Doc 9303 specimen zones (the fictitious Utopia documents) and what they read as."""

UTOPIA_TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
UTOPIA_TD3_FIELDS = {
    "document_code": "P",
    "issuing_state": "UTO",
    "document_number": "L898902C3",
    "surname": "ERIKSSON",
    "given_names": "ANNA MARIA",
    "nationality": "UTO",
    "birth_date": "1974-08-12",
    "sex": "F",
    "expiry_date": "2012-04-15",
    "optional_data": "ZE184226B",
    "format": "TD3",
}
UTOPIA_TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
# Part 7 visa specimens.
UTOPIA_MRV_A = [
    "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
]
UTOPIA_MRV_B = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]
