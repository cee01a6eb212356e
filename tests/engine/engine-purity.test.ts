import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The engine is pure: time, randomness, storage and the terminal are passed in. */
describe('src/engine', () => {
  const files = fs.readdirSync('src/engine', { recursive: true }).map(String).filter((f) => f.endsWith('.ts'));
  it.each(files)('%s reaches for no clock, randomness, file, React or Ink', (f) => {
    const src = fs.readFileSync(path.join('src/engine', f), 'utf8');
    expect(src).not.toMatch(/Math\.random\(|Date\.now\(|new Date\(\)|performance\.now/);
    expect(src).not.toMatch(/from ['"](node:)?(fs|ink|react|child_process|net|tty)['"]/);
  });
});
