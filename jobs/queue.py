"""Run-now requests from the web page and the API, run by the scheduler process."""
from __future__ import annotations

import logging

from app.errors import Interrupted, ServiceError
from app.sheets.masking import mask_personal
from app.wiring import Services

log = logging.getLogger(__name__)


def consume_run_requests(services: Services) -> int:
    """Run every queued request this process can take now, one after another; returns how many it took."""
    taken = 0
    while (request := services.store.claim_run_request()) is not None:
        taken += 1
        log.info("run-now request %s: %s (%s by %s)", request.id, request.job, request.trigger, request.requested_by)
        try:
            outcome = services.run(request.job, trigger=request.trigger, started_by=request.requested_by,
                                   on_start=lambda run_id, rid=request.id: services.store.link_run_request(rid, run_id),
                                   skip_unchanged=True)
        except Interrupted as exc:  # SIGTERM/SIGINT: the run is recorded interrupted; the scheduler stops
            services.store.finish_run_request(request.id, f"interrupted by {exc}", 503)
            raise
        except ServiceError as exc:  # busy workbook, broken layout, removed job: recorded, shown on the page
            services.store.finish_run_request(request.id, mask_personal(str(exc)), exc.http_status)
            log.warning("run-now request %s (%s) stopped: %s", request.id, request.job, exc)
        except Exception as exc:  # noqa: BLE001 - the run is recorded failed; the scheduler must go on
            services.store.finish_run_request(request.id, mask_personal(f"{type(exc).__name__}: {exc}"), 500)
            log.warning("run-now request %s (%s) failed: %s", request.id, request.job, exc)
        else:
            services.store.finish_run_request(request.id)
            log.info("run-now request %s: run %s %s", request.id, outcome.run_id, outcome.status)
    return taken
