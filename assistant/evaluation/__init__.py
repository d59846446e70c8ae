"""Gold-set evaluation: the schema of gold records, the scorer and the report."""
