"""Reading App Canvas bodies the service sends (AppCanvasCreate / AppCanvasUpdate) in tests."""


def block(body, block_id):
    """The block `block_id` of a canvas body, at the top level or one level down (section children)."""
    for b in body["blocks"]:
        if b["id"] == block_id:
            return b
        for child in b.get("children", []):
            if child["id"] == block_id:
                return child
    raise AssertionError(f"no block {block_id} in {[b['id'] for b in body['blocks']]}")
