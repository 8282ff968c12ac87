"""The staff intake's steps on the server (issue 15, items 2 and 3): each "Next" checks the
steps before the one it goes to with the save's own validation, an error summary with links
to the fields, "Fout:" in the title, a step list that agrees with the headings, a check page
whose "Change" returns to it, and nothing the browser sends (a step number, the furthest step
reached, a field to change, a foreign id) gets a step past the checks."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import pytest

from registry.models import AuditEvent, Person, Registration
from tests.intake.conftest import planted
from tests.intake.formstate import assert_round_trip

pytestmark = pytest.mark.django_db

URL = "/intake/register/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, data, headers=None, **fields):
    return client.post(URL, {**data, **fields}, **(headers or {}))


def shown_step(response) -> int:
    """The step the page shows: the one fieldset without the hidden attribute (the check
    page: 6)."""
    html = response.content.decode()
    if response.templates[0].name == "intake/review.html":
        return 6
    shown = re.findall(r'<fieldset\s+class="intake-step"\s+data-step="(\d)"\s*>', html)
    assert len(shown) == 1, shown
    return int(shown[0])


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def summary_links(response) -> list[str]:
    html = response.content.decode()
    if 'id="error-summary"' not in html:
        return []
    box = html[html.index('id="error-summary"') :]
    box = box[: box.index("</ul>")]
    return re.findall(r'<a href="#([^"]+)"', box)


def nothing_saved() -> None:
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["create", "link_person"]).exists()


def step_one_empty(staff_data):
    return staff_data(reporter_type="", region="")


# Next checks the steps before it ---------------------------------------------------------------


def test_next_on_step_1_with_its_required_fields_empty_stays_on_step_1(
    client_for, coordinator_a, staff_data
):
    response = post(client_for(coordinator_a), step_one_empty(staff_data), step="2")
    assert response.status_code == 200
    assert shown_step(response) == 1
    assert summary_links(response) == ["id_reporter_type", "id_region"]
    html = response.content.decode()
    # The summary comes first in the page's content and takes the focus.
    main = html[html.index("<main") :]
    assert main.index('id="error-summary"') < main.index("<h1")
    assert re.search(r'id="error-summary"[^>]*tabindex="-1"[^>]*autofocus', html)
    assert title(response).startswith("Fout: Stap 1 van 6")
    nothing_saved()


def test_the_error_title_is_english_in_english(client_for, coordinator_a, staff_data):
    response = post(client_for(coordinator_a), step_one_empty(staff_data), step="2", headers=EN)
    assert title(response).startswith("Error: Step 1 of 6: Urgency and reporter")
    assert "There is a problem" in response.content.decode()


def test_the_summary_names_each_field_with_its_message(client_for, coordinator_a, staff_data):
    response = post(client_for(coordinator_a), step_one_empty(staff_data), step="2", headers=EN)
    html = response.content.decode()
    box = html[html.index('id="error-summary"') : html.index("</ul>", html.index("error-summary"))]
    assert "Who reported the person? This field is required." in box
    assert "Region: This field is required." in box


def test_next_with_step_1_complete_goes_to_step_2_without_errors_of_later_steps(
    client_for, coordinator_a, staff_data
):
    """Step 3's sector does not fit its forms: not asked yet, so not reported on step 2."""
    data = staff_data(exploitation_forms=["labour"], sector="window")
    response = post(client_for(coordinator_a), data, step="2")
    assert shown_step(response) == 2
    assert summary_links(response) == []
    assert "is-invalid" not in response.content.decode()
    assert title(response).startswith("Stap 2 van 6: De persoon")
    # The new step's heading takes the focus (announced by a screen reader).
    assert re.search(r'<h2[^>]*id="step-2-heading"[^>]*tabindex="-1" autofocus', response.text)
    # ... and step 3's error is there once step 3's "Next" is pressed.
    response = post(client_for(coordinator_a), data, step="4", reached="3")
    assert shown_step(response) == 3
    assert summary_links(response) == ["id_sector"]


