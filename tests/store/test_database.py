"""The store, on SQLite and on a real PostgreSQL server: versions, conflicts, cycles, passphrases,
lossless import/export, atomic saves, migrations and concurrent writers."""

from __future__ import annotations

import multiprocessing

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from policy_engine.project.model import Member
from policy_engine.store import database as store_module
from policy_engine.store import workshops as _workshops  # noqa: F401  (its tables are in the schema too)
from policy_engine.store.database import (
    AccessDenied,
    AlreadyExists,
    Conflict,
    ImportRefused,
    Invalid,
    NotFound,
    ReadOnly,
    Store,
    StoreError,
    Throttled,
    database_url,
)

AUTHOR = "Aigerim (facilitator)"


@pytest.fixture
def sample_json(sample) -> bytes:
    return sample.to_json().encode("utf-8")


@pytest.fixture
def stored(store, sample_json):
    """The store with the sample imported as version 1."""
    store.import_json(sample_json, AUTHOR)
    return store


def counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (
            conn.execute(sa.text("SELECT count(*) FROM project")).scalar(),
            conn.execute(sa.text("SELECT count(*) FROM project_version")).scalar(),
        )


# --- import and export --------------------------------------------------------------------------


def test_import_then_export_is_byte_for_byte(store, sample_json):
    pid, version = store.import_json(sample_json, AUTHOR)
    assert (pid, version) == ("east-kazakhstan", 1)
    assert store.export_json(pid).encode("utf-8") == sample_json


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda b: b[: len(b) // 2], "truncated"),
        (lambda b: b.replace(b'"country": "KZ"', b'"country": 7'), "region › country"),
        (lambda b: b"\x00\xff" + b, "not UTF-8"),
        (lambda b: b"", "truncated"),
        (
            lambda b: b.replace(b'"measure": "reg_strategy_act"', b'"measure": "reg_strategy_akt"', 1),
            "no measure “reg_strategy_akt”",
        ),
        (lambda b: b.replace(b'"name": "Altai', b'"name": "Al\\u0000tai', 1), "control characters"),
    ],
)
def test_broken_import_is_refused_and_changes_nothing(stored, sample_json, mangle, message):
    before = counts(stored)
    with pytest.raises(ImportRefused, match=message):
        stored.import_json(mangle(sample_json), AUTHOR)
    assert counts(stored) == before
    assert stored.export_json("east-kazakhstan").encode("utf-8") == sample_json


def test_import_of_an_existing_id_is_refused(stored, sample_json):
    with pytest.raises(AlreadyExists):
        stored.import_json(sample_json, AUTHOR)
    assert counts(stored) == (1, 1)


# --- versions and conflicts ---------------------------------------------------------------------


def test_every_save_is_a_new_version_with_history(stored):
    loaded = stored.load("east-kazakhstan")
    p = loaded.project
    p.region.positioning = "Altai: where nomads, miners and makers meet."
    v2 = stored.save(p, loaded.version, "Marat")
    p.kpis[0].actuals[2025] = 0.61
    v3 = stored.save(p, v2, "Dana")
    assert (v2, v3) == (2, 3)
    history = stored.history("east-kazakhstan")
    assert [(h.version, h.author, h.iterations) for h in history] == [
        (1, AUTHOR, [1, 2, 3, 4, 5, 6]),
        (2, "Marat", [1]),
        (3, "Dana", [6]),
    ]
    assert all(h.saved_at.tzinfo is not None for h in history)
    assert stored.load("east-kazakhstan", version=2).project.kpis[0].actuals.get(2025) is None
    assert stored.load("east-kazakhstan").project.kpis[0].actuals[2025] == 0.61


