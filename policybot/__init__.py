"""policybot package."""
