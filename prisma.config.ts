// Prisma CLI configuration. Only `prisma generate` is used (see docs/persistence.md): the server applies the
// SQL migrations itself, because Prisma's migrate commands need a native engine that cannot be downloaded offline.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/mini-ec2.db" },
});
