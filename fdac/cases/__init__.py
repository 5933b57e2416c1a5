"""Family cases: parents, children, the team around them, and the phase timeline."""
