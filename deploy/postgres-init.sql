-- The scaled profile's other databases (POSTGRES_DB creates fernhill_app).
CREATE DATABASE fernhill_rasa OWNER fernhill;
CREATE DATABASE fernhill_shop OWNER fernhill;
