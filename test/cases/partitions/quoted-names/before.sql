CREATE TABLE "Event Log" ("Created At" date NOT NULL, "kind.x" text) PARTITION BY RANGE ("Created At");
CREATE TABLE "Event Log 2024" PARTITION OF "Event Log" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
