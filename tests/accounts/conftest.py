"""Factories the staff account pages need: events, the consultation catalogue, advisors."""

from __future__ import annotations

import pytest

from tests.consultations.conftest import book, catalogue, make_advisor  # noqa: F401


@pytest.fixture
def as_user(client):
    """`as_user(user)`: the client, signed in as that person."""
    from tests.conftest import login

    def sign_in(user):
        client.post("/account/logout")
        assert login(client, user).status_code == 302
        return client

    return sign_in
