"""Kiosk content sync against a live portal: catalog with ETag, download, sha256, safe unpack, validation,
atomic switch between runs, last-known-good on corrupt or failed downloads, unpublish, heartbeat."""
from __future__ import annotations

import os

import pytest

from experiences.catalog import Catalog
from experiences.sync import ContentSync
from server.portal import publish as publishing
from tests.server.portal_helpers import engine_of, good_zip, kiosk_auth, make_app, signed_in, upload, serving

CHAIN_ID = "org.yuedu.idioms.chain"


@pytest.fixture
def portal(tmp_path):
    app = make_app(tmp_path / "server")
    with serving(app) as url:
        yield app, url


def _upload_and_publish(app, tmp_path, version: str) -> int:
    curator = signed_in(app, "curator", f"cur-{version}")
    location = upload(curator, good_zip(tmp_path, version)).headers["Location"]
    version_id = int(location.rsplit("/", 1)[-1])
    publishing.publish(engine_of(app), version_id, "all", by="test")
    return version_id


def _sync(app, url, tmp_path) -> ContentSync:
    _headers, key, secret = kiosk_auth(app)
    return ContentSync(url, key, secret, packages_dir=tmp_path / "kiosk-packages")


def test_sync_installs_switches_atomically_and_reports(portal, tmp_path):
    app, url = portal
    (tmp_path / "server").mkdir(exist_ok=True)
    sync = _sync(app, url, tmp_path)
    assert sync.check().staged == []
    _upload_and_publish(app, tmp_path, "1.0.1")
    result = sync.check()
    assert result.staged == [CHAIN_ID] and result.errors == {}
    root = tmp_path / "kiosk-packages"
    assert not (root / CHAIN_ID).exists()  # nothing switches while an experience may be running
    assert sync.apply_pending() == [CHAIN_ID]
    link = root / CHAIN_ID
    assert link.is_symlink() and (link / "experience.toml").is_file()
    assert Catalog.scan([root]).get(CHAIN_ID).version == "1.0.1"
    assert sync.check().not_modified  # If-None-Match: 304

    _upload_and_publish(app, tmp_path, "1.0.2")
    assert sync.check().staged == [CHAIN_ID]
    sync.apply_pending()
    assert Catalog.scan([root]).get(CHAIN_ID).version == "1.0.2"
    assert len(list((root / ".versions" / CHAIN_ID).iterdir())) == 1  # the old version was pruned

    assert sync.heartbeat({"disk_free_mb": 42}) is True
    kiosk = publishing.list_kiosks(engine_of(app))[0]
    assert kiosk["report"]["content"] == {CHAIN_ID: "1.0.2"} and kiosk["report"]["health"]["disk_free_mb"] == 42

    for pub in publishing.list_publications(engine_of(app)):
        publishing.unpublish(engine_of(app), pub["id"])
    assert sync.check().removed == [CHAIN_ID]
    sync.apply_pending()
    assert not (root / CHAIN_ID).exists() and Catalog.scan([root]).get(CHAIN_ID) is None


