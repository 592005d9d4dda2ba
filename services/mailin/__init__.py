"""Incoming mail from the policy mailbox: reading a message as a person's turn (pure rules)."""
