"""A user's background jobs: the list of recent ones, one job's page, its result file."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from registry import jobs
from registry.access import requires, signed_in
from registry.models import Job

RECENT_JOBS = 20
# Seconds between the looks the page of an unfinished job takes at it.
REFRESH_SECONDS = 2


def _get_job_for_user(request: HttpRequest, pk: uuid.UUID) -> Job:
    return get_object_or_404(Job.objects.for_user(request.user), pk=pk)


@requires(signed_in)
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's recent jobs, newest first."""
    jobs.abandon_stale()
    recent = Job.objects.for_user(request.user).recent()[:RECENT_JOBS]
    return render(request, "registry/job_list.html", {"jobs": recent})


@requires(signed_in)
@require_GET
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Where a job stands: status, progress bar, and when it is done its result. A few lines
    of local script (static/js/job_progress.js) fetch the page again every REFRESH_SECONDS
    and put the new state in place until the job has finished (a reload would lose the
    reader's place and make a screen reader start again); without script, a link reloads."""
    job = _get_job_for_user(request, pk)
    if job.status == Job.Status.RUNNING and jobs.abandon_stale():
        job.refresh_from_db()
    result_file = job.result_file() if job.status == Job.Status.DONE else None
    context = {
        "job": job,
        "result_file": result_file,
        "may_download": result_file is not None and jobs.may_download(request, job),
        "refresh": REFRESH_SECONDS,
    }
    return render(request, "registry/job_detail.html", context)


@requires(signed_in)
@require_GET
def job_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The job's result file, for its owner, while it lasts: after it 404, or 410 Gone with the
    job's page for a kind that keeps its file for a period the user was told (the personal
    export's 7 days)."""
    job = _get_job_for_user(request, pk)
    result_file = job.result_file() if job.status == Job.Status.DONE else None
    if result_file is None and jobs.expires_gone(job):
        context = {"job": job, "result_file": None, "gone": True, "refresh": REFRESH_SECONDS}
        return render(request, "registry/job_detail.html", context, status=410)
    if result_file is None:
        raise Http404
    if not jobs.may_download(request, job):
        raise PermissionDenied
    result_file.refresh_from_db(fields=["content"])
    response = HttpResponse(jobs.read_file(result_file), content_type=result_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result_file.name}"'
    response["Cache-Control"] = "no-store"
    return response
