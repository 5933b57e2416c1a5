"""Users, roles, signing in, and the one permission check (access.can)."""
