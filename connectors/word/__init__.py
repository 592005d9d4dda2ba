"""Word documents: reading and checking drafts, and the sample drafts of the demo."""
