"""Print the role matrix (endpoint x principal -> HTTP status) from real requests.

Runs ``tests/access/test_permission_matrix.py::test_permission_matrix`` on the real services
(PostgreSQL, Redis, vLLM; as ``./perimeter test`` does), which sends one request per
endpoint and principal through Django's test client, asserts each status against the
expected matrix, and records what was answered. Prints that as a markdown table; exits
with pytest's status (non-zero if any cell differed from the expectation).

    ./perimeter python scripts/role_matrix.py [--out role_matrix.md]

Principals: anon; emp_a (reader of alpha), emp_b (reader of beta), contrib_a (contributor of
alpha, through a group), mgr_a (manager of alpha), approver, auditor, staff (is_staff, no
grant); API tokens tok_query / tok_ingest (alpha only) and tok_admin (all collections); admin
(a superuser).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    import pytest

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "role_matrix.md"
        os.environ["ROLE_MATRIX_OUT"] = str(table)
        os.chdir(ROOT)
        status = pytest.main(["-q", "-p", "no:cacheprovider",
                              "tests/access/test_permission_matrix.py::test_permission_matrix"])
        if table.exists():
            text = table.read_text()
            print(text)
            if args.out:
                args.out.write_text(text)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
