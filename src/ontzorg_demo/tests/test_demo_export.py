"""The evaluators' export of the demo data: k-anonymous, one file across all regions."""

import csv
import io
from collections import Counter

from ontzorg.accounts.models import User
from ontzorg.monitor import anonymity, services


def test_no_row_of_the_demo_export_is_unique(demo, db):
    evaluator = User.objects.get(username="evaluator")
    text = services.export(evaluator, "deelnemers").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    columns = [header.index(c) for c in ("regio", "peildatum", *anonymity.QUASI_IDENTIFIERS)]
    sizes = Counter(tuple(row[i] for i in dict.fromkeys(columns)) for row in body)
    assert len({row[header.index("regio")] for row in body}) > 1  # all regions in one file
    assert min(sizes.values()) >= anonymity.K
    # Linked on the pseudonym, each person's series over the snapshots is shared by K people.
    series = {}
    for row in body:
        series.setdefault(row[0], set()).add(tuple(row[i] for i in dict.fromkeys(columns)))
    alike = Counter(frozenset(rows) for rows in series.values())
    assert min(alike.values()) >= anonymity.K
    meta = dict(
        list(
            csv.reader(
                io.StringIO(services.export(evaluator, "toelichting").content.decode("utf-8-sig")),
                delimiter=";",
            )
        )[1:]
    )
    assert int(meta["rijen in dit bestand"]) == len(body)
