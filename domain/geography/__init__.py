"""Streets, communities, compounds, buildings, exclusive units, persons and ownership."""
