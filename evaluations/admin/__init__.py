"""Back office of the evaluations: campaigns from plan to results (campaigns.py) and what
follows them, opinions, rectification, the ledger and escalations (rectification.py)."""

from . import campaigns, rectification  # noqa: F401  (registers the ModelAdmins)
