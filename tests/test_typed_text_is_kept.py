"""A form that cannot be accepted hands back what was typed, whatever the reason."""
import pytest

from support import csrf_from, submit


@pytest.fixture
def config_overrides():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_POST": "1 per minute"}


def test_rate_limited_reply_hands_back_what_was_typed(client, make, login):
    thread = make.thread()
    login(make.user("fern"))
    first = submit(client, f"/t/{thread.id}/reply", {"body": "First reply"},
                   form_page=f"/t/{thread.id}")
    second = submit(client, f"/t/{thread.id}/reply", {"body": "A long second reply"},
                    form_page=f"/t/{thread.id}")
    assert first.status_code == 302
    assert second.status_code == 429
    html = second.get_data(as_text=True)
    assert "Please slow down" in html and "A long second reply" in html
    assert "Retry-After" in second.headers


def test_signed_out_form_post_offers_sign_in_back_to_the_page_it_came_from(client, make):
    thread = make.thread()
    page = client.get("/login")
    response = client.post(f"/t/{thread.id}/reply",
                           data={"body": "Typed while signed out",
                                 "csrf_token": csrf_from(page.get_data(as_text=True))},
                           headers={"Referer": f"http://localhost/t/{thread.id}/{thread.slug}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Typed while signed out" in html
    assert f'href="/login?next=/t/{thread.id}/{thread.slug}"' in html
