"""The stack description's intrinsic functions, read and evaluated independently of stackwire.

`load` reads a stack description as YAML 1.2 with CloudFormation's short-form tags (`!Ref X`
becomes `{"Ref": "X"}`, `!GetAtt A.B` `{"Fn::GetAtt": ["A", "B"]}`, ...). `Resolver` evaluates
what the harness expects a value to be once deployed: parameters by the values the stack was
created with, conditions as CloudFormation evaluates them, pseudo parameters, `Ref` of a
resource by its physical ID and `GetAtt` by asking the AWS API of the resource's type.
"""

import re
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

SHORT = ["Ref", "Condition", "GetAtt", "Sub", "If", "Equals", "Not", "And", "Or", "Join",
         "Select", "Split", "ImportValue", "FindInMap", "GetAZs", "Base64", "Cidr"]


class NoValue:
    """`AWS::NoValue`: the property or list item is left out."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = NoValue()


def _constructor(name: str):
    key = name if name in ("Ref", "Condition") else f"Fn::{name}"

    def construct(constructor, node):
        if isinstance(node, ScalarNode):
            value: Any = constructor.construct_scalar(node)
            if name == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, SequenceNode):
            value = constructor.construct_sequence(node, deep=True)
        elif isinstance(node, MappingNode):
            value = constructor.construct_mapping(node, deep=True)
        else:
            raise ValueError(f"!{name}: unexpected node {node!r}")
        return {key: value}

    return construct


def load(path: str):
    yaml = YAML(typ="safe", pure=True)
    for name in SHORT:
        yaml.constructor.add_constructor(f"!{name}", _constructor(name))
    with open(path, encoding="utf-8") as f:
        return yaml.load(f)


def is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and (
        next(iter(value)) in ("Ref", "Condition") or next(iter(value)).startswith("Fn::"))


def refs(value: Any) -> set[str]:
    """Every name a `Ref` in `value` names."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return {value["Ref"]}
        return set().union(*(refs(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(refs(v) for v in value)) if value else set()
    return set()


class Resolver:
    """Evaluates intrinsics. `parameters`: name -> value as created (a list for `List<...>`);
    `conditions`: the template's Conditions section; `physical`: Logical ID -> physical ID
    (None before the stack exists); `attribute(logical_id, name)`: a `GetAtt`'s value."""

    def __init__(self, stack: str, account: str, region: str, parameters: dict[str, Any],
                 conditions: dict[str, Any], physical: dict[str, str] | None = None,
                 attribute: Callable[[str, str], Any] | None = None):
        self.stack, self.account, self.region = stack, account, region
        self.parameters, self.conditions = parameters, conditions
        self.physical = physical
        self.attribute = attribute
        self._conditions: dict[str, bool] = {}

    def ref(self, name: str) -> Any:
        pseudo = {"AWS::StackName": self.stack, "AWS::Region": self.region,
                  "AWS::AccountId": self.account, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": NO_VALUE,
                  "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{self.account}:stack/{self.stack}"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if self.physical is None:
            raise LookupError(f"Ref {name}: a resource, not known before the stack exists")
        if name not in self.physical:
            raise LookupError(f"Ref {name}: no such parameter or resource in the stack")
        return self.physical[name]

    def get_att(self, logical_id: str, name: str) -> Any:
        if self.attribute is None:
            raise LookupError(f"GetAtt {logical_id}.{name}: not known before the stack exists")
        return self.attribute(logical_id, name)

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            if name not in self.conditions:
                raise LookupError(f"no condition {name}")
            self._conditions[name] = bool(self.value(self.conditions[name]))
        return self._conditions[name]

    def sub(self, text: str, variables: dict[str, Any] | None = None) -> str:
        variables = variables or {}

        def one(m: re.Match) -> str:
            inner = m.group(1)
            if inner.startswith("!"):
                return "${" + inner[1:] + "}"
            if inner in variables:
                return str(self.value(variables[inner]))
            if "." in inner and not inner.startswith("AWS::"):
                a, b = inner.split(".", 1)
                return str(self.get_att(a, b))
            return str(self.ref(inner))

        return re.sub(r"\$\{([^}]*)\}", one, text)

    def value(self, node: Any) -> Any:
        """`node` evaluated; plain values as they are (a plain string is a literal)."""
        if isinstance(node, list):
            return [v for v in (self.value(x) for x in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if not is_intrinsic(node):
            out = {k: self.value(v) for k, v in node.items()}
            return {k: v for k, v in out.items() if v is not NO_VALUE}
        (fn, arg), = node.items()
        if fn == "Ref":
            return self.ref(arg)
        if fn == "Condition":
            return self.condition(arg)
        if fn == "Fn::GetAtt":
            a, b = arg if isinstance(arg, list) else arg.split(".", 1)
            return self.get_att(a, b)
        if fn == "Fn::Sub":
            if isinstance(arg, list):
                return self.sub(arg[0], arg[1])
            return self.sub(arg)
        if fn == "Fn::If":
            name, yes, no = arg
            return self.value(yes if self.condition(name) else no)
        if fn == "Fn::Equals":
            a, b = (self.value(x) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::Not":
            return not self.value(arg[0])
        if fn == "Fn::And":
            return all(self.value(x) for x in arg)
        if fn == "Fn::Or":
            return any(self.value(x) for x in arg)
        if fn == "Fn::Join":
            sep, items = arg
            return str(sep).join(str(x) for x in self.value(items))
        if fn == "Fn::Select":
            index, items = arg
            return self.value(items)[int(self.value(index))]
        if fn == "Fn::Split":
            sep, text = arg
            return str(self.value(text)).split(sep)
        raise LookupError(f"{fn}: not evaluated by this harness")

    def name(self, node: Any) -> str:
        """A `name` key: an intrinsic, or text in which `${...}` is substituted (stackwire
        writes it as `!Sub`)."""
        return self.sub(node) if isinstance(node, str) else str(self.value(node))
