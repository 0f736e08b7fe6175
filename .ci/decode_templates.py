"""Read templates back as the tools that deploy them do, and print what they hold as JSON.

usage: decode_templates.py TEMPLATE...

Each TEMPLATE is read twice: with cfn-lint's own loader (`cfnlint.decode`, which turns short
intrinsics such as `!Ref x` into `{"Ref": "x"}`), and with plain PyYAML (`yaml.SafeLoader`,
YAML 1.1 as the SAM CLI reads it, with a constructor for the `!` tags that does the same). The
two readings must agree; prints one JSON object, {TEMPLATE: template}. Exits 1, saying why,
when a template cannot be read or the readings differ.
"""

import json
import sys

import yaml
from cfnlint.decode import decode


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader, plus CloudFormation's short intrinsics."""


def intrinsic(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


Loader.add_multi_constructor("!", intrinsic)


def plain(value):
    """cfn-lint's nodes (str_node, dict_node, ...) as plain Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def main(paths):
    out = {}
    for path in paths:
        template, matches = decode(path)
        if matches or template is None:
            print(f"{path}: cfn-lint cannot read it: {[str(m) for m in matches]}", file=sys.stderr)
            return 1
        template = plain(template)
        with open(path, encoding="utf-8") as f:
            by_pyyaml = yaml.load(f, Loader=Loader)
        if by_pyyaml != template:
            print(
                f"{path}: PyYAML and cfn-lint read it differently:\n"
                f"PyYAML:  {by_pyyaml!r}\ncfn-lint: {template!r}",
                file=sys.stderr,
            )
            return 1
        out[path] = template
    json.dump(out, sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