def test_each_step_uses_the_rules_of_the_save(client_for, coordinator_a, staff_data):
    """A rule of registering.check across steps: the age (step 2) with the registration date
    (step 1) puts the year of birth before 1880; the error is step 2's, on the age."""
    data = staff_data(registered_on="1850-06-01", date_of_birth="", estimated_age="30")
    client = client_for(coordinator_a)
    assert shown_step(post(client, data, step="2")) == 2  # step 1 alone is fine
    response = post(client, data, step="3", reached="2")
    assert shown_step(response) == 2
    assert summary_links(response) == ["id_estimated_age"]
    assert "1880" in response.context["form"].errors["estimated_age"][0]


def test_every_typed_value_travels_with_each_step(client_for, coordinator_a, staff_data):
    data = staff_data(
        given_names=planted("Given"),
        family_name=planted("Family"),
        address=planted("Street"),
        exploitation_start="2024-01-02",
        reporter_type="",  # the error that stops the form on step 1
    )
    response = post(client_for(coordinator_a), data, step="5", reached="5")
    assert shown_step(response) == 1
    assert_round_trip(response.content.decode(), data)


def test_back_goes_to_the_step_before_without_complaining_about_the_step_shown(
    client_for, coordinator_a, staff_data
):
    data = staff_data(date_of_birth="2999-01-01")  # step 2 wrong
    response = post(client_for(coordinator_a), data, step="1", reached="2")
    assert shown_step(response) == 1
    assert summary_links(response) == []


# Tampered steps -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "step", ["3", "5", "6", "review", "save", "99", "0", "-1", "abc", "５", ""]
)
@pytest.mark.parametrize("reached", ["", "6", "999", "x"])
def test_no_step_value_passes_a_step_with_errors(
    client_for, coordinator_a, staff_data, step, reached
):
    """Step 1 is incomplete: whatever step number the POST names, and whatever it says was
    reached, the form stops on step 1 with its errors and saves nothing."""
    response = post(
        client_for(coordinator_a),
        step_one_empty(staff_data),
        step=step,
        reached=reached,
        person_choice="new",
    )
    assert response.status_code == 200
    assert shown_step(response) == 1
    assert summary_links(response) == ["id_reporter_type", "id_region"]
    nothing_saved()


@pytest.mark.parametrize("step", ["99", "abc", "５", "6"])
def test_an_unknown_step_value_with_valid_values_shows_the_check_and_saves_nothing(
    client_for, coordinator_a, staff_data, step
):
    response = post(client_for(coordinator_a), staff_data(), step=step, person_choice="new")
    assert response.status_code == 200
    assert shown_step(response) == 6
    nothing_saved()


def test_a_save_with_an_error_on_a_later_step_stops_there(client_for, coordinator_a, staff_data):
    data = staff_data(consent_signed_by="")  # step 5: consent without a signer
    response = post(client_for(coordinator_a), data, step="save", person_choice="new")
    assert shown_step(response) == 5
    assert summary_links(response) == ["id_consent_signed_by"]
    nothing_saved()


def test_reached_only_decides_which_steps_are_buttons(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    first = post(client, staff_data(), step="1").content.decode()
    assert re.findall(r'name="step" value="(\d|review)" class="intake-step-item', first) == []
    told = post(client, staff_data(), step="1", reached="6").content.decode()
    assert re.findall(r'name="step" value="(\d|review)" class="intake-step-item', told) == [
        "2",
        "3",
        "4",
        "5",
        "review",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "999999"}, "region"),
        ({"region": str(uuid.uuid4())}, "region"),
        ({"region": "inactive"}, "region"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "'; DROP TABLE x; --"}, "organisation"),
        ({"exploitation_municipality": "GM9999"}, "exploitation_municipality"),
        ({"reporter_type": "minister"}, "reporter_type"),
        ({"exploitation_forms": ["sexual", "nonsense"]}, "exploitation_forms"),
    ],
)
def test_foreign_ids_stop_their_step_with_the_field_linked(
    client_for, coordinator_a, staff_data, region_b, overrides, field
):
    from intake.forms import StaffRegistrationForm

    if overrides.get("region") == "inactive":
        region_b.is_active = False
        region_b.save()
        overrides = {"region": str(region_b.pk)}
    response = post(client_for(coordinator_a), staff_data(**overrides), step="save", reached="6")
    assert response.status_code == 200
    step = StaffRegistrationForm.step_of(field)
    assert shown_step(response) == step
    form = response.context["form"]
    assert summary_links(response)[0] == form.anchor(field)
    nothing_saved()


