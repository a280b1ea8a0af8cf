"""Google's error bodies: {"error": {"code", "message", "status", "details"}}, plus the legacy `errors` list."""
from __future__ import annotations

STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
          409: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 501: "UNIMPLEMENTED",
          502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
FAULT_MESSAGES = {500: "Internal error encountered.", 502: "Bad Gateway", 503: "The service is currently unavailable.",
                  504: "Deadline expired before operation could complete.", 403: "The caller does not have permission",
                  404: "Requested entity was not found.", 400: "Request contains an invalid argument."}
LEGACY_REASONS = {"INVALID_ARGUMENT": "badRequest", "UNAUTHENTICATED": "authError", "PERMISSION_DENIED": "forbidden",
                  "NOT_FOUND": "notFound", "FAILED_PRECONDITION": "failedPrecondition", "INTERNAL": "backendError",
                  "RESOURCE_EXHAUSTED": "rateLimitExceeded", "UNAVAILABLE": "backendError",
                  "UNIMPLEMENTED": "notImplemented", "DEADLINE_EXCEEDED": "deadlineExceeded", "ABORTED": "aborted"}


class ApiError(Exception):
    """An HTTP error that the fake answers in Google's JSON shape."""

    def __init__(self, code: int, message: str, status: str | None = None, details: list | None = None,
                 domain: str = "global") -> None:
        super().__init__(message)
        self.code, self.message, self.details, self.domain = code, message, details or [], domain
        self.status = status or STATUS.get(code, "UNKNOWN")

    def body(self, legacy: bool = False) -> dict:
        """The JSON body; `legacy` adds the v1 `errors` list that Drive and Gmail still send."""
        error: dict = {"code": self.code, "message": self.message}
        if legacy:
            error["errors"] = [{"message": self.message, "domain": self.domain,
                                "reason": LEGACY_REASONS.get(self.status, "unknown")}]
        error["status"] = self.status
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str, field: str | None = None) -> ApiError:
    """400 INVALID_ARGUMENT, with a BadRequest field violation when the field is known."""
    details = None
    if field is not None:
        details = [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": field, "description": message}]}]
    return ApiError(400, message, details=details)


def not_modelled(what: str) -> ApiError:
    """501 for API features the fake deliberately does not implement (never a silent no-op)."""
    return ApiError(501, f"fake_google does not model {what}")


def quota_exceeded(service: str, read: bool) -> ApiError:
    """429 exactly as Sheets answers a per-minute quota overrun."""
    kind = "Read" if read else "Write"
    metric = f"{service}/{kind.lower()}_requests"
    limit = f"{kind}RequestsPerMinutePerUser"
    message = (f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per minute per user' "
               f"of service '{service}' for consumer 'project_number:000000000000'.")
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": {"quota_location": "global", "quota_metric": metric, "quota_limit": limit,
                             "quota_limit_value": "60", "service": service, "consumer": "projects/000000000000",
                             "quota_unit": "1/min/{project}/{user}"}},
               {"@type": "type.googleapis.com/google.rpc.Help",
                "links": [{"description": "Request a higher quota limit.",
                           "url": "https://cloud.google.com/docs/quotas/help/request_increase"}]}]
    return ApiError(429, message, details=details, domain="usageLimits")


def fault(code: int, service: str, read: bool) -> ApiError:
    """The error an injected fault answers with."""
    if code == 429:
        return quota_exceeded(service, read)
    return ApiError(code, FAULT_MESSAGES.get(code, "Injected fault."))
