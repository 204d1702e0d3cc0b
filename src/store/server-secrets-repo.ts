// Secrets the server makes for itself once and keeps across restarts.
import type { PrismaClient } from "./generated/client.js";

export class ServerSecretsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  /** The stored value, or `make()`'s, stored first; a concurrent first call keeps whichever won. */
  async getOrCreate(name: string, make: () => string): Promise<string> {
    const existing = await this.prisma.serverSecret.findUnique({ where: { name } });
    if (existing) return existing.value;
    const row = await this.prisma.serverSecret.upsert({ where: { name }, create: { name, value: make() }, update: {} });
    return row.value;
  }
}
