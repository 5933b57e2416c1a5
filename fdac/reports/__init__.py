"""Reports for the court: the judge's progress summary (more to come: review report, exports)."""
