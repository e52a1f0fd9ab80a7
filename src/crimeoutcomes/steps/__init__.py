"""The steps' bodies, one module each (their names are the step table's, in dag.py). Each body reads what it needs
from the run context, computes, and writes into the folder it is given; `pipeline` decides whether it runs, holds
the lock, swaps the folder in and records the stamp."""
