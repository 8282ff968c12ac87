"""Strings of Django's own templates that its Dutch catalogue does not translate yet (Django
5.2's admin), so that `make messages` puts them in ours: the project's catalogue comes first
(LOCALE_PATHS), and the catalogue crawl (tests/registry/test_i18n_crawl.py) found them English
on Dutch admin pages. Never imported; makemessages reads it.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
)
