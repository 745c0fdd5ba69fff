"""Dates as 2026-03-31 and moments as 2026-03-31 14:30 on every page (the back office
included), the same as every export writes them; Django's Chinese formats wrote 2026年3月31日
on some pages while others and the Excel files wrote 2026-03-31. What is typed in is read
as Django's Chinese formats read it."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
