"""User administration: accounts, roles and teams. Admins only; no case data here."""
