"""PostgreSQL as Django's own backend, with every wait on the server bounded (base.py)."""
