"""Persistence at the edge: versions, conflicts, cycles and passphrases in SQLite or PostgreSQL."""
