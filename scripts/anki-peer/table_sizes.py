#!/usr/bin/env python3
"""Prints the bytes each table of an SQLite file takes, its indexes included (via dbstat).

Usage: python3 scripts/anki-peer/table_sizes.py DB [TABLE ...]   (default: every table)
Prints `table bytes` lines, largest first. Opened read-only; any -wal beside it is read too.
"""

import sqlite3
import sys


def main():
    db, *only = sys.argv[1:]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "select m.tbl_name, sum(s.pgsize) from dbstat s join sqlite_master m on m.name = s.name"
        " group by m.tbl_name order by 2 desc"
    ).fetchall()
    for table, size in rows:
        if not only or table in only:
            print(table, size)


if __name__ == "__main__":
    sys.exit(main())
