"""GraphQL of domain/deliberation: meetings, voting, live tallies, minutes, follow-up tasks."""
