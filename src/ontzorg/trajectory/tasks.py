"""Background task: close nazorg periods that have passed (run daily by the worker or cron)."""

from django_tasks import task

from . import services


@task()
def end_expired_nazorg_task() -> int:
    return services.end_expired_nazorg()
