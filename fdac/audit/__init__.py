"""The append-only audit trail of every change to case data and accounts."""
