"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py)."""

from tests.authz_matrix import Route

ROUTES: dict[str, Route] = {}
