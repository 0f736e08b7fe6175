"""Validate SARIF logs against the SARIF 2.1.0 JSON schema (OASIS, errata 01).

usage: sarif_validate.py SCHEMA LOG...

Checks each LOG with `jsonschema`, formats included (`uri`, `uri-reference` need
`rfc3986-validator`, which .ci/requirements.txt pins). Prints `<LOG>: ok` or each error with its
path in the document; exits 1 when any log is invalid.
"""

import json
import sys

from jsonschema import FormatChecker
from jsonschema.validators import validator_for


def main(schema_path, logs):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    checker = FormatChecker()
    for needed in ("uri", "uri-reference"):
        if needed not in checker.checkers:
            sys.exit(f"jsonschema cannot check the `{needed}` format: install rfc3986-validator")
    validator = validator_for(schema)(schema, format_checker=checker)
    failed = False
    for path in logs:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        if errors:
            failed = True
            for error in errors:
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"{path}: /{where}: {error.message}")
        else:
            print(f"{path}: ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
