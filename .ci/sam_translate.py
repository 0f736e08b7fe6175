"""Translate SAM templates to CloudFormation with AWS's own SAM translator.

usage: sam_translate.py OUT_DIR TEMPLATE...

Each TEMPLATE (YAML, short-form intrinsics) is read with cfn-lint's loader, translated by
aws-sam-translator, and written to OUT_DIR/<name>.json. Prints `<name> <resource count>` per
template; exits 1 when any template fails to translate, printing why.
"""

import json
import os
import sys

from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform


def package(template):
    """Point local CodeUri folders at S3, as `sam package` does before deploying."""
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        code = props.get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(code, str):
            if not code.startswith("s3://"):
                props["CodeUri"] = f"s3://packaged-code/{code}"


class Loader:
    """No IAM look-ups (no network here): the translator falls back to the managed policy
    names it bundles, and leaves an unknown name as it is, for cfn-lint to reject."""

    def load(self):
        return {}


def main():
    # The translator asks boto for a region; it reads nothing else from AWS.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    out_dir, paths = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            template = cfn_yaml.load(path)
            package(template)
            translated = transform(template, {}, Loader())
        except Exception as error:  # the translator raises several types; all are failures
            failed += 1
            print(f"{name}: SAM translation failed: {error}")
            continue
        # Characters as they are: cfn-lint's JSON reader rejects the surrogate-pair escapes
        # (`\ud83d\ude00`) that json.dump writes for characters beyond U+FFFF by default.
        with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(translated, f, indent=1, sort_keys=True, ensure_ascii=False)
        print(f"{name} {len(translated.get('Resources', {}))}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
