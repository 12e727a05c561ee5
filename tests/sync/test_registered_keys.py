"""One trust step per laptop (SYNC_FORMAT §4 trusted_keys): the secretariat registers each
installation's key once, its national package carries the registrations, and an installation that
trusts the secretariat's key for every org trusts the registered keys for their orgs until they are
revoked. Real installations in temporary folders exchanging real packages."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select

from helpers import NEED, transfer
from jcim_desktop.cli import main
from jcim_desktop.errors import PermissionDenied, UserError
from jcim_desktop.services import key_registry, records, sync
from jcim_desktop.services.context import AppContext, open_app
from jcim_desktop.store.models import AuditEntry
from jcim_desktop.sync import package as package_module
from jcim_desktop.sync.package import read_package

JAPAN = dt.timezone(dt.timedelta(hours=9))


def _need(ctx: AppContext, title: str) -> records.Saved:
    return records.create(ctx, "needs", {**NEED, "title": title})


def _export(ctx: AppContext, path: Path, *, scope: str = "org", created: dt.datetime | None = None,
            monkeypatch: pytest.MonkeyPatch | None = None) -> Path:
    """A real package of ``ctx``; ``created`` sets the day its manifest says it was written."""
    if created is not None:
        assert monkeypatch is not None

        class Then(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> Then:  # type: ignore[override]
                return cls.fromtimestamp(created.timestamp(), tz or created.tzinfo)

        with monkeypatch.context() as patched:
            patched.setattr(package_module, "datetime", Then)
            return sync.export_package(ctx, path, scope=scope).path
    return sync.export_package(ctx, path, scope=scope).path


def _import(ctx: AppContext, path: Path) -> sync.ImportOutcome:
    (outcome,) = sync.import_packages(ctx, [path])
    return outcome


@pytest.fixture
def network(make_ctx):  # type: ignore[no-untyped-def]
    """The secretariat, two 関東フォーラム laptops and a 中国フォーラム laptop, after the trust steps
    the issue asks for: each laptop trusts the secretariat's key once (for every org), and the
    secretariat registers each 関東 laptop's key once. Nobody trusts a laptop by hand."""
    secretariat = make_ctx("secretariat")
    kanto1, kanto2 = make_ctx("kanto", "kanto1"), make_ctx("kanto", "kanto2")
    chugoku = make_ctx("chugoku")
    steps = 0
    for laptop in (kanto1, kanto2):
        sync.trust_key(laptop, secretariat.public_key, [sync.ALL_ORGS], "事務局")
        steps += 1
    sync.trust_key(secretariat, kanto1.public_key, ["kanto"], "関東フォーラム 1台目")
    sync.trust_key(secretariat, kanto2.public_key, ["kanto"], "関東フォーラム 2台目")
    steps += 2
    # Two laptops of one forum and the secretariat: four steps (it took six trust steps by hand, and
    # every further laptop added two at each installation); 中国 takes one, to trust the secretariat.
    assert steps == 4
    sync.trust_key(chugoku, secretariat.public_key, [sync.ALL_ORGS], "事務局")
    return secretariat, kanto1, kanto2, chugoku


