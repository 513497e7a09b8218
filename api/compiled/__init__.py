"""The compiled read path (issue 11): list screens answered from one SQL statement that builds the JSON."""
