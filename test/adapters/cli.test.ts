import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'kc-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(script: string, args: string[], input = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('npm run ask -- --jsonl', () => {
  it('answers each line in a fresh conversation with one JSON line and prints nothing else', () => {
    const { status, stdout } = run(
      'adapters/console/ask-cli.ts',
      ['--jsonl'],
      'mức hỗ trợ máy móc là bao nhiêu\ngiá vàng hôm nay\n\nhan\n',
    );
    expect(status).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ question: 'mức hỗ trợ máy móc là bao nhiêu', topic: 'level-machinery' });
    expect((lines[0].sources as string[])[0]).toContain('Thông tư 28/2018/TT-BTC');
    expect(lines[0].confidence).toBeGreaterThan(0);
    expect(lines[1]).toMatchObject({ topic: null, sources: [] });
    expect(lines[2]).toMatchObject({ question: '', topic: null });
    // A vague question is clarified, not a pending state that leaks into the next question.
    expect(String(lines[3].text)).toMatch(/ý (bạn|anh\/chị) là/i);
  });

  it('answers every line of a batch far longer than the per-user message limit', () => {
    // More lines than the channels' per-user limit (30 a minute), and than the one configured here.
    const questions = Array.from({ length: 45 }, (_, i) =>
      i % 2 === 0 ? 'mức hỗ trợ máy móc là bao nhiêu' : 'hạn nộp hồ sơ đăng ký kế hoạch khuyến công',
    );
    const { status, stdout } = run('adapters/console/ask-cli.ts', ['--jsonl'], `${questions.join('\n')}\n`, {
      USER_MESSAGES_PER_MINUTE: '5',
    });
    expect(status).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines).toHaveLength(45);
    for (const line of lines) {
      expect(line.topic).not.toBeNull();
      expect(String(line.text)).not.toContain('nhắn hơi nhanh');
    }
  });
});

describe('npm run chat -- --jsonl', () => {
  it('keeps one conversation per user and answers a pick from a clarification', () => {
    const input = [
      JSON.stringify({ user: 'a', text: 'hạn' }),
      JSON.stringify({ user: 'b', text: 'xin chào' }),
      JSON.stringify({ user: 'a', text: '1' }),
      'not json',
    ].join('\n');
    const { status, stdout, stderr } = run('adapters/console/chat-cli.ts', ['--jsonl'], input);
    expect(status).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.map((l) => l.user)).toEqual(['a', 'b', 'a']);
    expect(String(lines[0].text)).toMatch(/ý (bạn|anh\/chị) là/i);
    expect(String(lines[2].text)).toContain('Nguồn: Công văn số 400/CTĐP-QLKC');
    for (const l of lines) {
      expect(Array.isArray(l.suggestions)).toBe(true);
      expect(l).toHaveProperty('card', null);
    }
    expect(stderr).toContain('skipped a line');
  });

  it('answers a scripted user who sends more messages than the per-user limit allows', () => {
    // More than the channels' default of 30 a minute, from one scripted user.
    const input = Array.from({ length: 34 }, () =>
      JSON.stringify({ user: 'scripted', text: 'vốn đối ứng là gì' }),
    ).join('\n');
    const { status, stdout } = run('adapters/console/chat-cli.ts', ['--jsonl'], input);
    expect(status).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.filter((l) => String(l.text).includes('nhắn hơi nhanh'))).toEqual([]);
    expect(lines.filter((l) => String(l.text).includes('đối ứng'))).toHaveLength(34);
  });
});

describe('npm run kb', () => {
  it('validates the bundled content', () => {
    const { status, stdout } = run('adapters/console/kb-cli.ts', ['validate']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ mục, \d+ ví dụ ngoài phạm vi\n$/);
  });

  it('exports every entry as JSON', () => {
    const { status, stdout } = run('adapters/console/kb-cli.ts', ['export']);
    expect(status).toBe(0);
    const { entries } = JSON.parse(stdout) as {
      entries: { id: string; title: string; questions: string[]; answer: string }[];
    };
    expect(entries.length).toBeGreaterThanOrEqual(60);
    expect(entries[0]).toHaveProperty('questions');
  });

  it('imports content files as a draft, publishes nothing, and exports the live version as YAML that validates', () => {
    const imported = run('adapters/console/kb-cli.ts', ['import', '--note', 'Nhập từ tệp']);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^draft [0-9a-f-]{36}: \d+ entries, over version 0\n$/);
    const listed = run('adapters/console/kb-cli.ts', ['versions']);
    expect(listed.stdout).toMatch(/^live: 0\ndraft [0-9a-f-]{36}\t.*\tkb-cli\tNhập từ tệp\n$/);
    const out = join(dataDir, 'exported');
    const exported = run('adapters/console/kb-cli.ts', ['export', '--out', out]);
    expect(exported.stdout).toMatch(/^version 0: \d+ files written/);
    const again = run('adapters/console/kb-cli.ts', ['validate'], '', { KNOWLEDGE_DIR: out });
    expect(again.stdout).toBe(run('adapters/console/kb-cli.ts', ['validate']).stdout);
  });

  it('restores a version in one command, as a new version', () => {
    const restored = run('adapters/console/kb-cli.ts', ['rollback', '0', '--note', 'Về nội dung gốc']);
    expect(restored.stdout).toBe('version 1 is live: the content of version 0\n');
    expect(run('adapters/console/kb-cli.ts', ['versions']).stdout).toMatch(
      /^live: 1\n {2}1\t.*\tkb-cli\tVề nội dung gốc \(restores 0\)\n {2}0\t.*\tseed\t/,
    );
    const { entries, version } = JSON.parse(run('adapters/console/kb-cli.ts', ['export']).stdout) as {
      version: number;
      entries: unknown[];
    };
    expect(version).toBe(1);
    expect(entries.length).toBeGreaterThanOrEqual(60);
    expect(run('adapters/console/kb-cli.ts', ['rollback', '7', '--note', 'không có']).stderr).toMatch(
      /cannot restore version 7 because it does not exist/,
    );
  });

  it('fails with file and line when the content is invalid', () => {
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'adapters/console/kb-cli.ts', 'validate'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        KNOWLEDGE_DIR: fileURLToPath(new URL('../fixtures/bad-content/', import.meta.url)),
      },
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken\.yaml:\d+: /);
    expect(bad.stderr).toMatch(/Nội dung tri thức có \d+ lỗi; vui lòng sửa rồi kiểm tra lại\.\n$/);
  });
});
