"""Running notebooks: papermill and nbconvert turn a notebook into a page; workers render many pages in parallel,
each keeping one kernel once a page needs one."""
