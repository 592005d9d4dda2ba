"""Reminders: the sweeps that find what is owed, and how people want to be nudged."""
