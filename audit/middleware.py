"""Audit middleware: the current request for the signal handlers, refusals, 403s and scoped 404s."""
from audit.models import AuditEvent
from audit.trail import _current, audit_event


class AuditMiddleware:
    """Makes the request visible to the audit signal handlers; records refusals and 403 responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._audit_pending = []
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        pending, request._audit_pending = request._audit_pending, None
        for kwargs in pending:
            audit_event(request, AuditEvent.Action.REFUSED, **kwargs)
        if response.status_code == 403 and not pending:
            audit_event(request, AuditEvent.Action.REFUSED, success=False, label=request.path[:300],
                        message=f"拒绝访问（403）：{request.method} {request.path}"[:500])
        return response

ID_KWARG_SUFFIXES = ("pk", "_id")


def _takes_an_id(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return any(name == "id" or name.endswith(ID_KWARG_SUFFIXES) for name in match.kwargs)


class ScopedNotFoundAuditMiddleware:
    """Record a 404 on an id-taking URL for a signed-in user as a refusal in the audit trail.

    Another unit's object is a 404 by design (the scoped queryset does not find it). Views that use
    audit.models.get_scoped_or_404 record the refusal themselves, with the object; for every other
    view this middleware records it from the URL, so probing other units' ids always leaves a trace.
    Placed after AuditMiddleware, so a refusal the view already queued is not written twice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or not _takes_an_id(request):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        pending = getattr(request, "_audit_pending", None)
        label = request.path[:300]
        message = f"拒绝访问（404）：{request.method} {request.path}"[:500]
        if pending is None:
            audit_event(request, AuditEvent.Action.REFUSED, success=False, label=label, message=message)
        elif not pending:
            pending.append({"obj": None, "label": label, "success": False, "message": message})
        return response
