"""Questionnaire pages: deputies' (/m/surveys/) and the public's (/s/<评议码>/)."""
