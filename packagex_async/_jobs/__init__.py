"""Jobs: what happens after a create, for every job resource alike.

``_creates`` checks a create's arguments and builds its JSON body before anything is
sent (and the date filters ``since``, ``until``, ``between``); ``_waiting`` polls a
job until a final status; ``_files`` fetches a job's presigned files without the API
key (read, stream, atomic download); ``_rowstream`` parses a JSON or CSV file into
rows as its bytes stream in. ``resources/_jobs.py`` wires them to each resource's
spec; nothing here names a resource.
"""
