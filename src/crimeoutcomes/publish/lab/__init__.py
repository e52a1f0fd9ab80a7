"""What the notebooks call: display (load a step's files and show them) and the story builder (make lab)."""
