"""The intake form page written without an include per option (registry/widgets.py) is the same
to a user as Django's own rendering: fields, options, selected values, errors, help texts."""

from __future__ import annotations

import contextlib
import copy
import re
from pathlib import Path

import crispy_bootstrap5
import crispy_forms.utils
import pytest
from crispy_forms.templatetags import crispy_forms_tags
from django import forms
from django.conf import settings
from django.test import override_settings
from django.test.html import parse_html

from intake import rendering
from registry.models import Municipality, Region
from registry.widgets import InlineOptionsSelect

pytestmark = pytest.mark.django_db

URL = "/intake/register/"


def form_html(response) -> str:
    content = response.content.decode()
    start = content.index('<form method="post" action="/intake/register/"')
    form = content[start : content.index("</form>", start) + len("</form>")]
    # The CSRF token is masked afresh on every page; it is not what is compared.
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+">', "", form)


@pytest.fixture
def page(client_for, coordinator_a, municipalities, monkeypatch):
    """``page(stock, data=None, language="en")``: the form as the intake renders it, or with
    Django's stock Select rendering (``stock=True``), GET or POSTed with ``data``."""
    client = client_for(coordinator_a)

    def render(stock: bool, data: dict | None = None, language: str = "en") -> str:
        with monkeypatch.context() as patch, contextlib.ExitStack() as stack:
            if stock:
                patch.setattr(InlineOptionsSelect, "render", forms.Select.render)
                patch.setattr(rendering, "kept_form_html", lambda form: None)
                stack.enter_context(override_settings(TEMPLATES=crispys_own_templates()))
                stack.callback(forget_crispys_templates)
                forget_crispys_templates()
            headers = {"HTTP_ACCEPT_LANGUAGE": language}
            client.cookies.pop("django_language", None)
            if data is None:
                response = client.get(URL, **headers)
            else:
                response = client.post(URL, data, **headers)
        assert response.status_code == 200
        return form_html(response)

    return render


def crispys_own_templates() -> list[dict]:
    """The project's template settings with crispy-bootstrap5's own help_text_and_errors.html
    in place of the project's (templates/bootstrap5/layout/)."""
    name = "bootstrap5/layout/help_text_and_errors.html"
    own = Path(crispy_bootstrap5.__file__).parent / "templates" / name
    engine = copy.deepcopy(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", {name: own.read_text()}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    return [engine, *settings.TEMPLATES[1:]]


def forget_crispys_templates() -> None:
    # crispy-forms keeps the templates it loaded, with the engine that loaded them.
    crispy_forms.utils.default_field_template.cache_clear()
    crispy_forms_tags.whole_uni_form_template.cache_clear()
    crispy_forms_tags.whole_uni_formset_template.cache_clear()


def same_to_a_user(ours: str, djangos: str) -> None:
    assert parse_html(ours) == parse_html(djangos)


def test_empty_form_is_the_same_as_djangos_rendering(page):
    ours = page(stock=False)
    assert ours.count("<option") > 1000  # the four country lists and the others
    same_to_a_user(ours, page(stock=True))


def test_form_with_errors_keeps_every_selected_value_as_django_does(page, staff_data):
    data = staff_data(
        estimated_age="not a number",
        nationality="SY",
        country_of_birth="TR",
        id_document_country="SY",
        gender="male",
        sector="agriculture",
        exploitation_forms=["labour"],
        exploitation_municipality="GM0599",  # Rotterdam
        shelter_requested="",
    )
    ours = page(stock=False, data=data)
    assert "is-invalid" in ours
    assert '<option value="SY" selected>Syria</option>' in ours
    assert '<option value="GM0599" selected>Rotterdam</option>' in ours
    same_to_a_user(ours, page(stock=True, data=data))


def test_an_unknown_value_selects_nothing_and_shows_the_error_as_django_does(page, staff_data):
    data = staff_data(nationality="XX", reporter_type="nobody", region="999999")
    ours = page(stock=False, data=data)
    assert "Select a valid choice" in ours
    same_to_a_user(ours, page(stock=True, data=data))


def test_each_language_has_its_own_options(page):
    english = page(stock=False, language="en")
    dutch = page(stock=False, language="nl")
    assert ">Germany</option>" in english and ">Duitsland</option>" in dutch
    assert ">Duitsland</option>" not in english
    same_to_a_user(dutch, page(stock=True, language="nl"))
    same_to_a_user(page(stock=False, language="en"), english)


def test_regions_and_municipalities_changed_in_the_database_show_at_once(page):
    before = page(stock=False)
    Region.objects.create(code="new", name='Region <"New"> & Co')
    Municipality.objects.filter(code="GM0363").update(name="Amsterdam-Renamed")
    after = page(stock=False)
    assert "Amsterdam-Renamed" not in before
    assert ">Amsterdam-Renamed</option>" in after
    assert "Region &lt;&quot;New&quot;&gt; &amp; Co</option>" in after
    same_to_a_user(after, page(stock=True))
