"""Flags: things a manager should look at, raised by the planner and the scheduled jobs."""
