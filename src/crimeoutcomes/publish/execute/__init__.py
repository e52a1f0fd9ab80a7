"""Running notebooks: papermill and nbconvert turn a notebook into a page; workers run many in parallel, each
with one kernel."""
