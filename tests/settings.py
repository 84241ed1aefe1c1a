"""Tests run the production settings module; this only supplies the environment it needs.

DEBUG stays off (as in production), plain HTTP on 127.0.0.1, static files without a manifest.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-key-not-a-secret-0123456789abcdef")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from rpjmd.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405

WHITENOISE_USE_FINDERS = True  # no collectstatic in tests: serve from static/ directly
# Files are looked up per request: otherwise every test Client, whose handler builds the
# middleware anew, walks every finder's files first (17,000 of them, 60 % of a request's time).
WHITENOISE_AUTOREFRESH = True

# Each test process its own heavy-work slots: parallel test processes reuse user ids.
HEAVY_WORK_LOCK_DIR = tempfile.mkdtemp(prefix="rpjmd-heavy-")
