"""Valid, fictional BSNs and IBANs for tests, the demo data and the benchmarks (no real people).

BSNs are counted down from 999999999, the top of the range, which is not issued to residents
at the scale used here; demo data stay within the 9999xxxxx block."""

from functools import lru_cache

from schwifty import IBAN

BANK_CODES = ("INGB", "RABO", "ABNA", "SNSB", "TRIO", "ASNB", "BUNQ", "KNAB")
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


@lru_cache(maxsize=4)
def _valid_bsns(count: int) -> tuple[str, ...]:
    found = []
    body = 99_999_999
    while len(found) < count:
        check = sum(w * int(d) for w, d in zip(WEIGHTS, f"{body:08d}", strict=True)) % 11
        if check < 10:
            found.append(f"{body:08d}{check}")
        body -= 1
    return tuple(found)


def fake_bsn(n: int) -> str:
    """The n-th valid 11-proof BSN, counting down from the top of the range."""
    size = 1024
    while size <= n:
        size *= 4
    return _valid_bsns(size)[n]


def fake_iban(n: int) -> str:
    bank = BANK_CODES[n % len(BANK_CODES)]
    return str(IBAN.generate("NL", bank_code=bank, account_code=str(100_000_000 + n * 7919)))
