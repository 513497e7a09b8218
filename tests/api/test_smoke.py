async def test_anonymous_viewer_is_null(gql, db):
    data = await gql("{ viewer { id } rulePacks { name } }")
    assert data["viewer"] is None
    assert {p["name"] for p in data["rulePacks"]} == {"national", "beijing", "shanghai", "shandong"}
