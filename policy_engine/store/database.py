"""Persistence of projects: versions, conflicts, cycles and passphrases, on SQLite or PostgreSQL.

A policy is built over months by several people, so the store never overwrites: every save adds
a version, and a save based on a version that is no longer the newest is refused with what
changed since. Closing an annual cycle freezes it. The engine works on `Project` objects; only
this module knows about tables and sessions, which are opened and closed inside each call.

The database is a SQLite file under `data/` unless `DATABASE_URL` names another (PostgreSQL
through psycopg 3). Its schema is created and upgraded by the Alembic migrations in
`policy_engine/store/migrations/` every time a `Store` is opened.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, Session, SQLModel, create_engine, select

from policy_engine import incidents
from policy_engine.method.catalogue import Catalogue, default_catalogue
from policy_engine.project import validation
from policy_engine.project.changes import Change, diff, iterations_changed
from policy_engine.project.issues import Issue
from policy_engine.project.model import Project, ProjectError
from policy_engine.wizard.cycles import next_cycle

DATA_DIR = Path(os.environ.get("GENIUS_LOCI_DATA", Path(__file__).resolve().parents[2] / "data"))
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'genius_loci.db'}"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# --- tables -------------------------------------------------------------------------------------


class ProjectRecord(SQLModel, table=True):
    """One project: which version is the newest and which cycle is open."""

    __tablename__ = "project"
    id: str = Field(primary_key=True, max_length=80)
    region_name: str
    country: str = Field(max_length=2)
    head_version: int
    cycle: int
    passphrase_hash: str | None = None
    created_at: datetime
    updated_at: datetime


class VersionRecord(SQLModel, table=True):
    """One saved version: the whole project document as canonical JSON text, never changed."""

    __tablename__ = "project_version"
    project_id: str = Field(primary_key=True, foreign_key="project.id", max_length=80)
    version: int = Field(primary_key=True)
    cycle: int
    document: str = Field(sa_type=sa.Text)
    author: str
    saved_at: datetime
    iterations: str  # JSON list of the iterations this save changed
    note: str


class CycleRecord(SQLModel, table=True):
    """An annual cycle of a project; closed cycles are read-only."""

    __tablename__ = "project_cycle"
    project_id: str = Field(primary_key=True, foreign_key="project.id", max_length=80)
    cycle: int = Field(primary_key=True)
    opened_at: datetime
    opened_version: int
    closed_at: datetime | None = None
    closed_version: int | None = None
    closed_by: str | None = None


# --- what callers get back ----------------------------------------------------------------------


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProjectSummary(Out):
    id: str
    region_name: str | None  # None when the project is protected
    country: str | None
    head_version: int | None  # None, like everything but the id, when the project is protected
    cycle: int | None
    protected: bool
    updated_at: datetime | None


class Loaded(Out):
    """A project as read: the document, the version it is, and whether it may be edited."""

    project: Project
    version: int
    head_version: int
    read_only: bool


class VersionInfo(Out):
    version: int
    cycle: int
    author: str
    saved_at: datetime
    iterations: list[int]
    note: str


class CycleInfo(Out):
    cycle: int
    opened_at: datetime
    opened_version: int
    closed_at: datetime | None
    closed_version: int | None
    closed_by: str | None


# --- errors -------------------------------------------------------------------------------------


class StoreError(Exception):
    """A request the store refuses; the message says why in words a user can act on."""


class NotFound(StoreError):
    pass


class AlreadyExists(StoreError):
    pass


class AccessDenied(StoreError):
    """The project is protected and no passphrase, or a wrong one, was given."""


FREE_GUESSES = 3  # wrong passphrases in a row before each further guess must wait
MAX_WAIT_S = 300
# One client (an address the app passes as `client`) guessing across projects: wrong passphrases to any
# project count together, so spraying guesses over many projects is slowed down like guessing one. A
# right passphrase does not reset this count (it would, every time the guesser opens a project of their
# own); an hour without a wrong guess does.
CLIENT_FREE_GUESSES = 10
CLIENT_FORGET_S = 3600


def client_key(address: str | None) -> str | None:
    """The `client` for an IP address: the address itself, or for IPv6 its /64 network (one
    household or server usually holds a whole /64, so counting single addresses would not count
    one guesser). None or something that is not an address gives None: no per-client count."""
    import ipaddress

    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class Throttled(AccessDenied):
    """Too many wrong passphrases in a row: the next guess must wait `seconds`. `by_client` when it is
    the guessing client's wrong passphrases across projects that made it wait, not this project's."""

    def __init__(self, project_id: str, seconds: float, by_client: bool = False):
        self.seconds, self.by_client = max(1, round(seconds)), by_client
        whose = "from this client" if by_client else f"for project {project_id!r}"
        super().__init__(f"too many wrong passphrases {whose}: try again in {self.seconds} s")


class ReadOnly(StoreError):
    """The version or cycle being written is closed."""


class DatabaseError(StoreError):
    """The database refused or failed a request in a way the store does not plan for: a value it cannot
    hold (PostgreSQL refuses NUL in text), a broken constraint, a lost or busy server. The statement,
    its parameters and the traceback go to the server log under `incident`; the message carries only
    `code` (the text `error.database.<code>` says it in the user's language) and the reference."""

    CODES = ("data", "integrity", "unavailable", "database")

    def __init__(self, code: str, incident: str):
        self.code, self.incident = code, incident
        super().__init__(f"the database refused the request ({code}); incident {incident}")


def _database_error(exc: sa.exc.SQLAlchemyError, what: str) -> DatabaseError:
    code = (
        "data"
        if isinstance(exc, sa.exc.DataError)
        else "integrity"
        if isinstance(exc, IntegrityError)
        else "unavailable"
        if isinstance(exc, (OperationalError, sa.exc.TimeoutError))
        else "database"
    )
    return DatabaseError(code, incidents.record(exc, f"store {what}: database error ({code})"))


class Invalid(StoreError):
    """A write the engine's checks refuse (policy_engine/project/validation.py); `issues` says every reason,
    in the user's language through `Issue.text`, and nothing was written."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        shown = "; ".join(i.text("en") for i in self.issues[:10])
        more = f" (+{len(self.issues) - 10} more)" if len(self.issues) > 10 else ""
        super().__init__(f"refused: {shown}{more}")

    def texts(self, lang: str) -> list[str]:
        return [i.text(lang) for i in self.issues]


class ImportRefused(Invalid):
    """An imported file that is not a usable project."""


class Conflict(StoreError):
    """A save based on a version that is no longer the newest."""

    def __init__(
        self, project_id: str, base_version: int, head_version: int, authors: list[str], changes: list[Change]
    ):
        self.project_id, self.base_version, self.head_version = project_id, base_version, head_version
        self.authors, self.changes = authors, changes
        who = ", ".join(sorted(set(authors))) or "someone"
        what = "; ".join(c.describe() for c in changes[:8]) or "no content changes"
        more = f" (+{len(changes) - 8} more)" if len(changes) > 8 else ""
        super().__init__(
            f"project {project_id!r} was saved by {who} since version {base_version} (now version "
            f"{head_version}): {what}{more}. Reload the newest version and apply your edit again."
        )


# --- helpers ------------------------------------------------------------------------------------

_hasher = PasswordHasher()
T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else DATABASE_URL, else the SQLite file under data/.

    `postgresql://` and `postgres://` are read as psycopg 3, the driver this project installs.
    """
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL under WAL: a commit no longer waits for the disk (fsync at checkpoints only). The database
    # cannot be corrupted by a crash; a power cut may lose the last commits. A ballot costs 0.8–1.9 ms
    # instead of 1.8–2.1 ms (python /tmp-style loop of 100 submits, README "Workshop mode").
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _is_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc) or "deadlock detected" in str(exc)


