"""Settings for the test suite: the real settings with a fixed key and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-" + "0123456789abcdefghij" * 3)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The production settings, whatever a developer's .env says (`make run` writes DJANGO_DEBUG=1).
os.environ.setdefault("DJANGO_DEBUG", "0")

from hvselect.settings import *  # noqa: E402, F403

# The production settings, HTTPS included; only the redirect is off so that the test client
# and the live server can speak plain HTTP (a test covers the redirect).
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite serves static files from the finders; production uses the hashed manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
