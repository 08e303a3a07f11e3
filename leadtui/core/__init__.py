"""The domain of leadtui, pure: no terminal, no database, no network."""
