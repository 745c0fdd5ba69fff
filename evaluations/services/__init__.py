"""Every write of the evaluations, as verbs: each checks the campaign's stage, changes the data
in one transaction, leaves an audit entry and defers side effects until the commit.

- planning: term plans, campaigns and their phases;
- topics: topic collection, merging, candidates, the ballot on who reports, subjects;
- investigation: survey teams' checklists and reports;
- meeting: the meeting's questions, the satisfaction poll and the results.
"""


class EvaluationError(Exception):
    """An evaluation step refused; the message tells staff why, in Chinese."""
