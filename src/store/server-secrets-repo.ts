// Values the server makes for itself and keeps across restarts: the session-token signing key, the virtual clock's
// offset, the version of the Amazon catalog last seeded.
import type { PrismaClient } from "./generated/client.js";

export class ServerSecretsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  async get(name: string): Promise<string | undefined> {
    return (await this.prisma.serverSecret.findUnique({ where: { name } }))?.value;
  }

  /** The stored value, or `make()`'s, stored first; a concurrent first call keeps whichever won. */
  async getOrCreate(name: string, make: () => string): Promise<string> {
    const existing = await this.prisma.serverSecret.findUnique({ where: { name } });
    if (existing) return existing.value;
    const row = await this.prisma.serverSecret.upsert({ where: { name }, create: { name, value: make() }, update: {} });
    return row.value;
  }

  async put(name: string, value: string): Promise<void> {
    await this.prisma.serverSecret.upsert({ where: { name }, create: { name, value }, update: { value } });
  }
}
