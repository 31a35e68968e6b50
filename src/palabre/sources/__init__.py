"""Feeds and agendas: fetching (conditional GET, guarded), parsing, items and occurrences."""
