"""Every bound the planner puts on what it reads, in one table (the README lists them).

A case is a few hundred rows about a few dozen sessions; anything far beyond is a mistake or an
attack, and is refused with a message before it can cost memory or time.
"""

from __future__ import annotations

import datetime as dt

# files
MAX_FILE_BYTES = 20 * 1024 * 1024  # any one input file
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx, unpacked
MAX_PROFILE_BYTES = 1024 * 1024  # a profile file (the shipped ones are under 10 KiB)
MAX_PROFILE_DEPTH = 20  # tables and lists nested in a profile (the shipped ones: 3)
MAX_YEARS_BETWEEN_SESSIONS = 10  # a profile's years_between_sessions
MAX_ROWS = 300_000  # rows of one table (a generated conference of 100,000 States needs 238,303)
MAX_COLUMNS = 200  # columns of one table
MAX_CELLS = 2_000_000  # cells a workbook's sheet may declare (its dimension)
MAX_WORKBOOK_CELLS = 5_000_000  # cells all a workbook's sheets span together
MAX_SHEETS = 100  # sheets of one workbook (a pack has 20)
MAX_ZIP_ENTRIES = 1_000  # parts of one .xlsx archive
MAX_CELL_CHARS = 32_767  # characters in one cell: what a spreadsheet cell holds
# a treaty's status table (planner data import): Participant, Signature, a consent column or
# two, perhaps a notification column; the longest participant's name is under 80 characters
MAX_STATUS_COLUMNS = 20
MAX_STATUS_CELL_CHARS = 500

# numbers
MAX_PRIORITY = 99  # a nomination's priority
MAX_DAYS_AFTER_DEPOSIT = 3_650  # days from a deposit to entry into force for the State
MAX_SESSION = 999  # a session's number
MAX_PLAN_SESSIONS = 50  # sessions in one plan, all ranges together
EARLIEST_DATE = dt.date(1945, 1, 1)  # before the United Nations, no date of ours
LATEST_DATE = dt.date(2199, 12, 31)
MAX_TIME_LIMIT = 3_600.0  # deterministic seconds of search
MAX_ALTERNATIVES = 1_000  # slates one alternatives run lists (compare reads as many)

LIMITS = (
    ("input file", f"{MAX_FILE_BYTES // 2**20} MiB"),
    ("workbook, unpacked", f"{MAX_UNPACKED_BYTES // 2**20} MiB"),
    ("profile file", f"{MAX_PROFILE_BYTES // 2**20} MiB, nested at most {MAX_PROFILE_DEPTH} deep"),
    ("years_between_sessions", f"1 to {MAX_YEARS_BETWEEN_SESSIONS}"),
    ("rows of one table", f"{MAX_ROWS:,}"),
    ("columns of one table", f"{MAX_COLUMNS:,}"),
    ("cells a sheet declares", f"{MAX_CELLS:,}"),
    ("cells a workbook's sheets span together", f"{MAX_WORKBOOK_CELLS:,}"),
    ("sheets of one workbook", f"{MAX_SHEETS}"),
    ("parts of one .xlsx archive", f"{MAX_ZIP_ENTRIES:,}"),
    ("characters in one cell", f"{MAX_CELL_CHARS:,}"),
    ("columns of an imported status table", f"{MAX_STATUS_COLUMNS}"),
    ("characters in one cell of an imported status table", f"{MAX_STATUS_CELL_CHARS}"),
    ("nomination priority", f"1 to {MAX_PRIORITY}"),
    ("days_after_deposit", f"0 to {MAX_DAYS_AFTER_DEPOSIT:,}"),
    ("session number", f"1 to {MAX_SESSION}"),
    ("sessions in one plan", f"{MAX_PLAN_SESSIONS}"),
    ("dates", f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"),
    ("--time-limit", f"0.1 to {MAX_TIME_LIMIT:,.0f} deterministic seconds"),
    ("alternatives -k", f"1 to {MAX_ALTERNATIVES:,}"),
)

# how solve finds the best slate: auto (the exact enumeration by group where the rules
# decompose, else CP-SAT) or cp-sat (always the model, to cross-check)
ENGINES = ("auto", "cp-sat")
