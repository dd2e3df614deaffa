"""The demo leaves demo members something to find on their notifications page."""
import pytest

DEMO_PASSWORD = "outflow-demo-password"


@pytest.fixture
def seeded(demo_forum):
    """The demo, loaded on a new forum (see `demo_forum` in tests/conftest.py)."""
    return demo_forum


def test_a_demo_author_finds_grouped_reactions_and_a_quote(seeded, client, login):
    login("slow_tortoise", DEMO_PASSWORD)
    page = client.get("/notifications").get_data(as_text=True)
    assert "2 people found your post" in page
    assert "quoted" in page


def test_a_demo_member_finds_a_mention_and_a_bookmark(seeded, client, login):
    login("maple_walker", DEMO_PASSWORD)
    assert "mentioned" in client.get("/notifications").get_data(as_text=True)
    assert "Had venous angioplasty" in client.get("/bookmarks").get_data(as_text=True)
