"""The apps tests make beyond the `app` fixture, closed after each test.

One list in a module of its own: pytest imports tests/conftest.py as `conftest`, while test
modules import `tests.conftest`, which makes a second copy of that module. A list kept in
conftest would exist twice and the apps made through the other copy would never be closed,
leaving their database connections open until the server refuses new ones.
"""

made: list = []
