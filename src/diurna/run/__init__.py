"""Where coding runs: the driver, its backends (in-process, local workers, Dask), workers, Parquet shards, the feed watch loop."""
