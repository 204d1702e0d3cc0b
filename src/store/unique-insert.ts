// An insert that a unique key may refuse ("duplicate"). The key is read first: that read is the check a dry run
// must make (src/store/write-barrier.ts bars the insert itself, so the constraint alone could never refuse one),
// and the constraint stays the guard against two requests racing between the read and the insert.
import { Prisma } from "./generated/client.js";

export async function insertUnlessTaken(taken: () => Promise<unknown>, insert: () => Promise<unknown>): Promise<"created" | "duplicate"> {
  if (await taken()) return "duplicate";
  try {
    await insert();
    return "created";
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "duplicate";
    throw error;
  }
}