# The step list and the headings agree ---------------------------------------------------------


class _Steps(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []
        self._in_nav = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and a.get("id") == "step-nav":
            self._in_nav = True
        elif self._in_nav and "intake-step-item" in (a.get("class") or ""):
            self.items.append({"tag": tag, **{k: v or "" for k, v in a.items()}})

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = False


def step_items(html: str) -> list[dict[str, str]]:
    parser = _Steps()
    parser.feed(html)
    return parser.items


def test_the_step_list_agrees_with_the_heading_on_every_page(client_for, coordinator_a, staff_data):
    client = client_for(coordinator_a)
    pages = [client.get(URL)] + [
        post(client, staff_data(), step=str(n), reached=str(n)) for n in range(2, 6)
    ]
    pages.append(post(client, staff_data(), step="review", reached="5"))
    for number, response in enumerate(pages, start=1):
        html = response.content.decode()
        items = step_items(html)
        assert len(items) == 6
        current = [i for i, item in enumerate(items, start=1) if item.get("aria-current")]
        assert current == [number]
        assert f"Stap {number} van 6" in html
        assert not re.search(r"Stap \d van (?!6)", html)
        assert title(response).startswith(f"Stap {number} van 6")
        # Steps reached are buttons, the others are not focusable at all.
        for i, item in enumerate(items, start=1):
            if i < number:
                assert item["tag"] == "button", (number, i)
            elif i > number:
                assert item["tag"] == "span" and "tabindex" not in item
        assert 'role="button"' not in html


def test_enter_presses_next_the_first_submit_button_of_the_form(
    client_for, coordinator_a, staff_data
):
    """A browser's Enter in a text field presses the form's first submit button: "Next"."""
    client = client_for(coordinator_a)
    for response, wanted in (
        (client.get(URL), "2"),
        (post(client, staff_data(), step="3"), "4"),
        (post(client, staff_data(), step="5"), "review"),
    ):
        html = response.content.decode()
        form = html[html.index('id="intake-form"') :]
        first = re.search(r"<button[^>]*>", form).group(0)
        assert 'type="submit"' in first
        assert f'name="step" value="{wanted}"' in first
        assert 'tabindex="-1"' in first and 'aria-hidden="true"' in first


# Labels and errors tied to their inputs --------------------------------------------------------


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)


def test_every_input_has_a_label_and_errors_are_described_by(client_for, coordinator_a, staff_data):
    response = post(
        client_for(coordinator_a),
        staff_data(
            exploitation_start="2024-05-01", exploitation_end="2024-01-01", sector="hospitality"
        ),
        step="4",
        reached="3",
    )
    html = response.content.decode()
    # The step shown (the others are hidden, their inputs only carry what was typed).
    shown = re.search(r'<fieldset\s+class="intake-step"\s+data-step="3"\s*>', html).start()
    end = html.index('<fieldset class="intake-step" data-step="4" hidden>', shown)
    form = html[shown:end]
    parser = _Controls()
    parser.feed(form)
    assert len(parser.controls) > 25
    for control in parser.controls:
        assert control.get("id") in parser.label_for or control.get("aria-label"), control
    by_id = {c["id"]: c for c in parser.controls}
    for name in ("sector", "exploitation_end"):
        control = by_id[f"id_{name}"]
        assert control.get("aria-invalid") == "true"
        described = control["aria-describedby"].split()
        assert f"id_{name}_error" in described
        assert f'id="id_{name}_error"' in html


# The check page and its Change buttons ------------------------------------------------------


