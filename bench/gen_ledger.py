#!/usr/bin/env python3
"""Writes a benchmark general ledger and the budget book it belongs to.

    gen_ledger.py OUT_DIR [LINES]

OUT_DIR/gl.csv       LINES ledger lines (default 1,000,000): id, date, cost_centre, amount, memo;
                     amounts with pence, about one in twelve negative (credit notes), one in
                     a hundred on a cost centre the book does not map, one in two hundred
                     dated 2011/12, before the book's years
OUT_DIR/gl.journal   the same lines as a ledger-cli journal (one transaction each)
OUT_DIR/book/        a small valid book (six councils, four programmes and the Office, budgets
                     for 2012/13 to 2014/15) whose cost_centres map the ledger's cost centres
OUT_DIR/expected.txt the ledger's line count and total in pence, for checking the run

Deterministic: the same arguments write the same bytes.
"""

import datetime
import os
import random
import sys

COUNCILS = [
    ("BAR", "London Borough of Barnet"),
    ("BRE", "London Borough of Brent"),
    ("EAL", "London Borough of Ealing"),
    ("HRW", "London Borough of Harrow"),
    ("HIL", "London Borough of Hillingdon"),
    ("HOU", "London Borough of Hounslow"),
]
PROGRAMMES = [
    ("OFFICE", "WLA Office", "EAL"),
    ("ADULTS", "Adult Care Services", "EAL"),
    ("CHILDREN", "Children's Services", "HRW"),
    ("HOUSING", "Housing", "BRE"),
    ("PROCURE", "Procurement", "HOU"),
]
YEARS = [2012, 2013, 2014]
MAPPED_CENTRES = 40


def year_name(start):
    return f"{start}/{(start + 1) % 100:02d}"


def write_book(folder):
    os.makedirs(folder, exist_ok=True)

    def table(name, header, rows):
        with open(os.path.join(folder, name + ".csv"), "w", newline="") as f:
            f.write(header + "\n")
            for row in rows:
                f.write(",".join(row) + "\n")

    table("councils", "code,name", [(c, n) for c, n in COUNCILS])
    table("programmes", "code,name,lead", PROGRAMMES)
    table(
        "participation",
        "programme,council,from",
        [(p, c, "2010-04-01") for p, _, _ in PROGRAMMES[1:] for c, _ in COUNCILS],
    )
    table(
        "budget",
        "year,programme,line,category,amount",
        [
            (year_name(y), p, f"{p} running costs", "running_costs", "690000000.00")
            for y in YEARS
            for p, _, _ in PROGRAMMES
        ],
    )
    table(
        "cost_centres",
        "cost_centre,programme",
        [(f"CC{i:03d}", PROGRAMMES[i % len(PROGRAMMES)][0]) for i in range(MAPPED_CENTRES)],
    )


def main():
    out = sys.argv[1]
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out, exist_ok=True)
    write_book(os.path.join(out, "book"))
    rng = random.Random(20130122)
    first = datetime.date(YEARS[0], 4, 1)
    days = (datetime.date(YEARS[-1] + 1, 3, 31) - first).days + 1
    dates = [first + datetime.timedelta(days=d) for d in range(days)]
    total = 0
    with open(os.path.join(out, "gl.csv"), "w", newline="") as csv, open(
        os.path.join(out, "gl.journal"), "w", newline=""
    ) as journal:
        csv.write("id,date,cost_centre,amount,memo\n")
        for i in range(1, lines + 1):
            date = dates[rng.randrange(days)]
            if rng.random() < 0.005:
                date = date.replace(year=2011) if date.month >= 4 else date.replace(year=2012)
            centre = rng.randrange(MAPPED_CENTRES)
            if rng.random() < 0.01:
                centre = MAPPED_CENTRES + rng.randrange(5)
            pence = rng.randrange(1, 2_500_000)
            if rng.random() < 1 / 12:
                pence = -pence
            total += pence
            sign = "-" if pence < 0 else ""
            amount = f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"
            csv.write(f"{i},{date.isoformat()},CC{centre:03d},{amount},Invoice {i}\n")
            journal.write(
                f"{date.strftime('%Y/%m/%d')} Invoice {i}\n"
                f"    Expenses:CC{centre:03d}  {amount} GBP\n"
                f"    Assets:Bank\n\n"
            )
    with open(os.path.join(out, "expected.txt"), "w") as f:
        f.write(f"lines {lines}\ntotal_pence {total}\n")


if __name__ == "__main__":
    main()
