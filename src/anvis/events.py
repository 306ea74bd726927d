"""Domain events: the services say what happened; other apps react, without importing back.

A service publishes inside its transaction (`publish("vacancy.accepted", actor=..., ...)`).
Subscribers register in their app's `ready()`:

- `subscribe(names, handler)` runs the handler after the transaction commits
  (`transaction.on_commit`), so a rolled-back write tells no one. Notifications subscribe so.
- `subscribe(names, handler, in_transaction=True)` runs it at once, inside the publishing
  transaction. Only for handlers that write outbox rows (the API's webhook deliveries): the rows
  commit or roll back with the change itself, so an event survives a crash between the commit
  and its delivery, and the delivery task sends it later.

A name is `<aggregate>.<what happened>`; a subscription to `"vacancy.*"` takes every event of
the aggregate. The vocabulary (one line per event, with who publishes it) is in
`docs/architecture.md`, "Events after commit". The event carries ids and plain values only:
a handler reads what it needs from the database, so what it reads is what was committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class Event:
    name: str
    actor_id: int | None = None
    organisation_id: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def aggregate(self) -> str:
        return self.name.split(".", 1)[0]


Handler = Callable[[Event], None]

_after_commit: dict[str, list[Handler]] = defaultdict(list)
_in_transaction: dict[str, list[Handler]] = defaultdict(list)


def subscribe(
    names: str | Iterable[str], handler: Handler, *, in_transaction: bool = False
) -> None:
    """Register `handler` for these event names (`"offer.accepted"`, or `"offer.*"`). Registering
    the same handler twice for a name has no effect (apps' `ready()` may run more than once)."""
    registry = _in_transaction if in_transaction else _after_commit
    for name in [names] if isinstance(names, str) else names:
        if handler not in registry[name]:
            registry[name].append(handler)


def unsubscribe(names: str | Iterable[str], handler: Handler) -> None:
    for name in [names] if isinstance(names, str) else names:
        for registry in (_in_transaction, _after_commit):
            if handler in registry.get(name, []):
                registry[name].remove(handler)


def _handlers(registry: Mapping[str, list[Handler]], event: Event) -> list[Handler]:
    return [*registry.get(event.name, []), *registry.get(f"{event.aggregate}.*", [])]


def _actor_id(actor: Any) -> int | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) else None


def publish(
    name: str,
    *,
    actor: Any = None,
    organisation_id: int | None = None,
    **data: Any,
) -> Event:
    """Publish one event from inside the service's transaction (or outside one: the after-commit
    handlers then run at once)."""
    event = Event(name=name, actor_id=_actor_id(actor), organisation_id=organisation_id, data=data)
    for handler in _handlers(_in_transaction, event):
        handler(event)
    for handler in _handlers(_after_commit, event):
        transaction.on_commit(partial(handler, event))
    return event