def test_the_check_page_has_a_change_button_per_answer(client_for, coordinator_a, staff_data):
    response = post(client_for(coordinator_a), staff_data(), step="review")
    html = response.content.decode()
    changes = re.findall(r'<button type="submit" name="change" value="(\w+)"', html)
    rows = [row["name"] for answer in response.context["answers"] for row in answer["rows"]]
    assert changes == rows
    assert "family_name" in changes and "consent_signed_by" in changes
    assert title(response).startswith("Stap 6 van 6: Controleren en opslaan")


def test_change_opens_the_answers_step_with_the_field_focused_and_returns_to_the_check(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    data = staff_data()
    response = post(client, data, change="family_name", reached="6")
    assert shown_step(response) == 2
    html = response.content.decode()
    assert re.search(
        r'<input[^>]*name="family_name"[^>]*autofocus|autofocus[^>]*name="family_name"', html
    )
    assert '<input type="hidden" name="back_to_check" value="1">' in html
    assert re.search(r'name="step" value="review" class="btn btn-primary" id="step-next"', html)
    # The change is typed; "Return to the check" (or Enter) comes back to the check page.
    response = post(client, {**data, "family_name": "Ionescu"}, step="review", back_to_check="1")
    assert shown_step(response) == 6
    assert "Ionescu" in response.content.decode()
    nothing_saved()


def test_a_change_that_breaks_another_step_stops_there_on_the_way_back(
    client_for, coordinator_a, staff_data
):
    """From the check, the registration date changed to 1850 (step 1): the age of step 2 no
    longer fits, so "Return to the check" stops on step 2, still on the way back."""
    client = client_for(coordinator_a)
    data = staff_data(date_of_birth="", estimated_age="30", consent_signed_by="victim")
    assert shown_step(post(client, data, change="registered_on", reached="6")) == 1
    response = post(
        client, {**data, "registered_on": "1850-06-01"}, step="review", back_to_check="1"
    )
    assert shown_step(response) == 2
    assert summary_links(response) == ["id_estimated_age"]
    assert '<input type="hidden" name="back_to_check" value="1">' in response.content.decode()


@pytest.mark.parametrize("change", ["nonsense", "__all__", "step", "person_choice", "<b>x</b>"])
def test_a_tampered_change_is_ignored(client_for, coordinator_a, staff_data, change):
    response = post(client_for(coordinator_a), staff_data(), change=change)
    assert response.status_code == 200
    assert shown_step(response) == 6
    assert "<b>x</b>" not in response.content.decode()
    nothing_saved()


def test_a_change_with_save_saves_nothing(client_for, coordinator_a, staff_data):
    """A POST that names both a field to change and the save (no button sends both) opens
    the field's step: the save needs the save button alone."""
    response = post(
        client_for(coordinator_a), staff_data(), change="phone", step="save", person_choice="new"
    )
    assert shown_step(response) == 2
    nothing_saved()


@pytest.mark.parametrize("value", ["0", "6", "7", "abc"])
def test_a_tampered_change_step_goes_to_the_check(client_for, coordinator_a, staff_data, value):
    response = post(client_for(coordinator_a), staff_data(), change_step=value)
    assert shown_step(response) == 6
    nothing_saved()


def test_add_or_change_a_whole_step_returns_to_the_check(client_for, coordinator_a, staff_data):
    response = post(client_for(coordinator_a), staff_data(), change_step="4")
    assert shown_step(response) == 4
    assert '<input type="hidden" name="back_to_check" value="1">' in response.content.decode()


def test_the_check_page_error_for_the_person_choice_is_a_summary_too(
    client_for, coordinator_a, staff_data
):
    client = client_for(coordinator_a)
    assert post(client, staff_data(), step="save", person_choice="new").status_code == 302
    # The same person again: a likely match, and a choice of nobody offered.
    response = post(client, staff_data(), step="save", person_choice=str(uuid.uuid4()), reached="6")
    assert response.status_code == 200
    assert shown_step(response) == 6
    assert title(response).startswith("Fout: Stap 6 van 6")
    [anchor] = summary_links(response)
    assert f'id="{anchor}"' in response.content.decode()
    assert Registration.objects.count() == 1
