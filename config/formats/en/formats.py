"""Dates in English: one format everywhere a person reads a date (docs/i18n.md).

"3 December 2026", with the time "3 December 2026 14:05": day, month name, year, as in the
Dutch "3 december 2026", so neither language can misread 03/12 as 12 March or 3 December.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
