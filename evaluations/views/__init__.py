"""The evaluations' pages outside the back office, split by surface (the back office is in
evaluations/admin)."""
