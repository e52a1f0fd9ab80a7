"""Words: every number and sentence a reader sees is written here, once (numbers: the one formatter; wording:
names, periods, lists; story: a story version's text; readback and house_style: the checks on what was printed)."""
