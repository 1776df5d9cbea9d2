import pytest

from khcn.accounts.services import token_create


@pytest.fixture
def bearer():
    """`bearer(user)`: headers carrying a fresh API token of `user`."""

    def headers(user) -> dict[str, str]:
        _token, key = token_create(actor=user, user=user, name="Kiểm thử")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return headers
