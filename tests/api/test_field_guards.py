"""The read guard and the input guard sit on exactly the fields that need them, read off the built schema (not a
per-resolution hook on every field): a field returning a type with a read policy, or an interface or union, is
read-guarded wherever it appears; a field with an argument that can hold text is input-guarded; plain scalar fields
carry neither."""

from __future__ import annotations

from graphql import GraphQLAbstractType, GraphQLObjectType, GraphQLScalarType, get_named_type

from domain.access.policies import READ_POLICIES
from schema.core.input_guard import carries_text, guard_inputs
from schema.core.policies import NODE_POLICIES, guard_reads
from schema.root import schema

GRAPHQL = schema._schema
guard_inputs(GRAPHQL)  # what the first execution does (idempotent), in the extensions' order
guard_reads(GRAPHQL)


def _fields() -> list[tuple[GraphQLObjectType, str, object]]:
    return [(t, name, field) for t in GRAPHQL.type_map.values()
            if isinstance(t, GraphQLObjectType) and not t.name.startswith("__")
            for name, field in t.fields.items()]


def _wrapped_by(field: object, mark: str) -> bool:
    """Whether one of the resolvers chained on the field (each guard names the next as `__wrapped__`) carries `mark`."""
    resolve = getattr(field, "resolve", None)
    while resolve is not None:
        if getattr(resolve, mark, False):
            return True
        resolve = getattr(resolve, "__wrapped__", None)
    return False


def _read_guarded(field: object) -> bool:
    return _wrapped_by(field, "_tongxin_read_guard")


def _input_guarded(field: object) -> bool:
    return _wrapped_by(field, "_tongxin_input_guard")


def test_every_field_returning_a_policed_or_abstract_type_is_read_guarded_outside_edges():
    policed = {name for name, model in NODE_POLICIES.items() if not READ_POLICIES[model].anonymous}
    unguarded = [f"{t.name}.{name}" for t, name, field in _fields()
                 if not t.name.endswith("Edge") and not _read_guarded(field)
                 and (get_named_type(field.type).name in policed
                      or isinstance(get_named_type(field.type), GraphQLAbstractType))]

    assert unguarded == []
    assert _read_guarded(GRAPHQL.get_type("Query").fields["node"])  # type: ignore[union-attr]
    assert _read_guarded(GRAPHQL.get_type("Compound").fields["ownersCommittee"])  # type: ignore[union-attr]


def _text_inside(type_: object, seen: frozenset[str] = frozenset()) -> bool:
    named = get_named_type(type_)  # type: ignore[arg-type]
    if named.name in ("String", "ID"):
        return True
    fields = getattr(named, "fields", None) if named.name not in seen else None
    return any(_text_inside(f.type, seen | {named.name}) for f in (fields or {}).values())


def test_every_field_with_a_text_argument_is_input_guarded():
    unguarded = [f"{t.name}.{name}" for t, name, field in _fields()
                 if any(_text_inside(a.type) for a in field.args.values()) and not _input_guarded(field)]

    assert unguarded == []
    assert _input_guarded(GRAPHQL.get_type("Mutation").fields["fileComplaint"])  # type: ignore[union-attr]


def test_a_filter_input_with_a_nested_search_text_carries_text():
    assert carries_text(GRAPHQL.get_type("CompoundFilter"))
    assert not carries_text(GRAPHQL.get_type("Int"))


def test_scalar_fields_and_public_objects_carry_no_guard():
    compound = GRAPHQL.get_type("Compound")
    assert isinstance(compound, GraphQLObjectType)
    scalars = [n for n, f in compound.fields.items()
               if isinstance(get_named_type(f.type), GraphQLScalarType) and not f.args]

    assert scalars and not any(_read_guarded(compound.fields[n]) or _input_guarded(compound.fields[n])
                               for n in scalars)
    assert not _read_guarded(compound.fields["community"])  # Community is public: nothing to check
