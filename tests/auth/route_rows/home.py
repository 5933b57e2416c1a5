"""Route rows: home."""

ROWS: dict = {}
