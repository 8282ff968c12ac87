"""Views of the registry app: the coordinators' and help desk's workspace, the audit trail."""

from registry.views.audit import audit_trail
from registry.views.cases import case_detail, case_edit, case_list, case_note_add, case_take
from registry.views.handovers import (
    handover_decide,
    handover_detail,
    handover_list,
    handover_request,
    handover_withdraw,
)
from registry.views.helpdesk import helpdesk
from registry.views.jobs import job_detail, job_download, job_list
from registry.views.people import person_detail, person_edit

__all__ = [
    "audit_trail",
    "case_detail",
    "case_edit",
    "case_list",
    "case_note_add",
    "case_take",
    "handover_decide",
    "handover_detail",
    "handover_list",
    "handover_request",
    "handover_withdraw",
    "helpdesk",
    "job_detail",
    "job_download",
    "job_list",
    "person_detail",
    "person_edit",
]
