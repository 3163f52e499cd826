"""The Django shell: the only part of legalstay that touches the database, clock or environment."""
