import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CONTENT_DIR } from '../../knowledge/index.ts';
import { startServerProcess, type ServerProcess } from '../helpers/processes.ts';
import { say } from '../helpers/server.ts';
import { useTempDirs } from '../helpers/temp-dirs.ts';

const tempDir = useTempDirs('kc-reload');
const MARK = 'Nội dung này vừa được cập nhật.';

describe('reloading the knowledge base on SIGHUP (npm start)', () => {
  let server: ServerProcess;
  let contentDir: string;
  let areas: string;

  beforeAll(async () => {
    contentDir = tempDir();
    cpSync(fileURLToPath(BUNDLED_CONTENT_DIR), contentDir, { recursive: true });
    areas = join(contentDir, 'support-areas.yaml');
    server = await startServerProcess({ DATA_DIR: tempDir(), KNOWLEDGE_DIR: contentDir });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('answers from the edited content after SIGHUP, without a restart', async () => {
    const [before] = await say(server.url, 'r-1', 'Khuyến công có hỗ trợ mua máy móc không?');
    expect(before.text).not.toContain(MARK);
    const original = readFileSync(areas, 'utf8');
    // At the start of the answer, which is what a phone shows.
    const edited = original.replace('Dạ, lĩnh vực thứ hai là', `Dạ, ${MARK} Lĩnh vực thứ hai là`);
    expect(edited).not.toBe(original);
    writeFileSync(areas, edited);
    server.child.kill('SIGHUP');
    await server.waitForOutput('"msg":"knowledge base reloaded"', 1);
    const [after] = await say(server.url, 'r-2', 'Khuyến công có hỗ trợ mua máy móc không?');
    expect(after.text).toContain(MARK);
  });

  it('keeps answering from the previous content when the edited content is invalid', async () => {
    writeFileSync(areas, `${readFileSync(areas, 'utf8')}\n  - id: broken\n    title: [\n`);
    server.child.kill('SIGHUP');
    await server.waitForOutput('knowledge base not reloaded', 1);
    expect(server.output()).toContain('support-areas.yaml');
    const [answer] = await say(server.url, 'r-3', 'Khuyến công có hỗ trợ mua máy móc không?');
    expect(answer.text).toContain(MARK);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
