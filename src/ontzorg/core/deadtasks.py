"""Background tasks whose worker is gone: finding them and marking them dead.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the worker is done. A worker that dies (killed, out of memory, the machine restarted) leaves
its task RUNNING for ever, and the task table keeps no heartbeat. ``mark_dead_tasks`` judges
by the last sign of life instead: for a task whose app registered one with ``watch`` (the
job the task works on keeps a heartbeat, like a statement import), that heartbeat; for any
other task, when it started. A task silent for longer than ``ONTZORG_TASK_DEAD_AFTER_MINUTES``
is marked FAILED with the reason, and the app is told (``on_dead``) so that the job's page
offers to resume it.

Run it daily: ``manage.py mark_dead_tasks`` from cron, or ``mark_dead_tasks_task`` through
the task queue (see the README's operations section)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task


class WorkerGone(Exception):
    """The worker running this task stopped without finishing it."""


@dataclass(frozen=True)
class _Watch:
    job: Callable[[list, dict], object]
    last_sign_of_life: Callable[[object], datetime | None]
    on_dead: Callable[[object], None]


_watched: dict[str, _Watch] = {}


def watch(
    watched_task,
    *,
    job: Callable[[list, dict], object],
    last_sign_of_life: Callable[[object], datetime | None],
    on_dead: Callable[[object], None],
) -> None:
    """Register how to judge ``watched_task``: ``job(args, kwargs)`` is what it works on,
    ``last_sign_of_life(job)`` its heartbeat, ``on_dead(job)`` runs (in the transaction that
    marks the task dead) to let the job be resumed."""
    _watched[watched_task.module_path] = _Watch(job, last_sign_of_life, on_dead)


def _watch_of(task_path: str) -> _Watch | None:
    """The registration for a task path; importing its module registers it."""
    if task_path not in _watched:
        try:
            import_module(task_path.rpartition(".")[0])
        except ImportError:
            return None
    return _watched.get(task_path)


def mark_dead_tasks(*, now: datetime | None = None, dead_after: timedelta | None = None):
    """Mark RUNNING tasks without a sign of life for ``dead_after`` as FAILED; returns the
    ids of those marked."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    if dead_after is None:
        dead_after = timedelta(minutes=settings.ONTZORG_TASK_DEAD_AFTER_MINUTES)
    marked = []
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by(
        "started_at"
    ):
        watched = _watch_of(result.task_path)
        last = result.started_at or result.enqueued_at
        job = None
        if watched is not None:
            job = watched.job(result.args_kwargs["args"], result.args_kwargs["kwargs"])
            beat = watched.last_sign_of_life(job)
            if beat is not None and beat > last:
                last = beat
        if now - last <= dead_after:
            continue
        reason = (
            f"{WorkerGone.__name__}: geen teken van leven sinds "
            f"{timezone.localtime(last):%d-%m-%Y %H:%M}; de worker die deze taak uitvoerde, "
            "is gestopt zonder haar af te maken.\n"
        )
        with transaction.atomic():
            updated = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerGone.__module__}.{WorkerGone.__qualname__}",
                traceback=reason,
            )
            if updated and watched is not None:
                watched.on_dead(job)
        if updated:
            marked.append(str(result.pk))
    return marked


@task()
def mark_dead_tasks_task() -> int:
    return len(mark_dead_tasks())
