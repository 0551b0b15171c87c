"""Sessions in the database with a sliding idle timeout that costs no write on most requests.

SESSION_COOKIE_AGE is the idle timeout: a session unused for that long is over. Django slides it with
SESSION_SAVE_EVERY_REQUEST, which writes the session row (an UPDATE in a transaction of its own) on every page.
Here the expiry slides only when the stored one was written SESSION_REFRESH_SECONDS ago or more, so an idle
session ends between SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after its last
request, and a user clicking through pages costs one session write a minute instead of one a page. A session
whose data changed is saved at once, as always.

SESSION_ENGINE = "core.sessions" (the database store, remembering the expiry it read) and
core.sessions.SessionMiddleware in place of Django's.
"""
import datetime

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database store that keeps the expiry date of the row it loaded (read in the same query)."""

    stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    def refresh_due(self) -> bool:
        """Whether the stored expiry was written at least SESSION_REFRESH_SECONDS ago (a session with an expiry
        of its own, set_expiry, is refreshed on every request as Django would)."""
        if self.stored_expiry is None or self.is_empty():
            return False
        if "_session_expiry" in self._session:
            return True
        written = self.stored_expiry - datetime.timedelta(seconds=self.get_session_cookie_age())
        return timezone.now() - written >= datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS)


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (session is not None and session.accessed and not session.modified
                and getattr(session, "refresh_due", lambda: False)()):
            session.modified = True  # saved below like a changed session: the expiry slides forward
        return super().process_response(request, response)
