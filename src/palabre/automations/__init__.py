"""Automations: news relay, agenda reminders, curation, welcome and thank-you suggestions,
and the guardrails every one of them passes through (see docs/automations.md)."""
