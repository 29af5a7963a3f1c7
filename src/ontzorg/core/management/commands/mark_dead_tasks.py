"""``manage.py mark_dead_tasks``: mark background tasks whose worker is gone as failed.

Run daily (cron). See ``ontzorg.core.deadtasks`` for how a task is judged dead; the pages of
the jobs those tasks worked on then offer to resume them."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from ontzorg.core.deadtasks import mark_dead_tasks


class Command(BaseCommand):
    help = "Markeert achtergrondtaken waarvan de worker is verdwenen als mislukt."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=None,
            help="zonder teken van leven na zoveel minuten (standaard: "
            "ONTZORG_TASK_DEAD_AFTER_MINUTES)",
        )

    def handle(self, *args, **options):
        minutes = options["minutes"]
        marked = mark_dead_tasks(dead_after=None if minutes is None else timedelta(minutes=minutes))
        self.stdout.write(f"{len(marked)} taken als mislukt gemarkeerd.")
        for task_id in marked:
            self.stdout.write(f"  {task_id}")
