"""The project's URLs plus the load bench's baseline: one signed-in POST that writes one row.

Mounted only by bench/load_settings.py, which only bench/load.py starts gunicorn with; the
production URL configuration (config/urls.py) never has it. The row goes to a table the bench
makes itself (``bench_load_row``), outside the registry's models and migrations.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urlpatterns
from registry.access import requires, signed_in

BASELINE_PATH = "bench/one-row/"


@requires(signed_in)
@require_POST
def one_row(request: HttpRequest) -> HttpResponse:
    """Write one row through the same stack as a save (gunicorn, every middleware, the session,
    the second-factor check, CSRF, ATOMIC_REQUESTS) and answer with its id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_load_row (payload) VALUES (%s) RETURNING id",
            [request.POST.get("payload", "")],
        )
        (row_id,) = cursor.fetchone()
    return HttpResponse(f"saved {row_id}", content_type="text/plain")


urlpatterns = [path(BASELINE_PATH, one_row, name="bench_one_row"), *project_urlpatterns]
