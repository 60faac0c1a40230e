import { expect } from 'vitest';

/** Asserts an RFC 9457 problem+json answer with this status and stable code. */
export function expectProblem(
  res: { status: number; headers: Record<string, string>; body: unknown },
  status: number,
  code: string,
) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.stringContaining(code),
    title: expect.any(String),
  });
  expect(res.status).toBe(status);
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/at .*\.ts:\d+|SQLITE_|sqlite/i);
}
