"""Pure DataFrame transforms: DataFrames and parameters in, a DataFrame out, no I/O."""
