"""The generic rules engine (knows no law); public API below."""