class Store:
    """The project store. Open one per process (it holds a connection pool); it is thread-safe."""

    def __init__(self, url: str | None = None, revision: str = "head", catalogue: Catalogue | None = None):
        """Open (and create or upgrade) the database; `revision` other than head is for tests.

        Every write is checked against `catalogue` (the seeds by default) with the engine's own checks."""
        self.catalogue = catalogue or default_catalogue()
        self._wrong: dict[str, tuple[int, float]] = {}  # project id -> wrong passphrases in a row, when the last
        self._wrong_by_client: dict[str, tuple[int, float]] = {}  # client -> wrong passphrases, when the last
        self._guard = threading.Lock()
        self.url = database_url(url)
        if self.url.startswith("sqlite"):
            path = self.url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(self.url, connect_args={"timeout": 30, "check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            # synchronous_commit off, as SQLite's synchronous=NORMAL above: a commit does not wait for the
            # disk, so a server crash may lose the last moment's commits but never corrupts or half-keeps one
            # (a ballot: 4–7 ms instead of 7–11 ms on this machine's PostgreSQL 15)
            self.engine = create_engine(
                self.url, pool_pre_ping=True, connect_args={"options": "-c synchronous_commit=off"}
            )
        self.migrate(revision)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to `revision` with Alembic (a no-op when it is already there)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":  # one migrator at a time when many processes start together
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7413)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            try:
                return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            except sa.exc.DatabaseError:
                return None

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions --

    def _write(
        self, work: Callable[[Session], T], attempts: int = 20, on_integrity: Callable[[], StoreError] | None = None
    ) -> T:
        """Run `work` in one transaction; retry when the database is momentarily locked.

        Everything `work` does is committed together or not at all, so a failure half-way
        through a save leaves the previous version as it was. A database error is a DatabaseError
        (logged in full; no SQL in its message), or `on_integrity()` when the caller expects a key to clash.
        """
        for attempt in range(attempts):
            try:
                with Session(self.engine) as session:
                    if self.dialect == "sqlite":
                        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                    result = work(session)
                    session.commit()
                    return result
            except OperationalError as exc:
                if not _is_locked(exc) or attempt == attempts - 1:
                    raise _database_error(exc, "write") from None
                time.sleep(0.05 * (attempt + 1))
            except IntegrityError as exc:
                raise (on_integrity() if on_integrity else _database_error(exc, "write")) from None
            except sa.exc.SQLAlchemyError as exc:
                raise _database_error(exc, "write") from None
        raise AssertionError("unreachable")

    def _read(self, work: Callable[[Session], T]) -> T:
        try:
            with Session(self.engine) as session:
                return work(session)
        except sa.exc.SQLAlchemyError as exc:
            raise _database_error(exc, "read") from None

    # -- access --

    @staticmethod
    def _project(session: Session, project_id: str) -> ProjectRecord:
        row = session.get(ProjectRecord, project_id)
        if row is None:
            raise NotFound(f"no project {project_id!r}")
        return row

    def _authorize(self, row: ProjectRecord, passphrase: str | None, client: str | None = None) -> None:
        """Check the passphrase. After FREE_GUESSES wrong ones in a row, each further guess at that
        project must wait a doubling delay (up to MAX_WAIT_S), the right passphrase included, so
        guessing costs time instead of 0.2 s a try; a right one resets the count. The same holds for
        one `client` (the app passes the browser's address) after CLIENT_FREE_GUESSES wrong ones to
        any projects together; another client is held back only by the project's own count."""
        if row.passphrase_hash is None:
            return
        if not passphrase:
            raise AccessDenied(f"project {row.id!r} is protected: enter its passphrase")
        now = time.monotonic()
        with self._guard:
            wrong, last = self._wrong.get(row.id, (0, 0.0))
            by_client, client_last = self._wrong_by_client.get(client, (0, 0.0)) if client else (0, 0.0)
            if by_client and now - client_last > CLIENT_FORGET_S:
                by_client = 0
        for count, free, since, scope in (
            (wrong, FREE_GUESSES, last, False),
            (by_client, CLIENT_FREE_GUESSES, client_last, True),
        ):
            if count >= free:
                left = min(MAX_WAIT_S, 2 ** (count - free)) - (now - since)
                if left > 0:
                    raise Throttled(row.id, left, by_client=scope)
        try:
            _hasher.verify(row.passphrase_hash, passphrase)
        except (VerificationError, InvalidHashError):
            with self._guard:
                self._wrong[row.id] = (self._wrong.get(row.id, (0, 0.0))[0] + 1, time.monotonic())
                if client:
                    self._forget_quiet_clients(now)
                    count, last = self._wrong_by_client.get(client, (0, 0.0))
                    self._wrong_by_client[client] = (
                        (0 if now - last > CLIENT_FORGET_S else count) + 1,
                        time.monotonic(),
                    )
            raise AccessDenied(f"wrong passphrase for project {row.id!r}") from None
        with self._guard:
            self._wrong.pop(row.id, None)

    def _forget_quiet_clients(self, now: float) -> None:
        """Keep the per-client counts from growing without end (called under the guard)."""
        if len(self._wrong_by_client) > 10_000:
            for key, (_, last) in list(self._wrong_by_client.items()):
                if now - last > CLIENT_FORGET_S:
                    del self._wrong_by_client[key]

    def _open(
        self, session: Session, project_id: str, passphrase: str | None, client: str | None = None
    ) -> ProjectRecord:
        row = self._project(session, project_id)
        self._authorize(row, passphrase, client)
        return row

    @staticmethod
    def _version(session: Session, project_id: str, version: int) -> VersionRecord:
        rec = session.get(VersionRecord, (project_id, version))
        if rec is None:
            raise NotFound(f"project {project_id!r} has no version {version}")
        return rec

    # -- reading --

    def list_projects(self) -> list[ProjectSummary]:
        """Every project; a protected one shows only its id and that it is protected."""

        def work(s: Session) -> list[ProjectSummary]:
            rows = s.exec(select(ProjectRecord).order_by(ProjectRecord.id)).all()
            return [
                ProjectSummary(
                    id=r.id,
                    region_name=None if r.passphrase_hash else r.region_name,
                    country=None if r.passphrase_hash else r.country,
                    head_version=None if r.passphrase_hash else r.head_version,
                    cycle=None if r.passphrase_hash else r.cycle,
                    protected=r.passphrase_hash is not None,
                    updated_at=None if r.passphrase_hash else r.updated_at,
                )
                for r in rows
            ]

        return self._read(work)

    def is_protected(self, project_id: str) -> bool:
        return self._read(lambda s: self._project(s, project_id).passphrase_hash is not None)

    def load(
        self, project_id: str, version: int | None = None, passphrase: str | None = None, client: str | None = None
    ) -> Loaded:
        """A version of a project (the newest by default) and whether it can be edited. `client` names
        who is asking (the app's door for a typed passphrase passes the browser's address), for the
        per-client limit on wrong passphrases."""

        def work(s: Session) -> Loaded:
            row = self._open(s, project_id, passphrase, client)
            rec = self._version(s, project_id, version or row.head_version)
            return Loaded(
                project=Project.from_json(rec.document),
                version=rec.version,
                head_version=row.head_version,
                read_only=rec.version != row.head_version or rec.cycle != row.cycle,
            )

        return self._read(work)

    def export_json(self, project_id: str, version: int | None = None, passphrase: str | None = None) -> str:
        """The stored document, exactly as saved (canonical JSON)."""

        def work(s: Session) -> str:
            row = self._open(s, project_id, passphrase)
            return self._version(s, project_id, version or row.head_version).document

        return self._read(work)

    def history(self, project_id: str, passphrase: str | None = None) -> list[VersionInfo]:
        def work(s: Session) -> list[VersionInfo]:
            self._open(s, project_id, passphrase)
            recs = s.exec(
                select(VersionRecord).where(VersionRecord.project_id == project_id).order_by(VersionRecord.version)
            ).all()
            return [
                VersionInfo(
                    version=r.version,
                    cycle=r.cycle,
                    author=r.author,
                    saved_at=r.saved_at,
                    iterations=json.loads(r.iterations),
                    note=r.note,
                )
                for r in recs
            ]

        return self._read(work)

    def cycles(self, project_id: str, passphrase: str | None = None) -> list[CycleInfo]:
        def work(s: Session) -> list[CycleInfo]:
            self._open(s, project_id, passphrase)
            recs = s.exec(
                select(CycleRecord).where(CycleRecord.project_id == project_id).order_by(CycleRecord.cycle)
            ).all()
            return [CycleInfo(**r.model_dump(exclude={"project_id"})) for r in recs]

        return self._read(work)

    def cycle_diff(self, project_id: str, older: int, newer: int, passphrase: str | None = None) -> list[Change]:
        """What differs between the last version of cycle `older` and the last of cycle `newer`."""

        def last_of(s: Session, cycle: int) -> Project:
            rec = s.exec(
                select(VersionRecord)
                .where(VersionRecord.project_id == project_id, VersionRecord.cycle == cycle)
                .order_by(VersionRecord.version.desc())
            ).first()
            if rec is None:
                raise NotFound(f"project {project_id!r} has no cycle {cycle}")
            return Project.from_json(rec.document)

        def work(s: Session) -> list[Change]:
            self._open(s, project_id, passphrase)
            return diff(last_of(s, older), last_of(s, newer))

        return self._read(work)

    # -- writing --

    def _check(self, project: Project | None, author: str, note: str = "", refusal: type[Invalid] = Invalid) -> None:
        """Refuse a project the engine would refuse (the same checks the pages' edits run), and an author
        or note that could not be stored as given (NUL, or a book's length), before the database sees them."""
        issues = validation.signature(author, note)
        if project is not None:
            issues += validation.check(project, self.catalogue)
        if issues:
            raise refusal(issues)

    def create(self, project: Project, author: str, passphrase: str | None = None, note: str = "created") -> int:
        """Store a new project as version 1; protect it with `passphrase` if one is given."""
        if validation.passphrase(passphrase):
            raise Invalid(validation.passphrase(passphrase))
        self._check(project, author, note)
        now = _now()
        doc = project.to_json()
        hashed = _hasher.hash(passphrase) if passphrase else None

        def work(s: Session) -> int:
            if s.get(ProjectRecord, project.id) is not None:
                raise AlreadyExists(f"a project {project.id!r} already exists")
            s.add(
                ProjectRecord(
                    id=project.id,
                    region_name=project.region.name,
                    country=project.region.country,
                    head_version=1,
                    cycle=project.cycle,
                    passphrase_hash=hashed,
                    created_at=now,
                    updated_at=now,
                )
            )
            s.flush()
            s.add(CycleRecord(project_id=project.id, cycle=project.cycle, opened_at=now, opened_version=1))
            _insert_version(s, project.id, 1, project, doc, author, iterations_changed(None, project), note, now)
            return 1

        # two creators at once: the second one's insert breaks the key
        return self._write(work, on_integrity=lambda: AlreadyExists(f"a project {project.id!r} already exists"))

    def save(
        self, project: Project, base_version: int, author: str, passphrase: str | None = None, note: str = ""
    ) -> int:
        """Save `project` as the version after `base_version`; refuse if someone saved in between.

        A save that changes nothing makes no version: `base_version` comes back."""
        self._check(project, author, note)
        doc = project.to_json()

        def work(s: Session) -> int:
            row = self._open(s, project.id, passphrase)
            if project.cycle != row.cycle:
                raise ReadOnly(
                    f"cycle {project.cycle} of project {project.id!r} is closed; the open cycle is {row.cycle}"
                )
            base = self._version(s, project.id, base_version)
            if row.head_version != base_version:
                raise self._conflict(s, project.id, base, row.head_version)
            if base.document == doc:
                return base_version
            if not _bump_head(s, project.id, base_version, project):
                s.rollback()
                row = self._project(s, project.id)
                raise self._conflict(s, project.id, base, row.head_version)
            previous = Project.from_json(base.document)
            new = base_version + 1
            _insert_version(
                s, project.id, new, project, doc, author, iterations_changed(previous, project), note, _now()
            )
            return new

        return self._write(work)

    def _conflict(self, s: Session, project_id: str, base: VersionRecord, head: int) -> Conflict:
        head_rec = self._version(s, project_id, head)
        later = s.exec(
            select(VersionRecord.author).where(
                VersionRecord.project_id == project_id, VersionRecord.version > base.version
            )
        ).all()
        changes = diff(Project.from_json(base.document), Project.from_json(head_rec.document))
        return Conflict(project_id, base.version, head, list(later), changes)

    def restore(self, project_id: str, version: int, author: str, passphrase: str | None = None) -> int:
        """Make an earlier version of the open cycle the newest again, as a new version (if it passes
        today's checks: a version saved before a rule was added is loaded and fixed, not restored)."""
        self._check(None, author)

        def work(s: Session) -> int:
            row = self._open(s, project_id, passphrase)
            old = self._version(s, project_id, version)
            if old.cycle != row.cycle:
                raise ReadOnly(
                    f"version {version} belongs to closed cycle {old.cycle}; "
                    f"only versions of the open cycle {row.cycle} can be restored"
                )
            head_version = row.head_version  # read before _bump_head, which updates `row` in the session
            head = self._version(s, project_id, head_version)
            project = Project.from_json(old.document)
            self._check(project, author)
            if not _bump_head(s, project_id, head_version, project):
                raise self._conflict(s, project_id, head, self._project(s, project_id).head_version)
            new = head_version + 1
            _insert_version(
                s,
                project_id,
                new,
                project,
                old.document,
                author,
                iterations_changed(Project.from_json(head.document), project),
                f"restored from version {version}",
                _now(),
            )
            return new

        return self._write(work)

    def close_cycle(self, project_id: str, base_version: int, author: str, passphrase: str | None = None) -> int:
        """Freeze the open cycle at `base_version` and open the next one; returns its first version."""
        self._check(None, author)

        def work(s: Session) -> int:
            row = self._open(s, project_id, passphrase)
            base = self._version(s, project_id, base_version)
            if row.head_version != base_version:
                raise self._conflict(s, project_id, base, row.head_version)
            closing = Project.from_json(base.document)
            issues = validation.ready_to_close(closing, self.catalogue)
            if issues:
                raise Invalid(issues)
            now = _now()
            current = s.get(CycleRecord, (project_id, row.cycle))
            current.closed_at, current.closed_version, current.closed_by = now, base_version, author
            s.add(current)
            following = next_cycle(closing, self.catalogue)
            self._check(following, author)
            if not _bump_head(s, project_id, base_version, following):
                raise self._conflict(s, project_id, base, self._project(s, project_id).head_version)
            new = base_version + 1
            s.add(CycleRecord(project_id=project_id, cycle=following.cycle, opened_at=now, opened_version=new))
            _insert_version(
                s,
                project_id,
                new,
                following,
                following.to_json(),
                author,
                [],
                f"cycle {row.cycle} closed; cycle {following.cycle} opened",
                now,
            )
            return new

        return self._write(work)

    def set_passphrase(self, project_id: str, new: str | None, current: str | None = None) -> None:
        """Protect a project, change its passphrase, or (with `new=None`) remove the protection."""
        if new is not None and validation.passphrase(new):
            raise Invalid(validation.passphrase(new))
        hashed = _hasher.hash(new) if new else None

        def work(s: Session) -> None:
            row = self._open(s, project_id, current)
            row.passphrase_hash = hashed
            s.add(row)

        self._write(work)

    def import_json(self, data: bytes | str, author: str, passphrase: str | None = None) -> tuple[str, int]:
        """Create a project from a JSON document; refuse a broken one before touching the database."""
        try:
            project = Project.from_json(data)
        except ProjectError as exc:
            raise ImportRefused(exc.issues) from None
        self._check(project, author, "imported", refusal=ImportRefused)
        return project.id, self.create(project, author, passphrase, note="imported")


def _bump_head(s: Session, project_id: str, expected: int, project: Project) -> bool:
    """Move the head one version on, only if it is still `expected` (the optimistic lock)."""
    result = s.execute(
        sa.update(ProjectRecord)
        .where(ProjectRecord.id == project_id, ProjectRecord.head_version == expected)
        .values(
            head_version=expected + 1,
            cycle=project.cycle,
            region_name=project.region.name,
            country=project.region.country,
            updated_at=_now(),
        )
    )
    return result.rowcount == 1


def _insert_version(
    s: Session,
    project_id: str,
    version: int,
    project: Project,
    doc: str,
    author: str,
    iterations: list[int],
    note: str,
    when: datetime,
) -> None:
    s.add(
        VersionRecord(
            project_id=project_id,
            version=version,
            cycle=project.cycle,
            document=doc,
            author=author or "anonymous",
            saved_at=when,
            iterations=json.dumps(iterations),
            note=note,
        )
    )
    s.flush()
