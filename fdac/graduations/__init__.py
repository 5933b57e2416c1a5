"""Graduations: criteria and eligibility, ceremonies and certificates, the graduates' group,
and the programme's outcomes."""
