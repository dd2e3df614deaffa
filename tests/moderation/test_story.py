"""The issue's closing story, end to end through the pages of three people."""
from support import link_in, submit


def test_a_report_reaches_the_queue_is_resolved_the_author_is_told_and_the_log_shows_it(
        make, mod_category, author, reporter, moderator, browser, outbox):
    thread = make.thread(category=mod_category, author=author, title="A cure at last?",
                         body="This clinic's liberation procedure cured my MS completely.")
    post_id = thread.last_post_id

    as_reporter = browser(reporter)
    response = submit(as_reporter, f"/p/{post_id}/report",
                      {"reason": "misinformation", "note": "Claims a cure"})
    assert response.status_code == 302

    as_moderator = browser(moderator)
    queue = as_moderator.get("/mod/reports").get_data(as_text=True)
    assert "Medical misinformation" in queue and "Claims a cure" in queue
    response = submit(as_moderator, f"/mod/posts/{post_id}/hide?next=/mod/reports",
                      {"reason": "Unsupported cure claim"}, form_page="/mod/reports")
    assert response.status_code == 302
    assert "No open reports" in as_moderator.get("/mod/reports").get_data(as_text=True)

    as_author = browser(author)
    page = as_author.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "New notices" in page and "Unsupported cure claim" in page
    (mail,) = [m for m in outbox() if m["To"] == author.email]
    assert "Unsupported cure claim" in mail.get_body().get_content()
    assert link_in(mail, "http://localhost/p/").endswith(f"/p/{post_id}")

    log = as_moderator.get("/mod/log?action=post.hide").get_data(as_text=True)
    assert "warden" in log and "Unsupported cure claim" in log
