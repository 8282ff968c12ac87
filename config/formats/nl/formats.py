"""Dates in Dutch: one format everywhere a person reads a date (docs/i18n.md).

"3 december 2026", with the time "3 december 2026 14:05". The short formats are the same, so a
template that asks for SHORT_DATE_FORMAT cannot bring back a second format. Input formats stay
Django's (date inputs send ISO dates).
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
