"""Delivery: the outbox, sending what it owes through Teams and email, and pacing."""
