"""crimeoutcomes: audit English and Welsh crime-outcome statistics (Home Office outcomes open data tables).

Modules, in pipeline order: manifest (which raw files exist) → fetch (obtain, sha256-verify) → read (any layout
to text cells) → clean (tidy table, aggregate, coverage, quality) → pipeline (one edition, raw → processed) →
measures / claims / reports (analysis) → notebooks (papermill, nbconvert).
"""

__version__ = "0.1.0"
