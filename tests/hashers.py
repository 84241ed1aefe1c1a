"""Password hashing for the test run only."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id as production stores it ("argon2$argon2id$…"), at the lowest cost: production's
    100 MB and 2 passes per hash made each load of the demo's users 1.9 s, paid by every module
    and browser test that loads the demo. Passwords hashed in the run are checked with the same
    class, and nothing leaves the test database."""

    time_cost = 1
    memory_cost = 8  # KiB, the least Argon2 allows for one lane
    parallelism = 1
