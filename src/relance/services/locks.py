"""Named locks in the store, so that two runs at once cannot both send.

A lock is a row of `run_locks`, taken by inserting it: the primary key makes the
insert atomic on SQLite and PostgreSQL alike, so of two concurrent takers one
fails. A lock expires (`expires_at`); an expired lock may be taken over by an
update that names its previous holder, so that of two takers again one wins. The
holder renews the lock as it works, and releases it by deleting its own row.

Lock times are audit timestamps: real UTC time, not the business "now".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from relance.store import models as m
from relance.store.db import Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite gives naive ones back: they were UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class LockBusy(RuntimeError):
    """Someone else holds the lock."""

    def __init__(self, name: str, holder: str, expires_at: datetime) -> None:
        super().__init__(
            f"another {name} is running (holder {holder}, lock valid until "
            f"{expires_at:%Y-%m-%d %H:%M:%S} UTC); try again later"
        )
        self.holder = holder
        self.expires_at = expires_at


class LockLost(RuntimeError):
    """Our lock expired and was taken over; stop working."""


class Lock:
    """A lock we hold; `renew` it while working."""

    def __init__(
        self, store: Store, name: str, holder: str, ttl: timedelta, clock: Clock
    ):
        self.store, self.name, self.holder, self.ttl, self.clock = (
            store,
            name,
            holder,
            ttl,
            clock,
        )

    def renew(self) -> None:
        """Push the expiry back; raise `LockLost` if the lock is no longer ours."""
        with self.store.transaction() as session:
            result = session.execute(
                update(m.RunLock)
                .where(m.RunLock.name == self.name, m.RunLock.holder == self.holder)
                .values(expires_at=self.clock() + self.ttl)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise LockLost(f"the {self.name} lock was taken over")

    def release(self) -> None:
        """Delete our row (nothing happens if it was taken over)."""
        with self.store.transaction() as session:
            session.execute(
                delete(m.RunLock).where(
                    m.RunLock.name == self.name, m.RunLock.holder == self.holder
                )
            )


def acquire(store: Store, name: str, ttl: timedelta, clock: Clock = utc_now) -> Lock:
    """Take the lock `name`, or take it over when expired; else raise `LockBusy`."""
    holder = uuid.uuid4().hex
    now = clock()
    try:
        with store.transaction() as session:
            session.add(
                m.RunLock(
                    name=name, holder=holder, acquired_at=now, expires_at=now + ttl
                )
            )
        return Lock(store, name, holder, ttl, clock)
    except IntegrityError:
        pass

    # Someone holds it: take it over only if it has expired.
    with store.transaction() as session:
        row = session.execute(
            select(m.RunLock).where(m.RunLock.name == name)
        ).scalar_one_or_none()
        if row is None:
            raise LockBusy(name, "(released meanwhile)", now)
        expires = as_utc(row.expires_at)
        if expires > now:
            raise LockBusy(name, row.holder, expires)
        result = session.execute(
            update(m.RunLock)
            .where(m.RunLock.name == name, m.RunLock.holder == row.holder)
            .values(holder=holder, acquired_at=now, expires_at=now + ttl)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LockBusy(name, "(taken over by another run)", now)
    return Lock(store, name, holder, ttl, clock)


@contextmanager
def held(
    store: Store, name: str, ttl: timedelta, clock: Clock = utc_now
) -> Iterator[Lock]:
    """Hold the lock `name` for the duration of the block."""
    lock = acquire(store, name, ttl, clock)
    try:
        yield lock
    finally:
        lock.release()