def test_stale_save_is_refused_with_what_changed(stored):
    mine = stored.load("east-kazakhstan")
    theirs = stored.load("east-kazakhstan")
    theirs.project.identity_elements[0].scores.vitality = 5
    stored.save(theirs.project, theirs.version, "Marat")
    mine.project.promotion.narrative = "My narrative"
    with pytest.raises(Conflict) as err:
        stored.save(mine.project, mine.version, "Dana")
    conflict = err.value
    assert (conflict.base_version, conflict.head_version, conflict.authors) == (1, 2, ["Marat"])
    assert [c.describe() for c in conflict.changes] == ["identity_elements [salburyn]: changed scores.vitality"]
    assert "Marat" in str(conflict) and "Reload" in str(conflict)
    assert stored.load("east-kazakhstan").project.promotion.narrative != "My narrative"


def test_restore_makes_an_old_version_the_newest(stored, sample):
    loaded = stored.load("east-kazakhstan")
    loaded.project.clusters[-1].target_image = "changed"
    stored.save(loaded.project, 1, "Marat")
    v3 = stored.restore("east-kazakhstan", 1, "Dana")
    assert v3 == 3
    assert stored.load("east-kazakhstan").project == sample
    assert stored.history("east-kazakhstan")[-1].note == "restored from version 1"
    assert stored.history("east-kazakhstan")[-1].iterations == [2]


def test_unknown_project_and_version(stored):
    with pytest.raises(NotFound, match="no project 'nowhere'"):
        stored.load("nowhere")
    with pytest.raises(NotFound, match="has no version 9"):
        stored.load("east-kazakhstan", version=9)