def test_registered_keys_are_trusted_everywhere_after_one_step_per_laptop(network, tmp_path):
    secretariat, kanto1, kanto2, chugoku = network
    # The registration is a record of the secretariat (stamped and audited), and the key is trusted there.
    (reg1, reg2) = sorted(key_registry.registrations(secretariat), key=lambda r: r.label)
    assert (reg1.label, reg1.orgs, reg1.revoked_on) == ("関東フォーラム 1台目", ("kanto",), None)
    assert reg2.public_key == kanto2.public_key and reg2.key_id == sync.key_id(kanto2.public_key)
    stored = records.get(secretariat, "trusted_keys", reg2.record_ids[0])
    assert stored.owner == "secretariat"
    assert stored.data == {"public_key": kanto2.public_key, "orgs": ["kanto"], "label": "関東フォーラム 2台目",
                           "revoked_on": None}
    with secretariat.reading() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.record_id == stored.id)).all()
    assert [a.action for a in audit] == ["create"] and audit[0].changes["label"] == [None, "関東フォーラム 2台目"]

    # The national package carries the registrations; a forum's own package never does.
    national = _export(secretariat, tmp_path / "national-1.jcimsync", scope="national")
    carried = read_package(national).records["trusted_keys"]
    assert {r["data"]["label"] for r in carried} == {"関東フォーラム 1台目", "関東フォーラム 2台目"}
    assert {r["owner"] for r in carried} == {"secretariat"}
    _need(kanto2, "関東2台目のニーズ")
    from_kanto2 = _export(kanto2, tmp_path / "kanto2.jcimsync")
    assert "trusted_keys" not in read_package(from_kanto2).records

    # Before the national package arrives, 中国 does not know 関東 2台目's key.
    refused = _import(chugoku, from_kanto2)
    assert refused.status == "rejected" and refused.code == "untrusted_key"
    for laptop in (kanto1, kanto2, chugoku):
        assert _import(laptop, national).status == "accepted"

    # Every package in every direction is accepted, with no further trust step.
    _need(kanto1, "関東1台目のニーズ")
    from_kanto1 = _export(kanto1, tmp_path / "kanto1.jcimsync")
    from_kanto2 = _export(kanto2, tmp_path / "kanto2-2.jcimsync")
    _need(chugoku, "中国のニーズ")
    for receiver, path in ((chugoku, from_kanto2), (chugoku, from_kanto1), (kanto1, from_kanto2),
                           (kanto2, from_kanto1), (secretariat, from_kanto1), (secretariat, from_kanto2)):
        outcome = _import(receiver, path)
        assert outcome.status == "accepted", (receiver.org, path.name, outcome.reason)
    titles = {r["title"] for r in records.list_records(chugoku, "needs")}
    assert {"関東1台目のニーズ", "関東2台目のニーズ", "中国のニーズ"} <= titles
    # ... and the secretariat's own packages at every laptop (trusted once by hand).
    national = _export(secretariat, tmp_path / "national-2.jcimsync", scope="national")
    assert all(_import(laptop, national).status == "accepted" for laptop in (kanto1, kanto2, chugoku))

    # 同期's list at 中国: the secretariat's key by hand, the 関東 keys from the secretariat.
    listed = {t.key_id: t for t in sync.list_trust(chugoku)}
    assert set(listed) == {sync.key_id(c.public_key) for c in (secretariat, kanto1, kanto2)}
    # A 関東 laptop's list does not show its own key (registered by the secretariat) as one it trusts.
    assert {t.public_key for t in sync.list_trust(kanto1)} == {secretariat.public_key, kanto2.public_key}
    by_hand = listed[sync.key_id(secretariat.public_key)]
    assert by_hand.by_hand and not by_hand.registered and by_hand.everyone
    kanto2_entry = listed[sync.key_id(kanto2.public_key)]
    assert not kanto2_entry.by_hand and kanto2_entry.label == "関東フォーラム 2台目"
    assert kanto2_entry.orgs == ("kanto",) and not kanto2_entry.revoked


def test_a_revoked_key_is_refused_for_packages_created_after_the_date(network, tmp_path, monkeypatch, make_ctx):
    secretariat, kanto1, kanto2, chugoku = network
    kinki = make_ctx("kinki")  # trusts the secretariat, and 関東 2台目's key by hand, for 関東
    sync.trust_key(kinki, secretariat.public_key, [sync.ALL_ORGS], "事務局")
    sync.trust_key(kinki, kanto2.public_key, ["kanto"], "関東の山田さんから直接")
    national = _export(secretariat, tmp_path / "national-1.jcimsync", scope="national")
    for installation in (chugoku, kinki):
        assert _import(installation, national).status == "accepted"

    revoked_on = key_registry.today() - dt.timedelta(days=10)
    before = dt.datetime.combine(revoked_on, dt.time(17, 30), JAPAN)  # on the day itself: still accepted
    _need(kanto2, "失効前に書いたニーズ")
    old = _export(kanto2, tmp_path / "kanto2-old.jcimsync", created=before, monkeypatch=monkeypatch)
    _need(kanto2, "失効後に書いたニーズ")
    new = _export(kanto2, tmp_path / "kanto2-new.jcimsync")

    revoked = key_registry.revoke_key(secretariat, sync.key_id(kanto2.public_key), revoked_on)
    assert revoked.revoked_on == revoked_on and revoked.label == "関東フォーラム 2台目"
    # At the secretariat at once: the new package is refused, the old one still accepted.
    at_secretariat = _import(secretariat, new)
    assert at_secretariat.status == "rejected" and at_secretariat.code == "revoked_key"
    assert _import(secretariat, old).status == "accepted"

    # 中国 still trusts the key until the next national package tells it of the revocation.
    assert _import(chugoku, new).status == "accepted"
    news = _export(secretariat, tmp_path / "national-2.jcimsync", scope="national")
    assert [r["data"]["revoked_on"] for r in read_package(news).records["trusted_keys"]
            if r["data"]["public_key"] == kanto2.public_key] == [revoked_on.isoformat()]
    assert _import(chugoku, news).status == "accepted"
    newer = _export(kanto2, tmp_path / "kanto2-newer.jcimsync")
    refused = _import(chugoku, newer)
    assert refused.status == "rejected" and refused.code == "revoked_key" and refused.untrusted is None
    reason = refused.reason or ""
    assert sync.key_id(kanto2.public_key) in reason and "関東フォーラム 2台目" in reason
    assert revoked_on.isoformat() in reason and key_registry.today().isoformat() in reason
    assert _import(chugoku, old).status == "accepted"  # written on the revocation day
    # 関東 1台目 is untouched.
    assert _import(chugoku, _export(kanto1, tmp_path / "kanto1.jcimsync")).status == "accepted"

    # A key trusted by hand stays trusted, whatever the secretariat registers or revokes.
    assert _import(kinki, news).status == "accepted"
    assert _import(kinki, newer).status == "accepted"
    entry = next(t for t in sync.list_trust(kinki) if t.public_key == kanto2.public_key)
    assert entry.by_hand and entry.registered and not entry.revoked

    # 同期's list: the revoked key with its date, at 中国 and at the secretariat.
    for installation in (chugoku, secretariat):
        entry = next(t for t in sync.list_trust(installation) if t.public_key == kanto2.public_key)
        assert entry.revoked and entry.revoked_on == revoked_on and not entry.by_hand
    # A revoked key cannot be registered again; revoking again changes the date.
    with pytest.raises(UserError, match="失効させた鍵"):
        sync.trust_key(secretariat, kanto2.public_key, ["kanto"])
    later = key_registry.revoke_key(secretariat, kanto2.public_key, key_registry.today())
    assert later.revoked_on == key_registry.today()
    assert _import(secretariat, newer).status == "accepted"


