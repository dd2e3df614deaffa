"""The demo shows what members can show and hide, and what leaving looks like."""
import pytest


@pytest.fixture
def seeded(demo_forum):
    """The demo, loaded on a new forum (see `demo_forum` in tests/conftest.py)."""
    return demo_forum


def test_a_demo_profile_shows_its_public_health_fields_to_visitors(seeded, client):
    page = client.get("/u/maple_walker").get_data(as_text=True)
    assert "Maple (demo)" in page
    assert "Relapsing-remitting" in page or "RRMS" in page
    assert "Somewhere cold (demo)" not in page  # shown to members only


def test_a_demo_profile_keeps_a_private_year_from_other_members(seeded, client, login):
    login("maple_walker", "outflow-demo-password")
    page = client.get("/u/river_fern").get_data(as_text=True)
    assert "Fern (demo)" in page
    assert "2014" not in page


def test_the_demo_has_a_former_members_kept_reply(seeded, client):
    page = client.get("/").get_data(as_text=True)
    thread = client.get("/c/introductions").get_data(as_text=True)
    assert page and thread
    hello = [line for line in thread.splitlines() if "Hello from a new member" in line]
    link = hello[0].split('href="')[1].split('"')[0]
    body = client.get(link).get_data(as_text=True)
    assert "former member" in body
    assert "willow_leaving_demo" not in body
    assert "I keep this reply here" in body.replace("\n", " ")


def test_the_demo_seller_bio_is_cleared_with_its_history_kept(seeded, client, login):
    login("quiet_heron", "outflow-demo-password")
    history = client.get("/mod/users/miracle_seller_demo/profile").get_data(as_text=True)
    assert "cured my MS" in history
    profile = client.get("/u/miracle_seller_demo").get_data(as_text=True)
    assert "cured my MS" not in profile


def test_a_demo_member_reads_with_large_text_in_high_contrast(seeded, client, login):
    login("slow_tortoise", "outflow-demo-password")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" class="text-150 theme-high-contrast">' in page
