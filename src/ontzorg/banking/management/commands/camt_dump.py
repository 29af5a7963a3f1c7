"""``manage.py camt_dump FILE``: print the entries of a camt.052/.053/.054 file, one JSON object a
line.

For inspection and support. The whole file is checked first, so an invalid or hostile file
prints no entries at all; the command then exits non-zero with the reason.
"""

import dataclasses
import json

from django.core.management.base import BaseCommand, CommandError

from ontzorg.banking import camt053


class Command(BaseCommand):
    help = "Toont de posten van een camt.052/.053/.054-bestand, één JSON-object per regel."

    def add_arguments(self, parser):
        parser.add_argument("file", help="pad naar het camt-bestand")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=camt053.DEFAULT_MAX_BYTES,
            help="weiger bestanden groter dan dit aantal bytes",
        )

    def handle(self, *args, **options):
        try:
            for entry in camt053.read_entries(options["file"], max_bytes=options["max_bytes"]):
                self.stdout.write(json.dumps(entry_as_json(entry), ensure_ascii=False))
        except camt053.StatementError as error:
            raise CommandError(str(error)) from error


def entry_as_json(entry: camt053.Entry) -> dict:
    data = dataclasses.asdict(entry)
    for key in ("booking_date", "value_date"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data
