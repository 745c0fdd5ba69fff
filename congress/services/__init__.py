"""Every write of the institution goes through a function in this package."""
