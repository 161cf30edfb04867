"""Django's database sessions, written in fewer statements: a questionnaire step, which
saves its session each time, costs one UPDATE instead of three statements, and a new
session one INSERT without a query before it.

- An update is one statement, atomic by itself: Django wraps it in a transaction for the
  sake of the insert, whose failure must not break a surrounding transaction.
- A new key is not looked up first: the table's primary key refuses the 1-in-2^165 clash,
  and Django's `create()` then draws another.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, UpdateError
from django.db import DatabaseError, router
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        row = self.create_model_instance(self._get_session())
        try:
            row.save(force_update=True, using=router.db_for_write(self.model, instance=row))
        except DatabaseError as error:  # the row is gone: deleted, or expired and cleared
            raise UpdateError from error

    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)
