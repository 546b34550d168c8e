"""Run metrics for CloudWatch and structured JSON log lines."""
