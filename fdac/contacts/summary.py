"""What the case page shows about contacts (filled in with issue 5's contact pages)."""


def case_summary(case, today):
    """Contact compliance per parent for the case page, or None when there is nothing to show."""
    return None
