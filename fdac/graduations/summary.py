"""What the case page shows about graduation (filled in with issue 5's graduation pages)."""


def case_summary(case, today):
    """Criteria met and not per parent, and any graduation, or None when not relevant."""
    return None
