"""Route 1, the publisher's scheduled update (NCT-2, NCT-3, NCT-4): the update plan, its cases, the window."""
