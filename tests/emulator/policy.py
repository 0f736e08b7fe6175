"""A small IAM evaluator: may a role's policy documents do ACTION on RESOURCE?

moto does not check a call's resource against IAM, so the end-to-end test asks this instead.
It evaluates identity policies as IAM does for one principal: an explicit `Deny` wins, then an
`Allow`, else the implicit deny. `Action`/`NotAction` match case-insensitively with `*` and `?`
wildcards; `Resource`/`NotResource` match case-sensitively with the same wildcards. A statement
with a `Condition` is not decided here: `evaluate` says `conditional`, which counts as neither
allowed (for what must be allowed) nor refused (for what must not be).
"""

import re
from typing import Any

ALLOWED, DENIED, CONDITIONAL = "allowed", "denied", "conditional"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, text: str, case: bool) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, 0 if case else re.IGNORECASE) is not None


def _covers(statement: dict, key: str, value: str, case: bool) -> bool:
    if key in statement:
        return any(_matches(p, value, case) for p in _as_list(statement[key]))
    negated = "Not" + key
    if negated in statement:
        return not any(_matches(p, value, case) for p in _as_list(statement[negated]))
    return False


def evaluate(documents: list[dict], action: str, resource: str) -> str:
    allowed, conditional = False, False
    for document in documents:
        for statement in _as_list(document.get("Statement")):
            if not (
                _covers(statement, "Action", action, case=False)
                and _covers(statement, "Resource", resource, case=True)
            ):
                continue
            if statement.get("Effect") == "Deny":
                if "Condition" in statement:
                    conditional = True
                    continue
                return DENIED
            if statement.get("Effect") == "Allow":
                if "Condition" in statement:
                    conditional = True
                else:
                    allowed = True
    if allowed and not conditional:
        return ALLOWED
    if conditional:
        return CONDITIONAL
    return DENIED


def selftest() -> int:
    """The evaluator's own tests; returns how many cases ran, raises on the first wrong one."""
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
    other = "arn:aws:kinesis:eu-west-1:210987654321:stream/orders"
    # SAM's KinesisCrudPolicy as the translator expands it (the ARN built from the deploying
    # account and Region): it lets a producer delete the stream.
    crud = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DeleteStream",
                           "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:SplitShard"],
                "Resource": "arn:aws:kinesis:us-east-1:123456789012:stream/orders",
            }
        ]
    }
    cases = [
        ([crud], "kinesis:DeleteStream", arn, ALLOWED),
        ([crud], "kinesis:deletestream", arn, ALLOWED),  # actions are case-insensitive
        ([crud], "kinesis:ListShards", arn, DENIED),
        ([crud], "kinesis:PutRecord", other, DENIED),  # another account's stream of that name
        ([crud], "kinesis:PutRecord", arn.upper(), DENIED),  # resources are case-sensitive
        ([{"Statement": {"Effect": "Allow", "Action": "kinesis:Get*", "Resource": "*"}}],
         "kinesis:GetRecords", arn, ALLOWED),
        ([{"Statement": {"Effect": "Allow", "Action": "kinesis:Get*", "Resource": "*"}}],
         "kinesis:PutRecord", arn, DENIED),
        ([{"Statement": {"Effect": "Allow", "Action": "kinesis:*",
                         "Resource": "arn:aws:kinesis:*:*:stream/ord?rs"}}],
         "kinesis:PutRecord", other, ALLOWED),
        ([{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}},
          {"Statement": {"Effect": "Deny", "Action": "kinesis:DeleteStream", "Resource": arn}}],
         "kinesis:DeleteStream", arn, DENIED),
        ([{"Statement": {"Effect": "Allow", "NotAction": "kinesis:DeleteStream", "Resource": "*"}}],
         "kinesis:DeleteStream", arn, DENIED),
        ([{"Statement": {"Effect": "Allow", "NotAction": "kinesis:DeleteStream", "Resource": "*"}}],
         "kinesis:PutRecord", arn, ALLOWED),
        ([{"Statement": {"Effect": "Allow", "Action": "kinesis:PutRecord", "NotResource": arn}}],
         "kinesis:PutRecord", arn, DENIED),
        ([{"Statement": {"Effect": "Allow", "Action": "kinesis:PutRecord", "Resource": "*",
                         "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}}}],
         "kinesis:PutRecord", arn, CONDITIONAL),
        ([], "kinesis:PutRecord", arn, DENIED),
    ]
    for documents, action, resource, want in cases:
        got = evaluate(documents, action, resource)
        if got != want:
            raise AssertionError(f"evaluate({documents}, {action}, {resource}) = {got}, expected {want}")
    return len(cases)
