"""Planning non-lawyer reviews and court hearings."""
