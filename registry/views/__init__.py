"""Views of the registry app: the home page, the coordinators' and help desk's workspace."""

from registry.views.audit import audit_trail
from registry.views.cases import case_detail, case_edit, case_list, case_take
from registry.views.handovers import (
    handover_decide,
    handover_detail,
    handover_list,
    handover_request,
    handover_withdraw,
)
from registry.views.helpdesk import helpdesk
from registry.views.home import DESTINATIONS, Destination, destinations_for, home

__all__ = [
    "DESTINATIONS",
    "Destination",
    "audit_trail",
    "case_detail",
    "case_edit",
    "case_list",
    "case_take",
    "destinations_for",
    "handover_decide",
    "handover_detail",
    "handover_list",
    "handover_request",
    "handover_withdraw",
    "helpdesk",
    "home",
]
