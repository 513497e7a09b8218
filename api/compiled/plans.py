"""Documents -> plans, once per document text: parsed, validated with the schema's own rules, and checked
against the compilable subset. The GraphQL view asks here first and falls back to the resolvers."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from api.compiled.compiler import ROOTS, Builder, NotCompilable, RootConnection, compile_connection
from api.compiled.dialect import Dialect, Sqlite
from api.compiled.me import VIEWER_ROOTS, ViewerRoot
from schema.core.demand import DemandLimits, measure_document, static_cost
from schema.root import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS


@dataclass(frozen=True)
class Plan:
    document: DocumentNode
    operation: OperationDefinitionNode
    roots: tuple[tuple[str, FieldNode, RootConnection | ViewerRoot], ...]

    @property
    def personal(self) -> bool:
        """Whether the answer depends on who the viewer is (`me`), not only on what they may read."""
        return any(isinstance(root, ViewerRoot) for _, _, root in self.roots)

    @property
    def cacheable(self) -> bool:
        return all(root.cacheable(node) for _, node, root in self.roots if isinstance(root, ViewerRoot))


def visibility_of(viewer: Any, personal: bool = False) -> str:
    """What a compiled answer may depend on about the viewer: the read policies (nested guarded types such as
    OwnersCommittee) look at the roles and the anchors only, so viewers alike in these share statements and
    cached answers. A personal plan (`me`) depends on the account and its person as well, centre staff included
    (me.notifications are addressed to the account or to the person)."""
    if viewer is None or not viewer.is_authenticated:
        return "anonymous"
    if personal:
        return f"{visibility_of(viewer)}|me:a{viewer.account_id}:p{viewer.person_id}"
    if viewer.is_centre:
        return "centre"
    roles = ",".join(sorted(r.value for r in viewer.roles))
    return f"{roles}|s{viewer.street_id}|c{viewer.community_id}|f{viewer.firm_id}|p{viewer.person_id}"


def schema_rules(strawberry_schema: Any) -> list[Any]:
    """The validation rules the schema adds through AddValidationRules (depth, aliases, cost...), so that a
    compiled document passes exactly the checks the resolver path would apply."""
    rules: list[Any] = []
    for extension in strawberry_schema.extensions:
        try:
            instance = extension() if callable(extension) and not isinstance(extension, SchemaExtension) else extension
        except TypeError:
            continue
        if isinstance(instance, AddValidationRules):
            rules.extend(instance.validation_rules)
    return rules


class Plans:
    def __init__(self, schema: GraphQLSchema, size: int = 512, rules: list[Any] | None = None,
                 demand: DemandLimits | None = None) -> None:
        self.schema = schema
        self.size = size
        self.demand = demand or DemandLimits()
        extra = [depth_rule(MAX_DEPTH, None, None), max_aliases_rule(MAX_ALIASES)] if rules is None else rules
        self._rules = [*specified_rules, *extra]
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()
        # (plan, variables, day, visibility:dialect) -> statements: compiling costs more CPU than running them.
        # The plan rides along: an id is reused once its plan is gone.
        self._statements: OrderedDict[tuple[int, bytes, date, str],
                                      tuple[Plan, list[tuple[str, str, Any]] | None]] = OrderedDict()
        # (plan, variables) -> static cost: walking the document per request cost as much as the page's SQL.
        self._costs: OrderedDict[tuple[int, bytes], tuple[Plan, int]] = OrderedDict()

    def cost(self, plan: Plan, operation_name: str | None, variables: dict[str, Any] | None) -> int:
        """schema.core.demand.static_cost of the plan's document for these variables, remembered."""
        try:
            key = (id(plan), orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
        except TypeError:
            return static_cost(self.schema, plan.document, operation_name, variables or {})
        cached = self._costs.get(key)
        if cached is not None and cached[0] is plan:
            self._costs.move_to_end(key)
            return cached[1]
        found = static_cost(self.schema, plan.document, operation_name, variables or {})
        self._costs[key] = (plan, found)
        while len(self._costs) > 4 * self.size:
            self._costs.popitem(last=False)
        return found

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        found = self._make(query, operation_name)
        self._plans[key] = found
        while len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return found

    def _make(self, query: str, operation_name: str | None) -> Plan | None:
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError:
            return None
        # As on the resolver path (schema.core.demand): too many or too repeated fields are refused before the
        # (quadratic) overlapping-fields validation; the resolvers give the error.
        size = measure_document(document, self.demand.max_selections)
        if size.selections > self.demand.max_selections or size.repeats > self.demand.max_repeats:
            return None
        if validate(self.schema, document, self._rules):
            return None
        operation = _operation(document, operation_name)
        if operation is None or operation.operation != OperationType.QUERY or operation.directives:
            return None
        roots = []
        for sel in operation.selection_set.selections:
            if not isinstance(sel, FieldNode) or sel.directives:
                return None
            root = ROOTS.get(sel.name.value) or VIEWER_ROOTS.get(sel.name.value)
            if root is None:
                return None
            roots.append((sel.alias.value if sel.alias else sel.name.value, sel, root))
        keys = [k for k, _, _ in roots]
        if len(set(keys)) != len(keys) or not self._compiles_in_shape(roots):
            return None
        return Plan(document, operation, tuple(roots))

    def _compiles_in_shape(self, roots: list[tuple[str, FieldNode, RootConnection | ViewerRoot]]) -> bool:
        """Whether the selection is of the compilable subset at all, known before a request touches the database
        (data version, token): compiled once with every variable left out, as centre staff (admitted by every
        compiled root). What fails here fails for every viewer and every variable."""
        from domain.accounts.rules import CENTRE, Viewer

        centre = Viewer(account_id=0, username=None, roles=CENTRE)
        query_type = self.schema.query_type
        assert query_type is not None
        none = get_variable_values(self.schema, (), {})
        assert not isinstance(none, list)
        try:
            for _, node, root in roots:
                if isinstance(root, ViewerRoot):
                    continue  # compiled from the viewer (api.compiled.me); checked per request
                compile_connection(Builder(Sqlite(), date.today(), centre), root, node,
                                   query_type.fields[node.name.value], none, centre)
        except NotCompilable:
            return False
        return True

    def statements(self, plan: Plan, raw_variables: dict[str, Any] | None, *, viewer: Any, today: date,
                   dialect: type[Dialect]) -> list[tuple[str, str, Any]] | None:
        """(response key, SQL, parameters) per root field, or None when the resolvers must answer."""
        try:
            key = (id(plan), orjson.dumps(raw_variables, option=orjson.OPT_SORT_KEYS), today,
                   f"{visibility_of(viewer, plan.personal)}:{dialect.name}")
        except TypeError:
            return self._compile(plan, raw_variables, viewer=viewer, today=today, dialect=dialect)
        cached = self._statements.get(key)
        if cached is not None and cached[0] is plan:
            self._statements.move_to_end(key)
            return cached[1]
        found = self._compile(plan, raw_variables, viewer=viewer, today=today, dialect=dialect)
        self._statements[key] = (plan, found)
        while len(self._statements) > 4 * self.size:
            self._statements.popitem(last=False)
        return found

    def _compile(self, plan: Plan, raw_variables: dict[str, Any] | None, *, viewer: Any, today: date,
                 dialect: type[Dialect]) -> list[tuple[str, str, Any]] | None:
        coerced = get_variable_values(self.schema, plan.operation.variable_definitions or (), raw_variables or {})
        if isinstance(coerced, list):
            return None
        query_type = self.schema.query_type
        assert query_type is not None
        out = []
        try:
            for key, node, root in plan.roots:
                builder = Builder(dialect(), today, viewer)
                field_def = query_type.fields[node.name.value]
                if isinstance(root, ViewerRoot):
                    sql = root.compile(builder, node, field_def, coerced, viewer)
                else:
                    sql = compile_connection(builder, root, node, field_def, coerced, viewer)
                out.append((key, builder.statement(sql), builder.d.values))
        except NotCompilable:
            return None
        return out


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions):
        return None  # fragments defined: the resolver path
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)
