"""In-app notifications per person (or per staff account), written in the causing use case's transaction."""
