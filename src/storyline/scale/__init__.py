"""Scale-out: Dask ingest engine, continuous feed/directory watching."""
