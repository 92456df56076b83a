"""American English, as US patients write dates and times: "Dec 7, 2026", "9:00 AM".
(Django's own English formats write "Dec. 7, 2026" and "9 a.m.", newspaper style.)"""

DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "F Y"
