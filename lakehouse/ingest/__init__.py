"""Land source CSV files in the raw zone and check what landed."""