def test_corrupt_download_keeps_the_last_known_good_version(portal, tmp_path):
    app, url = portal
    sync = _sync(app, url, tmp_path)
    _upload_and_publish(app, tmp_path, "1.0.1")
    sync.check()
    sync.apply_pending()
    v2 = _upload_and_publish(app, tmp_path, "1.0.2")
    from server.portal.store import version_row

    stored = app.extensions["yuedu_portal_store"].path_of(version_row(engine_of(app), v2)["sha256"])
    good_bytes = stored.read_bytes()
    stored.write_bytes(good_bytes[: len(good_bytes) // 2])  # a truncated file on the server's disk
    result = sync.check()
    assert CHAIN_ID in result.errors and "sha256" in result.errors[CHAIN_ID]
    assert sync.apply_pending() == []
    root = tmp_path / "kiosk-packages"
    assert Catalog.scan([root]).get(CHAIN_ID).version == "1.0.1"
    assert not [p for p in (root / ".versions" / CHAIN_ID).iterdir() if p.name.startswith(".download-")]
    stored.write_bytes(good_bytes)  # repaired: the next check retries (no ETag was kept)
    assert sync.check().staged == [CHAIN_ID]
    sync.apply_pending()
    assert Catalog.scan([root]).get(CHAIN_ID).version == "1.0.2"


def test_server_down_keeps_content_and_records_the_error(tmp_path):
    sync = ContentSync("http://127.0.0.1:9", "k", "s", packages_dir=tmp_path / "p", timeout=2)
    result = sync.check()
    assert "catalog" in result.errors and sync.apply_pending() == []
    assert sync.heartbeat() is False


def test_invalid_package_with_matching_hash_is_not_installed(portal, tmp_path, monkeypatch):
    app, url = portal
    _upload_and_publish(app, tmp_path, "1.0.1")
    from experiences.validation import Report

    def refuse(folder):
        report = Report(str(folder))
        report.error("experience.toml", "kind", "kind_unknown", value="x", installed=[])
        return report

    _headers, key, secret = kiosk_auth(app, "strict")
    sync = ContentSync(url, key, secret, packages_dir=tmp_path / "strict", validate=refuse)
    result = sync.check()
    assert "invalid package" in result.errors[CHAIN_ID]
    assert not any(p for p in (tmp_path / "strict" / ".versions" / CHAIN_ID).iterdir())
    assert sorted(os.listdir(tmp_path / "strict")) == [".sync-state.json", ".versions"]  # nothing went live


class StagedSync:
    """A sync double with one staged package: apply_pending() installs it (as ContentSync's switch would)."""

    def __init__(self, root):
        self.root = root
        self.applied = 0

    def has_pending(self) -> bool:
        return self.applied == 0

    def apply_pending(self) -> list[str]:
        from experiences.kiosk import testing

        testing.write_test_package(self.root / "org.yuedu.test.synced", "org.yuedu.test.synced", title="新内容")
        self.applied += 1
        return ["org.yuedu.test.synced"]


def test_kiosk_shell_switches_synced_content_only_between_runs(tmp_path):
    from types import SimpleNamespace

    import pygame

    from experiences import datadir
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink
    from experiences.kiosk import testing
    from experiences.kiosk.shell import KioskShell
    from experiences.package import open_package
    from experiences.runtime import ManualClock

    first = open_package(testing.write_test_package(datadir.installed_packages_dir() / "org.yuedu.test.first",
                                                    "org.yuedu.test.first"))
    shell = KioskShell(KioskConfig(), catalog=Catalog([first]), registry=testing.registry_with_test_kind(),
                       headless=True, size=(960, 600), clock=ManualClock(), sink=ListSink(), data_dir=tmp_path / "d")
    shell.open()
    try:
        sync = StagedSync(datadir.installed_packages_dir())
        shell.services = SimpleNamespace(sync=sync, stop=lambda: None, sink=ListSink())
        shell.launch(first)
        for _ in range(3):
            shell.frame(1 / 60)
        assert sync.applied == 0  # an experience is running: nothing switches under it
        shell._end_host("test")
        shell.machine.finish()
        shell.frame(1 / 60)
        assert sync.applied == 1
        assert {p.id for p in shell.menu.packages} == {"org.yuedu.test.first", "org.yuedu.test.synced"}
        pygame.event.clear()
    finally:
        shell.close()


def test_switch_waits_while_a_version_is_being_unpacked(portal, tmp_path):
    app, url = portal
    sync = _sync(app, url, tmp_path)
    _upload_and_publish(app, tmp_path, "1.0.1")
    sync.check()
    with sync._staging:  # as if the sync thread were unpacking the next version right now
        assert sync.apply_pending() == [] and sync.has_pending()
    assert sync.apply_pending() == [CHAIN_ID]


def test_kiosk_services_start_sync_and_share_upload_with_a_configured_server(portal, tmp_path):
    from experiences.config import KioskConfig
    from experiences.kiosk.services import start_services

    app, url = portal
    _headers, key, secret = kiosk_auth(app, "services-kiosk")
    config = KioskConfig()
    config.server.url, config.server.key, config.server.secret = url, key, secret
    services = start_services(config, tmp_path / "svc", background=False)
    try:
        assert isinstance(services.sync, ContentSync) and services.sync.server_url == url
        assert services.sync.heartbeat({"probe": 1}) is True
    finally:
        services.stop()
    assert services.sync._task is None  # stopped with the other services
    report = next(k for k in publishing.list_kiosks(engine_of(app)) if k["name"] == "services-kiosk")["report"]
    # The last heartbeat is ours or the sync thread's own (with the services' health figures).
    assert report["health"].get("probe") == 1 or report["health"]["kiosk"] == config.kiosk.name
    assert report["content"] == {}
