"""Behind a reverse proxy, rate limits count the real client, not the proxy."""
import pytest

from support import csrf_from

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute"}


def login_from(client, address: str):
    page = client.get("/login", headers={"X-Forwarded-For": address})
    return client.post("/login", data={"login": "nobody", "password": "wrong password",
                                       "csrf_token": csrf_from(page.get_data(as_text=True))},
                       headers={"X-Forwarded-For": address})


@pytest.mark.parametrize("config_overrides", [{**LIMITED, "TRUSTED_PROXIES": 1}], indirect=True)
def test_each_forwarded_client_has_its_own_login_limit(client):
    statuses = [login_from(client, "203.0.113.7").status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert login_from(client, "198.51.100.9").status_code == 422


@pytest.mark.parametrize("config_overrides", [{**LIMITED, "TRUSTED_PROXIES": 0}], indirect=True)
def test_without_trusted_proxies_the_forwarded_header_is_ignored(client):
    statuses = [login_from(client, f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [422, 422, 429]