def test_registrations_count_only_where_the_secretariat_is_trusted_for_every_org(network, tmp_path, make_ctx):
    secretariat, _kanto1, kanto2, _chugoku = network
    tohoku = make_ctx("tohoku")
    transfer(secretariat, tohoku)  # the registrations are there, but tohoku never trusted the secretariat
    assert key_registry.registrations(tohoku) and sync.list_trust(tohoku) == []
    _need(kanto2, "関東2台目のニーズ")
    path = _export(kanto2, tmp_path / "kanto2.jcimsync")
    refused = _import(tohoku, path)
    assert refused.status == "rejected" and refused.code == "untrusted_key"
    sync.trust_key(tohoku, secretariat.public_key, ["secretariat"])  # not for every org: still not enough
    assert _import(tohoku, path).code == "untrusted_key"
    sync.trust_key(tohoku, secretariat.public_key, [sync.ALL_ORGS])
    assert _import(tohoku, path).status == "accepted"


def test_a_key_is_trusted_only_for_the_orgs_it_is_registered_for(make_ctx, tmp_path):
    secretariat, kanto, chugoku = make_ctx("secretariat"), make_ctx("kanto"), make_ctx("chugoku")
    sync.trust_key(chugoku, secretariat.public_key, [sync.ALL_ORGS])
    sync.trust_key(secretariat, kanto.public_key, ["kinki"], "近畿として登録（間違い）")
    assert _import(chugoku, _export(secretariat, tmp_path / "n.jcimsync", scope="national")).status == "accepted"
    _need(kanto, "関東のニーズ")
    refused = _import(chugoku, _export(kanto, tmp_path / "k.jcimsync"))
    assert refused.status == "rejected" and refused.code == "untrusted_owner"
    assert "関東フォーラム" in (refused.reason or "")
    assert refused.untrusted is not None and refused.untrusted.trusted == ("kinki",)


def test_registering_again_adds_orgs_and_the_secretariat_key_needs_no_record(secretariat, make_ctx):
    kanto = make_ctx("kanto")
    first = sync.trust_key(secretariat, kanto.public_key, ["kanto"])
    assert first.label == f"関東フォーラム {sync.key_id(kanto.public_key)}" and first.changes.touches("trusted_keys")
    again = sync.trust_key(secretariat, kanto.public_key, ["kinki"], "関東・近畿 共用PC")
    assert again.orgs == ("kanto", "kinki") and again.label == "関東・近畿 共用PC"
    assert len(key_registry.registrations(secretariat)) == 1 and len(again.registration.record_ids) == 1
    with pytest.raises(UserError, match="自身の鍵"):
        sync.trust_key(secretariat, secretariat.public_key, [sync.ALL_ORGS])
    # Only the secretariat registers and revokes.
    with pytest.raises(PermissionDenied):
        key_registry.register_key(kanto, secretariat.public_key, ["secretariat"])
    with pytest.raises(PermissionDenied):
        key_registry.revoke_key(kanto, sync.key_id(kanto.public_key))


