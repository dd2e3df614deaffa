"""Download your data: a member asks, the job builds the file, they are mailed and download
it; only they can, only while it lasts; a pending export blocks a second; expiry purges."""
from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from forum.accounts import export as exports
from forum.accounts.models import DataExport
from forum.timeutil import utcnow
from support import submit


@pytest.fixture
def member(make, login):
    member = make.user("willow")
    login(member)
    return member


def rows(db) -> list[DataExport]:
    db.session.expire_all()
    return list(db.session.scalars(select(DataExport).order_by(DataExport.id)))


def ask(client):
    return submit(client, "/settings/export")


def ready_export(db, member) -> DataExport:
    """An export asked for through the service; committing runs its job inline."""
    export = exports.request_export(member)
    db.session.commit()
    db.session.refresh(export)
    return export


def test_asking_for_an_export_builds_it_and_mails_the_member_a_link(db, client, member,
                                                                    outbox):
    response = ask(client)

    assert response.status_code == 302
    [export] = rows(db)
    assert export.status == "ready"
    assert export.size_bytes == exports.path_of(export).stat().st_size > 0
    assert export.expires_at == export.ready_at + timedelta(days=7)
    [message] = outbox()
    assert message["To"] == "willow@example.org"
    assert "http://localhost/settings/export\n" in message.get_body().get_content()


def test_the_export_page_offers_the_download_of_a_ready_export(db, client, member):
    ask(client)
    [export] = rows(db)

    page = client.get("/settings/export").get_data(as_text=True)

    assert f"/settings/export/{export.id}/download" in page
    assert "Ready" in page


def test_the_member_downloads_the_zip_privately_named_after_them(db, client, member):
    ask(client)
    [export] = rows(db)

    response = client.get(f"/settings/export/{export.id}/download")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"outflow-export-willow-{export.ready_at:%Y-%m-%d}.zip" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    names = zipfile.ZipFile(BytesIO(response.data)).namelist()
    assert sorted(names) == ["README.txt", "outflow-export.html", "outflow-export.json"]


def test_another_member_gets_404_for_someone_elses_export(db, make, browser):
    owner = make.user("owner")
    export = ready_export(db, owner)

    response = browser(make.user("nosy")).get(f"/settings/export/{export.id}/download")

    assert response.status_code == 404


def test_an_expired_export_cannot_be_downloaded(db, client, member):
    export = ready_export(db, member)
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    response = client.get(f"/settings/export/{export.id}/download")

    assert response.status_code == 409
    assert "expired" in response.get_data(as_text=True)


def test_an_export_not_ready_yet_cannot_be_downloaded(db, client, member):
    export = DataExport(user_id=member.id, status="pending", file_name="not-yet.zip")
    db.session.add(export)
    db.session.commit()

    response = client.get(f"/settings/export/{export.id}/download")

    assert response.status_code == 409


def test_purge_expired_deletes_the_file_and_the_row(db, make):
    member = make.user("willow")
    expired, current = ready_export(db, member), ready_export(db, member)
    expired_path, current_path = exports.path_of(expired), exports.path_of(current)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    purged = exports.purge_expired(utcnow())
    db.session.commit()

    assert purged == 1
    assert [row.id for row in rows(db)] == [current.id]
    assert not expired_path.exists() and current_path.exists()


def test_the_purge_command_removes_expired_exports(db, make, app):
    export = ready_export(db, make.user("willow"))
    path = exports.path_of(export)
    export.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["forum", "purge-expired"])

    assert result.exit_code == 0, result.output
    assert "Deleted 1 expired export" in result.output
    assert rows(db) == [] and not path.exists()


def test_a_pending_export_blocks_a_second_request(db, client, member):
    db.session.add(DataExport(user_id=member.id, status="pending", file_name="pending.zip"))
    db.session.commit()

    response = ask(client)

    assert response.status_code == 409
    assert "still being prepared" in response.get_data(as_text=True)
    assert len(rows(db)) == 1


def test_the_page_says_an_export_is_being_prepared_instead_of_offering_another(
        db, client, member):
    db.session.add(DataExport(user_id=member.id, status="pending", file_name="pending.zip"))
    db.session.commit()

    page = client.get("/settings/export").get_data(as_text=True)

    assert "Your export is being prepared" in page
    assert "Prepare my export" not in page


def test_a_suspended_member_can_export(db, make, browser):
    suspended = make.suspended("quiet")

    response = submit(browser(suspended), "/settings/export")

    assert response.status_code == 302
    [export] = rows(db)
    assert (export.user_id, export.status) == (suspended.id, "ready")


def test_running_the_job_again_makes_no_second_file_nor_mail(db, make, outbox):
    member = make.user("willow")
    export = ready_export(db, member)
    before = (export.ready_at, export.size_bytes)

    exports.build_export(export.id)
    db.session.commit()

    assert len(list(exports.exports_folder().iterdir())) == 1
    assert len(outbox()) == 1
    db.session.refresh(export)
    assert (export.ready_at, export.size_bytes) == before


def test_a_retried_build_writes_the_same_file_once(db, make):
    member = make.user("willow")
    export = exports.request_export(member)
    db.session.flush()
    exports.build_export(export.id)
    # As if the first attempt's commit was lost: the row is pending again.
    export.status, export.ready_at, export.expires_at = "pending", None, None
    exports.build_export(export.id)
    db.session.commit()

    assert [path.name for path in exports.exports_folder().iterdir()] == [export.file_name]
    assert rows(db)[0].status == "ready"


def test_a_build_that_fails_is_marked_failed_and_leaves_no_file(db, make, outbox,
                                                                monkeypatch):
    def broken(path, member, generated_at):
        path.write_bytes(b"half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_zip", broken)
    ready = ready_export(db, make.user("willow"))

    assert ready.status == "failed"
    assert list(exports.exports_folder().iterdir()) == []
    assert outbox() == []


def test_a_failed_export_does_not_block_asking_again(db, client, member):
    db.session.add(DataExport(user_id=member.id, status="failed", file_name="failed.zip"))
    db.session.commit()

    response = ask(client)

    assert response.status_code == 302
    assert [row.status for row in rows(db)] == ["failed", "ready"]


def test_visitors_are_sent_to_sign_in(db, browser):
    response = browser().get("/settings/export")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0
