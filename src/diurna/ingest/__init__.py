"""Reading documents: files, folders, stdin, HTML pages and feeds → Article records."""
