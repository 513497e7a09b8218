"""Every Node type of the built schema has a read policy (issue 15 item 1): a new type without one fails here,
saying what to add where."""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLSchema, build_schema

from domain.access.policies import READ_POLICIES
from schema.core.policies import NODE_POLICIES
from schema.root import schema


def missing_policies(graphql_schema: GraphQLSchema) -> list[str]:
    node = graphql_schema.get_type("Node")
    problems = []
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or node not in type_.interfaces:
            continue
        model = NODE_POLICIES.get(type_.name)
        if model is None:
            problems.append(
                f"{type_.name} implements Node but has no read policy: add '{type_.name}': <its tortoise model> to "
                f"NODE_POLICIES in schema/core/policies.py, and that model's Policy to READ_POLICIES in "
                f"domain/access/policies.py (who reads it: anonymous, street, community, firm, person)")
        elif model not in READ_POLICIES:
            problems.append(f"{type_.name}: its model {model.__name__} has no entry in READ_POLICIES "
                            f"(domain/access/policies.py)")
    return problems


def test_every_node_type_of_the_schema_has_a_read_policy():
    assert missing_policies(schema._schema) == []


def test_a_node_type_without_policy_is_reported_with_what_to_add_where():
    sdl = "interface Node { id: ID! } type Gizmo implements Node { id: ID! } type Query { node: Node }"

    problems = missing_policies(build_schema(sdl))

    assert len(problems) == 1 and "NODE_POLICIES in schema/core/policies.py" in problems[0]
    assert problems[0].startswith("Gizmo implements Node")


def test_every_policy_in_the_schema_table_names_a_node_type_of_the_schema():
    node = schema._schema.get_type("Node")
    names = {t.name for t in schema._schema.type_map.values()
             if isinstance(t, GraphQLObjectType) and node in t.interfaces}

    assert set(NODE_POLICIES) <= names
