"""Evaluations (评议): duty evaluations (述职评议), where the officials the congress elected or
appointed report on their duties, and work evaluations (工作评议), where every government unit is
evaluated once a year or once a term. Both kinds share everything they can: a term plan, a
yearly campaign with its phases, subjects, survey teams and their checklists, the meeting with
its questions and satisfaction poll, and the results.

Duty evaluations add the choice of who reports: topics collected from deputies and the public
(questionnaires and symposiums), candidates supported by the ranked topics, and the director's
meeting's secret ballot (无记名投票表决).
"""

from .planning import Campaign, Phase, PlanEntry, TermPlan
from .rectification import InquiryMotion, Interview, Opinion, Rectification, Submission, SubmissionItem
from .subjects import ChecklistItem, ContentItem, Evidence, Question, Result, Subject, SurveyReport, SurveyTeam
from .topics import CampaignSurvey, Candidate, Symposium, Topic, TopicMention, label_for

__all__ = [
    "InquiryMotion",
    "Interview",
    "Opinion",
    "Rectification",
    "Submission",
    "SubmissionItem",
    "Campaign",
    "CampaignSurvey",
    "Candidate",
    "ChecklistItem",
    "ContentItem",
    "Evidence",
    "Phase",
    "PlanEntry",
    "Question",
    "Result",
    "Subject",
    "SurveyReport",
    "SurveyTeam",
    "Symposium",
    "TermPlan",
    "Topic",
    "TopicMention",
    "label_for",
]
