"""Read models shared by the JSON API and the HTML pages: plain dicts built from the store.

Every builder degrades gracefully: a stage that has not produced data (no enrichment, no vectors,
no stories) yields empty sections, never an error.
"""
