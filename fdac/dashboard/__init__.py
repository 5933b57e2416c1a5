"""The team manager's dashboard: the figures of the programme, each linking to its list."""
