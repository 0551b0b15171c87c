"""Response headers every page and download carries: a strict Content-Security-Policy and no caching.

Content-Security-Policy: scripts only from this site's static files (no inline <script>, no on…=
handlers, no eval: the templates keep JavaScript in static/js, and static/js/behaviours.js wires the
few declarative behaviours), nothing from other hosts, no framing, forms post only here. Styles allow
inline `style` attributes and the two <style> blocks some pages still carry; style cannot run code.
A small middleware rather than django-csp: one fixed policy, no nonces, no per-view changes, and the
same middleware sets Cache-Control, so one class owns the security headers.

Cache-Control: no-store on every response Django renders (pages for signed-in users, downloads of
workbooks, documents and evidence, the login page): a shared office computer's browser cache or a proxy
must not keep another unit's ledger. Static files are served by WhiteNoise before this middleware runs
and keep their long cache lifetimes.
"""
from django.conf import settings

DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_header(policy: dict | None = None) -> str:
    policy = policy if policy is not None else getattr(settings, "GOVOPEN_CSP", DEFAULT_POLICY)
    return "; ".join(f"{directive} {value}".strip() for directive, value in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = policy_header()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        return response
