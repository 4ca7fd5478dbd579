import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 hashes on the libuv thread pool, so the event loop stays free.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }; // OWASP argon2id minimum

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the username is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy-password-for-timing');
  return decoyHash;
}
