"""Embedded mode: bring up every real component on one machine without Docker.

Used by ``./perimeter run`` and by the test suite's fixtures, so tests exercise
exactly the services a user runs. Nothing here imports Django settings: it runs
before the database exists.
"""
