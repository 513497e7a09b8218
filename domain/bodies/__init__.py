"""Bodies (organisations people hold posts in) and memberships (the posts)."""
