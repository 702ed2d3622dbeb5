"""Listing: from a resource's ``list()`` to items, page by page, exactly once.

``_pagination`` is the ``AsyncPaginator`` a ``list()`` returns (items, ``pages()``,
``next_page`` to resume); ``_walk`` fetches the pages, one after another or fanned
out up to ``concurrency`` at once once ``total_count`` tells where the list ends;
``_consistency`` checks each page against the first (a list that changed while it was
read is a ``PaginationError``, never a silent gap or repeat); ``_many`` retrieves many
ids at once for ``retrieve_many``. Pages arrive decoded by the codec; nothing here
knows HTTP or a resource.
"""
