"""Pages: the HTML a step writes (html: the page shell and tables; one module per kind of page) and the files
beside it (a force report's figures and charts, the sensitivity tables)."""
