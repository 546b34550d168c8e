"""Task builders of ``sales_star_pipeline``: one module per profile, plus the run's callbacks."""