def test_failure_in_the_middle_of_a_save_keeps_the_previous_version(stored, monkeypatch, sample_json):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    loaded = stored.load("east-kazakhstan")
    loaded.project.region.positioning = "lost"
    monkeypatch.setattr(store_module, "_insert_version", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        stored.save(loaded.project, loaded.version, "Marat")
    monkeypatch.undo()
    assert counts(stored) == (1, 1)
    after = stored.load("east-kazakhstan")
    assert after.version == after.head_version == 1
    assert stored.export_json("east-kazakhstan").encode("utf-8") == sample_json
    assert stored.save(loaded.project, 1, "Marat") == 2  # and the store still works


# --- cycles -------------------------------------------------------------------------------------


def test_closing_a_cycle_freezes_it_and_opens_the_next(stored, sample):
    first = stored.close_cycle("east-kazakhstan", 1, "Working group")
    opened = stored.load("east-kazakhstan")
    assert (first, opened.version) == (2, 2)
    assert (opened.project.cycle, opened.project.iteration) == (2, 1)
    assert opened.project.kpis == sample.kpis  # monitoring results carried forward
    cycles = stored.cycles("east-kazakhstan")
    assert [(c.cycle, c.closed_version, c.opened_version) for c in cycles] == [(1, 1, 1), (2, None, 2)]
    assert stored.load("east-kazakhstan", version=1).read_only

    frozen = stored.load("east-kazakhstan", version=1).project
    frozen.region.positioning = "edit a closed cycle"
    with pytest.raises(ReadOnly, match="cycle 1 .* is closed"):
        stored.save(frozen, 2, "Marat")
    with pytest.raises(ReadOnly):
        stored.restore("east-kazakhstan", 1, "Marat")

    nxt = opened.project
    nxt.identity_elements[0].scores.recognition = 5
    nxt.pilots = nxt.pilots[:2]
    stored.save(nxt, opened.version, "Marat")
    described = [c.describe() for c in stored.cycle_diff("east-kazakhstan", 1, 2)]
    assert "identity_elements [salburyn]: changed scores.recognition" in described
    assert "pilots [summer-tour]: removed" in described and "pilots [mining-brand-lab]: removed" in described
    assert "cycle: changed cycle" in described


def test_closing_a_cycle_without_a_review_is_refused_and_changes_nothing(stored):
    loaded = stored.load("east-kazakhstan")
    v2 = stored.save(loaded.project.model_copy(update={"review": None}), 1, "Marat")
    before = counts(stored)
    with pytest.raises(Invalid) as refused:
        stored.close_cycle("east-kazakhstan", v2, "Dana")
    assert [i.code for i in refused.value.issues] == ["no_review"]
    assert "цикл нельзя закрыть без ежегодного пересмотра" in refused.value.texts("ru")[0]
    assert "циклді жабуға болмайды" in refused.value.texts("kk")[0]
    assert counts(stored) == before and len(stored.cycles("east-kazakhstan")) == 1


def test_a_save_that_changes_nothing_makes_no_version(stored):
    loaded = stored.load("east-kazakhstan")
    assert stored.save(loaded.project, 1, "Marat") == 1
    assert [v.version for v in stored.history("east-kazakhstan")] == [1]


def test_a_save_with_a_dangling_reference_is_refused(stored):
    loaded = stored.load("east-kazakhstan")
    gone = loaded.project.clusters.pop(0)
    with pytest.raises(Invalid) as refused:
        stored.save(loaded.project, 1, "Marat")
    assert {i.values["value"] for i in refused.value.issues} == {gone.id}
    assert [v.version for v in stored.history("east-kazakhstan")] == [1]


@pytest.mark.parametrize(
    "secret, accepted", [("1234567", False), ("12345678", True), ("пароль-8", True), ("x" * 1025, False)]
)
def test_one_passphrase_policy_at_create_and_at_set(store, sample, secret, accepted):
    if accepted:
        store.create(sample, AUTHOR, passphrase=secret)
        assert store.load(sample.id, passphrase=secret).version == 1
        store.set_passphrase(sample.id, secret + "!", current=secret)
        return
    with pytest.raises(Invalid) as refused:
        store.create(sample, AUTHOR, passphrase=secret)
    assert refused.value.issues[0].code in ("passphrase_short", "passphrase_long")
    assert store.list_projects() == []
    store.create(sample, AUTHOR)
    with pytest.raises(Invalid):
        store.set_passphrase(sample.id, secret)
    assert not store.is_protected(sample.id)


def test_closing_a_cycle_from_a_stale_version_is_a_conflict(stored):
    loaded = stored.load("east-kazakhstan")
    stored.save(loaded.project.model_copy(update={"iteration": 5}), 1, "Marat")
    with pytest.raises(Conflict):
        stored.close_cycle("east-kazakhstan", 1, "Dana")
    assert len(stored.cycles("east-kazakhstan")) == 1


# --- passphrases --------------------------------------------------------------------------------


def test_a_protected_project_needs_its_passphrase_for_everything(store, sample_json, monkeypatch):
    from policy_engine.store import database as store_module

    monkeypatch.setattr(store_module, "FREE_GUESSES", 1000)  # this test guesses on purpose; the wait has its own
    secret = "Алтай-қорғаны 2026"
    store.import_json(sample_json, AUTHOR, passphrase=secret)
    pid = "east-kazakhstan"
    summary = store.list_projects()[0]
    assert summary.protected and summary.region_name is None and summary.country is None
    for call in (
        lambda pw: store.load(pid, passphrase=pw),
        lambda pw: store.export_json(pid, passphrase=pw),
        lambda pw: store.history(pid, passphrase=pw),
        lambda pw: store.cycles(pid, passphrase=pw),
        lambda pw: store.restore(pid, 1, AUTHOR, passphrase=pw),
        lambda pw: store.close_cycle(pid, 1, AUTHOR, passphrase=pw),
    ):
        with pytest.raises(AccessDenied, match="protected"):
            call(None)
        with pytest.raises(AccessDenied, match="wrong passphrase"):
            call("guess")
    loaded = store.load(pid, passphrase=secret)
    with pytest.raises(AccessDenied):
        store.save(loaded.project, 1, "intruder")
    loaded.project.promotion.narrative += " (edited)"
    assert store.save(loaded.project, 1, AUTHOR, passphrase=secret) == 2
    with store.engine.connect() as conn:
        stored_hash = conn.execute(sa.text("SELECT passphrase_hash FROM project")).scalar()
    assert stored_hash.startswith("$argon2id$") and secret not in stored_hash


def test_passphrase_can_be_set_changed_and_removed(stored):
    pid = "east-kazakhstan"
    with pytest.raises(StoreError, match="at least 8"):
        stored.set_passphrase(pid, "short")
    stored.set_passphrase(pid, "first passphrase")
    with pytest.raises(AccessDenied):
        stored.set_passphrase(pid, "second passphrase", current="wrong one")
    stored.set_passphrase(pid, "second passphrase", current="first passphrase")
    assert stored.is_protected(pid)
    stored.set_passphrase(pid, None, current="second passphrase")
    assert not stored.is_protected(pid) and stored.load(pid).version == 1


# --- schema -------------------------------------------------------------------------------------


def test_migrations_match_the_models(store):
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []
    assert store.schema_revision() == "0003"


def test_older_database_opens_after_upgrade(store_url, sample_json):
    """A database written at revision 0001 (before cycles and passphrases) opens and keeps its data."""
    old = Store(store_url, revision="0001")
    assert old.schema_revision() == "0001"
    with old.engine.begin() as conn:
        now = "2025-01-01 00:00:00+00:00"
        conn.execute(sa.text("INSERT INTO project VALUES ('east-kazakhstan', 'EKR', 'KZ', 1, :t, :t)"), {"t": now})
        conn.execute(
            sa.text("INSERT INTO project_version VALUES ('east-kazakhstan', 1, :d, 'old app', :t, '[1]', 'created')"),
            {"d": sample_json.decode("utf-8"), "t": now},
        )
    old.close()
    new = Store(store_url)
    assert new.schema_revision() == "0003"
    loaded = new.load("east-kazakhstan")
    assert loaded.version == 1 and not loaded.read_only
    assert new.export_json("east-kazakhstan").encode("utf-8") == sample_json
    assert [c.cycle for c in new.cycles("east-kazakhstan")] == [1]
    loaded.project.promotion.narrative += " (edited)"
    assert new.save(loaded.project, 1, "new app") == 2
    new.close()


def test_database_url_defaults_and_postgres_driver(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url().startswith("sqlite:///") and database_url().endswith("data/genius_loci.db")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db/x")
    assert database_url() == "postgresql+psycopg://u:p@db/x"
    assert database_url("postgres://u@h/y") == "postgresql+psycopg://u@h/y"


def test_sqlite_runs_in_wal_mode(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'w.db'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    s.close()


# --- concurrency --------------------------------------------------------------------------------

WORKERS, SAVES = 8, 50


def _worker(url: str, worker: int, saves: int) -> int:
    """Save the same project `saves` times, each adding one member; on a conflict, re-read and redo."""
    s = Store(url)
    conflicts = 0
    for j in range(saves):
        while True:
            loaded = s.load("east-kazakhstan")
            loaded.project.working_group.append(Member(name=f"w{worker}-{j}"))
            try:
                s.save(loaded.project, loaded.version, f"worker {worker}")
                break
            except Conflict:
                conflicts += 1
    s.close()
    return conflicts


def test_concurrent_writers_lose_no_update(stored, store_url, sample):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WORKERS) as pool:
        conflicts = pool.starmap(_worker, [(store_url, w, SAVES) for w in range(WORKERS)])
    final = stored.load("east-kazakhstan")
    assert final.version == 1 + WORKERS * SAVES
    assert len(stored.history("east-kazakhstan")) == 1 + WORKERS * SAVES
    added = [m.name for m in final.project.working_group[len(sample.working_group) :]]
    assert sorted(added) == sorted(f"w{w}-{j}" for w in range(WORKERS) for j in range(SAVES))
    assert sum(conflicts) > 0, "the writers never collided, so the test proved nothing"


def test_wrong_passphrases_in_a_row_make_each_further_guess_wait(store, sample, monkeypatch):
    """≈0.2 s a guess made guessing cheap: the right passphrase worked at once after 40 wrong ones."""
    from policy_engine.store import database as store_module

    clock = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: clock[0])
    secret = "Алтай-қорғаны 2026"
    store.create(sample, AUTHOR, passphrase=secret)
    for _ in range(store_module.FREE_GUESSES):
        with pytest.raises(AccessDenied, match="wrong passphrase"):
            store.load(sample.id, passphrase="guess")
    with pytest.raises(Throttled) as wait:  # past the free guesses even the right one waits: 1 s
        store.load(sample.id, passphrase=secret)
    assert wait.value.seconds == 1
    clock[0] += 1.1
    with pytest.raises(AccessDenied, match="wrong passphrase"):  # a guess after the wait is checked
        store.load(sample.id, passphrase="guess")
    with pytest.raises(Throttled) as wait:  # and the wait doubles
        store.load(sample.id, passphrase=secret)
    assert wait.value.seconds == 2
    clock[0] += 2.1
    assert store.load(sample.id, passphrase=secret).version == 1  # waited: it works, and the count resets
    with pytest.raises(AccessDenied, match="wrong passphrase"):
        store.load(sample.id, passphrase="guess")


def test_a_protected_project_is_listed_by_its_id_alone(store, sample):
    store.create(sample, AUTHOR, passphrase="Алтай-қорғаны 2026")
    (summary,) = store.list_projects()
    assert summary.protected and summary.id == sample.id
    assert (summary.region_name, summary.country, summary.head_version, summary.cycle, summary.updated_at) == (
        None,
        None,
        None,
        None,
        None,
    )


# --- one client guessing across projects --------------------------------------------------------

SECRET = "Алтай-қорғаны 2026"


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(store_module.time, "monotonic", lambda: now[0])
    return now


def protected_projects(store, sample, count: int) -> list[str]:
    ids = [f"region-{i}" for i in range(count)]
    for pid in ids:
        store.create(sample.model_copy(update={"id": pid}), AUTHOR, passphrase=SECRET)
    return ids


def test_one_client_spraying_guesses_over_many_projects_is_slowed_down(store, sample, monkeypatch, clock):
    """One wrong guess at each project never reached the per-project limit, so a client could try a
    passphrase on every project at full speed; now its wrong guesses count together."""
    monkeypatch.setattr(store_module, "CLIENT_FREE_GUESSES", 4)
    *sprayed, last = protected_projects(store, sample, 5)
    for pid in sprayed:  # one wrong guess each: the per-project rule alone would never wait
        with pytest.raises(AccessDenied, match="wrong passphrase"):
            store.load(pid, passphrase="guess", client="203.0.113.7")
    with pytest.raises(Throttled) as wait:  # a fifth project, even with the right passphrase, waits
        store.load(last, passphrase=SECRET, client="203.0.113.7")
    assert wait.value.by_client and wait.value.seconds == 1 and "from this client" in str(wait.value)
    # another client, and the CLI (no client), are held back by nothing: each project saw one wrong guess
    assert store.load(last, passphrase=SECRET, client="198.51.100.2").version == 1
    assert store.load(sprayed[0], passphrase=SECRET, client="198.51.100.2").version == 1
    assert store.load(last, passphrase=SECRET).version == 1
    clock[0] += 1.1
    with pytest.raises(AccessDenied, match="wrong passphrase"):  # after the wait one guess is checked
        store.load(last, passphrase="guess", client="203.0.113.7")
    with pytest.raises(Throttled) as wait:  # and the wait doubles
        store.load(last, passphrase=SECRET, client="203.0.113.7")
    assert wait.value.seconds == 2


def test_a_right_passphrase_does_not_reset_the_clients_count_but_an_hour_does(store, sample, monkeypatch, clock):
    """Otherwise a guesser would open a project of their own between guesses to start afresh."""
    monkeypatch.setattr(store_module, "CLIENT_FREE_GUESSES", 2)
    own, first, second = protected_projects(store, sample, 3)
    client = "2001:db8:1:2::/64"
    for _ in range(2):
        clock[0] += 5
        with pytest.raises(AccessDenied, match="wrong passphrase"):
            store.load(first, passphrase="guess", client=client)
    with pytest.raises(Throttled):  # the project's own count is at 2 of 3: it is the client's count that waits
        store.load(own, passphrase=SECRET, client=client)
    clock[0] += 1.1
    assert store.load(own, passphrase=SECRET, client=client).version == 1
    with pytest.raises(AccessDenied, match="wrong passphrase"):
        store.load(second, passphrase="guess", client=client)
    with pytest.raises(Throttled) as wait:  # one wrong guess at `second`, but the client's third in a row
        store.load(second, passphrase=SECRET, client=client)
    assert wait.value.by_client and wait.value.seconds == 2  # the right passphrase in between reset nothing
    clock[0] += store_module.CLIENT_FORGET_S + 1  # quiet for an hour: the count starts again
    with pytest.raises(AccessDenied, match="wrong passphrase"):
        store.load(second, passphrase="guess", client=client)
    assert store.load(own, passphrase=SECRET, client=client).version == 1  # 1 of 2 free: no wait


def test_the_per_project_rule_still_holds_for_every_client(store, sample, clock):
    """Three wrong guesses at a project from one client make everyone wait at that project (and only there)."""
    first, other = protected_projects(store, sample, 2)
    for _ in range(store_module.FREE_GUESSES):
        with pytest.raises(AccessDenied, match="wrong passphrase"):
            store.load(first, passphrase="guess", client="203.0.113.7")
    with pytest.raises(Throttled) as wait:
        store.load(first, passphrase=SECRET, client="198.51.100.2")
    assert not wait.value.by_client
    assert store.load(other, passphrase=SECRET, client="198.51.100.2").version == 1


@pytest.mark.parametrize(
    "address, key",
    [
        ("203.0.113.7", "203.0.113.7"),
        (" 203.0.113.7 ", "203.0.113.7"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client seen over IPv6
        ("2001:db8:1:2::99", "2001:db8:1:2::/64"),  # one household or server holds a whole /64
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        (None, None),
        ("", None),
        ("not an address", None),
    ],
)
def test_client_key(address, key):
    assert store_module.client_key(address) == key


# --- database errors ----------------------------------------------------------------------------


def test_a_database_refusal_is_a_coded_store_error_without_the_statement(stored, monkeypatch, caplog):
    """PostgreSQL refuses NUL in text with a DataError whose text is the INSERT and part of the document."""

    def refused(*_args, **_kwargs):
        raise sa.exc.DataError(
            "INSERT INTO project_version (document) VALUES (%(document)s)",
            {"document": "secret part of the document"},
            Exception("cannot contain NUL"),
        )

    loaded = stored.load("east-kazakhstan")
    loaded.project.region.positioning = "changed"
    monkeypatch.setattr(store_module, "_insert_version", refused)
    with caplog.at_level("ERROR", logger="genius_loci"), pytest.raises(store_module.DatabaseError) as err:
        stored.save(loaded.project, loaded.version, AUTHOR)
    assert isinstance(err.value, StoreError) and err.value.code == "data"
    assert "INSERT" not in str(err.value) and "secret" not in str(err.value)
    assert err.value.incident in str(err.value)
    (record,) = [r for r in caplog.records if err.value.incident in r.getMessage()]
    assert "INSERT INTO project_version" in record.getMessage() and record.exc_info
    monkeypatch.undo()
    assert stored.load("east-kazakhstan").version == 1  # nothing was saved


def test_a_failed_read_is_a_coded_store_error(stored, monkeypatch):
    def lost(*_args, **_kwargs):
        raise sa.exc.OperationalError("SELECT project.id FROM project", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Store, "_project", staticmethod(lost))
    with pytest.raises(store_module.DatabaseError) as err:
        stored.load("east-kazakhstan")
    assert err.value.code == "unavailable" and "SELECT" not in str(err.value)


def test_two_creators_at_once_still_get_already_exists(store, sample, monkeypatch, caplog):
    """The second insert breaks the primary key: an expected clash, said as such and not logged as an incident."""

    def clash(*_args, **_kwargs):
        raise sa.exc.IntegrityError("INSERT INTO project ...", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(store_module, "_insert_version", clash)
    with caplog.at_level("ERROR", logger="genius_loci"), pytest.raises(AlreadyExists):
        store.create(sample, AUTHOR)
    assert not [r for r in caplog.records if r.name == "genius_loci"]