def test_removing_a_registered_key_at_the_secretariat_means_revoking_it(secretariat, make_ctx):
    kanto, chugoku = make_ctx("kanto"), make_ctx("chugoku")
    sync.trust_key(secretariat, kanto.public_key, ["kanto"], "関東フォーラム 1台目")
    with pytest.raises(sync.KeyIsRegistered, match="trust revoke"):
        sync.remove_trust(secretariat, sync.key_id(kanto.public_key))
    assert [t.by_hand for t in sync.list_trust(secretariat)] == [False]
    withdrawn = sync.remove_trust(secretariat, sync.key_id(kanto.public_key), unregister=True)
    assert withdrawn.changes.touches("trusted_keys")
    assert sync.list_trust(secretariat) == [] and key_registry.registrations(secretariat) == []
    # A key the forum trusts only through the secretariat's registration is revoked there, not here.
    sync.trust_key(chugoku, secretariat.public_key, [sync.ALL_ORGS])
    sync.trust_key(secretariat, kanto.public_key, ["kanto"], "関東フォーラム 1台目")
    transfer(secretariat, chugoku)
    with pytest.raises(UserError, match="事務局に失効を依頼"):
        sync.remove_trust(chugoku, sync.key_id(kanto.public_key))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exited:
        status = int(exited.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_command_line_registers_lists_revokes_and_removes(tmp_path, capsys):
    sec, kanto, chugoku = (str(tmp_path / name) for name in ("sec", "kanto", "chugoku"))
    assert cli(capsys, "init", "--org", "secretariat", "--data-dir", sec)[0] == 0
    assert cli(capsys, "init", "--org", "kanto", "--data-dir", kanto)[0] == 0
    assert cli(capsys, "init", "--org", "chugoku", "--data-dir", chugoku)[0] == 0
    for data, name in ((sec, "sec.pub"), (kanto, "kanto.pub")):
        assert cli(capsys, "key", "export", "--out", str(tmp_path / name), "--data-dir", data)[0] == 0
    status, _, err = cli(capsys, "trust", "add", "--org", "kanto", "--note", "関東フォーラム 2台目",
                         str(tmp_path / "kanto.pub"), "--data-dir", sec)
    assert status == 0 and "登録しました" in err and "関東フォーラム 2台目" in err
    with closing(open_app(kanto)) as ctx:
        key = sync.key_id(ctx.public_key)
    status, out, _ = cli(capsys, "trust", "list", "--data-dir", sec)
    assert status == 0 and out.startswith(f"{key}\t関東フォーラム\t") and "事務局が登録（関東フォーラム 2台目）" in out

    # 中国 trusts the secretariat once and learns the key from the national package.
    assert cli(capsys, "trust", "add", "--org", "all", str(tmp_path / "sec.pub"), "--data-dir", chugoku)[0] == 0
    national = str(tmp_path / "national.jcimsync")
    assert cli(capsys, "export", "--scope", "national", "--out", national, "--data-dir", sec)[0] == 0
    assert cli(capsys, "import", national, "--data-dir", chugoku)[0] == 0
    status, out, _ = cli(capsys, "trust", "list", "--data-dir", chugoku)
    lines = out.splitlines()
    assert "手動で追加" in lines[0] and "すべての組織" in lines[0]
    assert lines[1].startswith(f"{key}\t関東フォーラム\t") and lines[1].endswith("事務局が登録（関東フォーラム 2台目）")
    with closing(open_app(kanto)) as ctx:
        _need(ctx, "関東のニーズ")
    package = str(tmp_path / "kanto.jcimsync")
    assert cli(capsys, "export", "--out", package, "--data-dir", kanto)[0] == 0
    status, out, _ = cli(capsys, "import", package, "--format", "json", "--data-dir", chugoku)
    assert status == 0 and json.loads(out)[0]["status"] == "accepted"

    # Removing at the secretariat asks for a revocation instead; a forum may not revoke.
    status, _, err = cli(capsys, "trust", "remove", key, "--data-dir", sec)
    assert status == 1 and f"trust revoke {key}" in err and "--unregister" in err
    status, _, err = cli(capsys, "trust", "revoke", key, "--data-dir", chugoku)
    assert status == 1 and "事務局だけ" in err
    status, _, err = cli(capsys, "trust", "revoke", key, "--on", "7月10日", "--data-dir", sec)
    assert status == 2 and "YYYY-MM-DD" in err
    yesterday = (key_registry.today() - dt.timedelta(days=1)).isoformat()
    status, _, err = cli(capsys, "trust", "revoke", str(tmp_path / "kanto.pub"), "--on", yesterday, "--data-dir", sec)
    assert status == 0 and f"失効日 {yesterday}" in err and "関東フォーラム 2台目" in err
    status, out, _ = cli(capsys, "trust", "list", "--data-dir", sec)
    assert f"失効日 {yesterday}" in out

    assert cli(capsys, "export", "--scope", "national", "--out", national, "--data-dir", sec)[0] == 0
    assert cli(capsys, "import", national, "--data-dir", chugoku)[0] == 0
    assert cli(capsys, "export", "--out", package, "--data-dir", kanto)[0] == 0
    status, out, err = cli(capsys, "import", package, "--format", "json", "--data-dir", chugoku)
    (outcome,) = json.loads(out)
    assert status == 1 and outcome["status"] == "rejected" and outcome["code"] == "revoked_key"
    assert key in outcome["reason"] and yesterday in outcome["reason"]

    status, _, err = cli(capsys, "trust", "remove", key, "--unregister", "--data-dir", sec)
    assert status == 0 and "登録を取り消しました" in err
    status, out, _ = cli(capsys, "trust", "list", "--data-dir", sec)
    assert key not in out


def test_an_installation_still_never_changes_key(network, make_ctx, tmp_path):
    """§2 still applies to registered keys: a registered key cannot sign for another installation."""
    from jcim_desktop import __version__
    from jcim_desktop.sync import keys
    from jcim_desktop.sync.package import write_package

    secretariat, _kanto1, kanto2, chugoku = network
    kanto3 = make_ctx("kanto", "kanto3")
    sync.trust_key(secretariat, kanto3.public_key, ["kanto"], "関東フォーラム 3台目")
    assert _import(chugoku, _export(secretariat, tmp_path / "n.jcimsync", scope="national")).status == "accepted"
    _need(kanto2, "関東2台目のニーズ")
    genuine = _export(kanto2, tmp_path / "kanto2.jcimsync")
    assert _import(chugoku, genuine).status == "accepted"
    forged = tmp_path / "forged.jcimsync"
    write_package(forged, read_package(genuine).records, origin_org="kanto", installation_id=kanto2.installation_id,
                  app_version=__version__, sequence=99, scope="org", private_key=keys.load_private_key(kanto3.key_dir),
                  includes_contacts=False)
    refused = _import(chugoku, forged)
    assert refused.status == "rejected" and refused.code == "installation_key_changed"


def test_a_revocation_stands_through_a_conflict(make_ctx, tmp_path):
    """Two secretariat laptops change one registration at once (one revokes it, one renames it): where
    the conflict is open (it waits for a person on the 競合 page), the key stays revoked whichever
    version is stored."""
    sec1, sec2, kanto = make_ctx("secretariat", "sec1"), make_ctx("secretariat", "sec2"), make_ctx("kanto")
    sync.add_trust(sec1, sec2.public_key, [sync.ALL_ORGS])
    sync.add_trust(sec2, sec1.public_key, [sync.ALL_ORGS])
    sync.trust_key(sec1, kanto.public_key, ["kanto"], "関東フォーラム 1台目")
    assert _import(sec2, _export(sec1, tmp_path / "1.jcimsync")).status == "accepted"
    key_registry.revoke_key(sec1, kanto.public_key, dt.date(2024, 7, 10))
    sync.trust_key(sec2, kanto.public_key, ["kanto"], "関東フォーラム 1台目（山田さん）")
    outcome = _import(sec2, _export(sec1, tmp_path / "2.jcimsync"))
    assert outcome.status == "accepted" and outcome.counts.conflicts == 1
    assert sync.open_conflict_count(sec2) == 1
    (registration,) = key_registry.registrations(sec2)
    assert registration.revoked_on == dt.date(2024, 7, 10)
    entry = next(t for t in sync.list_trust(sec2) if t.public_key == kanto.public_key)
    assert entry.revoked
    _need(kanto, "関東のニーズ")
    refused = _import(sec2, _export(kanto, tmp_path / "kanto.jcimsync"))
    assert refused.status == "rejected" and refused.code == "revoked_key"
