from django.dispatch import Signal

# Sent by `seed_demo` after the core demo data exists, inside its transaction, with
# `users` (role name -> User) and `stdout`. Phase apps connect to add their own demo data.
demo_seeded = Signal()
