"""Charts: each chart as a title that states its finding, alt text, a caption and the data behind it, drawn for a
phone and a desk (style: the two layouts and the house colours)."""
