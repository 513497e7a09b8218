"""GraphQL of domain/evaluation: inspections, credit evaluation, the red and black lists, overviews."""
