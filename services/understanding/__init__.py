"""What the bot did not understand, kept so the PPO can add phrasings (issue 15, item 9)."""
