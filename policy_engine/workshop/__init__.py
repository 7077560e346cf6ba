"""Workshop mode: the room rates, allocates, ranks, proposes and comments from their phones."""
