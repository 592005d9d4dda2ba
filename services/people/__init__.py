"""People: who is speaking, the directory, and matching names to people."""
