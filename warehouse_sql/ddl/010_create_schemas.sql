-- Schemas of the warehouse: star (the star tables and marts), audit (run bookkeeping),
-- bi (views for dashboards).
create schema if not exists star;
create schema if not exists audit;
create schema if not exists bi;
