"""Planning non-lawyer reviews and court hearings (issue 4)."""
