"""The crawler and the catalog gate: raw-zone folders as Glue tables and partitions."""
