"""Keyworker contacts with parents, each case's contact target, and weekly compliance."""
