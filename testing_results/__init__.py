"""Test results over the trial: hair strand, PEth, breath, oral fluid and urine (issue 3)."""
