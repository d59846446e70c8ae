"""Structured figures of a plan: tables, annex profiles and narrative statements, each with its span."""
