"""Shared test set-up. Web tests read ``legalstay.web.settings_test`` (see pyproject.toml);
core tests never load Django."""
