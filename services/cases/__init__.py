"""Cases: one piece of work on one document (reviews, new documents), from opening to publication."""
