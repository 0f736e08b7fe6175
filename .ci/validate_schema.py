"""Validate documents against a JSON Schema (draft-07) with the `jsonschema` package.

usage: validate_schema.py SCHEMA DOCUMENTS

SCHEMA is the schema file; DOCUMENTS a JSON file holding a list of `{"name": ..., "instance":
...}`. The schema itself is checked against the draft-07 meta-schema first (exit 2 if it fails).
Prints one JSON object on standard output: each name mapped to the list of error messages the
schema gives for that document (empty when the document is valid).
"""

import json
import sys

from jsonschema import Draft7Validator


def main(schema_path, documents_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)
    with open(documents_path, encoding="utf-8") as f:
        documents = json.load(f)
    verdicts = {}
    for document in documents:
        errors = sorted(validator.iter_errors(document["instance"]), key=lambda e: [str(p) for p in e.absolute_path])
        verdicts[document["name"]] = [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors
        ]
    json.dump(verdicts, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as error:  # the schema is not a valid draft-07 schema, or unreadable input
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(2)
